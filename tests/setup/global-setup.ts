// vitest globalSetup: generates the fixture models once per run into a cache folder and tells every test where they
// are; also switches the whole suite to offline so no test can reach the network through the model downloader.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFixtureModels } from '../fixtures/generate-models';
import { generateSmolvlmFixture } from '../fixtures/generate-smolvlm';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export default async function setup(): Promise<void> {
  const modelsDir = path.join(repoRoot, '.cache', 'fixture-models');
  await generateFixtureModels(modelsDir);
  await generateSmolvlmFixture(modelsDir);
  // Test workers are forked from this process after globalSetup, so they inherit these.
  process.env.GLIMPSE_TEST_MODELS_DIR = modelsDir;
  process.env.GLIMPSE_OFFLINE = '1';
}
