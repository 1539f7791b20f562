// The captioner fetched on first use from a stand-in hub on 127.0.0.1, under SigLIP's rules: only the files the
// device's dtypes need, with progress, then captions; `glimpse models download <captioner>` goes the same way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig } from '../../src-main/config';
import type { GlimpseEvent } from '../../src-preload/api';
import { call } from '../api/unwrap';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { SMOLVLM_FIXTURE_ID } from '../fixtures/generate-smolvlm';
import { startLoopbackHub, type HubFile, type LoopbackHub } from '../ml/loopback-hub';
import { writeSolidImage } from '../ml/colour-images';

const HUB_ID = 'HuggingFaceTB/SmolVLM-256M-Instruct';

describe('the captioner downloaded on first use', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-captioner-download-'));
  let hub: LoopbackHub;
  let api: Api;

  beforeAll(async () => {
    // The fixture's files served under the published model's id: the download code cannot tell them apart.
    const fixtureDir = path.join(process.env.GLIMPSE_TEST_MODELS_DIR as string, ...SMOLVLM_FIXTURE_ID.split('/'));
    const files = new Map<string, HubFile>();
    for (const name of fs.readdirSync(fixtureDir, { recursive: true }) as string[]) {
      const full = path.join(fixtureDir, name);
      if (fs.statSync(full).isFile()) files.set(`${HUB_ID}/${name.split(path.sep).join('/')}`, { bytes: fs.readFileSync(full) });
    }
    hub = await startLoopbackHub(files);
    // The SigLIP fixture is copied in too, so only the captioner is missing.
    const modelsDir = path.join(root, 'models');
    fs.cpSync(path.join(process.env.GLIMPSE_TEST_MODELS_DIR as string, ...FIXTURE_MODEL_ID.split('/')), path.join(modelsDir, ...FIXTURE_MODEL_ID.split('/')), { recursive: true });
    const photos = path.join(root, 'photos');
    fs.mkdirSync(photos);
    await writeSolidImage(photos, 'green');
    const config = loadConfig({ env: { GLIMPSE_MODEL: FIXTURE_MODEL_ID }, overrides: { dataDir: path.join(root, 'data'), modelsDir, offline: false, hubUrl: hub.url } });
    api = await openApi(config, { indexing: { watch: false, command: 'download test' } });
    await call(api, 'folders.index', { path: photos });
  });

  afterAll(async () => {
    await api?.close();
    await hub?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('says it is missing, then fetches only the CPU parts with progress and captions with them', async () => {
    expect(await call(api, 'captions.status', undefined)).toMatchObject({ model: HUB_ID, state: 'missing' });
    const events: GlimpseEvent[] = [];
    const unsubscribe = api.subscribe((event) => events.push(event));
    const info = await call(api, 'models.download', { id: HUB_ID });
    unsubscribe();
    expect(info).toMatchObject({ id: HUB_ID, role: 'caption', present: true });
    expect(events.some((e) => e.type === 'model' && e.model.id === HUB_ID && e.model.download !== null)).toBe(true);
    const fetched = hub.requests.filter((r) => r.path.includes('/resolve/main/onnx/')).map((r) => path.basename(r.path)).sort();
    expect(fetched).toEqual(['decoder_model_merged_quantized.onnx', 'embed_tokens_quantized.onnx', 'vision_encoder_quantized.onnx']);

    const result = await call(api, 'captions.describe', { missing: true, wait: true });
    expect(result.photos.map((p) => [p.caption, p.model])).toEqual([['a green photo', HUB_ID]]);
  });
});
