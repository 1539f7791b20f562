// A separate process that captions every photo of a library (embeddings off, so only the describe stage runs) and
// prints the result as JSON: the crash test kills it with SIGKILL in the middle of captioning.
import { openApi } from '../../src-main/api';
import { loadConfig } from '../../src-main/config';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { SMOLVLM_FIXTURE_ID } from '../fixtures/generate-smolvlm';

const [dataDir, folder, scope] = process.argv.slice(2);
const config = loadConfig({
  env: { GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_CAPTION_MODEL: SMOLVLM_FIXTURE_ID, GLIMPSE_OFFLINE: '1' },
  overrides: { dataDir, embeddings: false },
});
const api = await openApi(config, { indexing: { watch: false, command: 'describe child' } });
if (folder !== '-') await api.invoke('folders.index', { path: folder });
const result = await api.invoke('captions.describe', scope === 'all' ? { all: true, wait: true } : { missing: true, wait: true });
await api.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
