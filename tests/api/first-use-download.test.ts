// A first start without the model: Glimpse fetches it in the background while photos get thumbnails. If the hub
// cannot be reached, photos stay browsable (not failed) and a notice says what to do; once the model can be
// downloaded, the photos become searchable without a rescan. The hub is a loopback stand-in serving the fixture model.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlimpseEvent } from '../../src-preload/api';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig } from '../../src-main/config';
import { bundledModelManifest, findModelEntry } from '../../src-main/ml/model-manifest';
import { COLOUR_PROTOTYPES, FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { startLoopbackHub, type HubFile, type LoopbackHub } from '../ml/loopback-hub';

const MODEL = 'Xenova/siglip-base-patch16-224';

describe('the model on first use', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-first-use-'));
  const photos = path.join(root, 'photos');
  const hubFiles = new Map<string, HubFile>();
  let hub: LoopbackHub;
  let api: Api;
  const notices: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(photos);
    for (const colour of ['red', 'blue'] as const) {
      const [r, g, b] = COLOUR_PROTOTYPES[colour];
      await sharp({ create: { width: 160, height: 120, channels: 3, background: { r, g, b } } }).jpeg().toFile(path.join(photos, `${colour}.jpg`));
    }
    hub = await startLoopbackHub(hubFiles);
    api = await openApi(
      loadConfig({
        env: { GLIMPSE_MODELS_DIR: path.join(root, 'models'), GLIMPSE_MODEL: MODEL, GLIMPSE_OFFLINE: '0', HF_ENDPOINT: hub.url },
        overrides: { dataDir: path.join(root, 'data') },
      }),
    );
    api.subscribe((event: GlimpseEvent) => {
      if (event.type === 'notice') notices.push(event.message);
    });
  });

  afterAll(async () => {
    await api?.close();
    await hub?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('keeps photos browsable when the hub cannot be reached, and says how to get the model', async () => {
    const indexed = await api.invoke('folders.index', { path: photos });
    expect(indexed).toEqual({ ok: true, value: { indexed: 2, duplicates: 0, failed: [] } });
    const page = await api.invoke('gallery.page', {});
    expect(page.ok && page.value.items.map((p) => p.status)).toEqual(['ready', 'ready']);
    expect(notices.some((n) => n.includes(MODEL) && n.includes(`glimpse models download ${MODEL}`))).toBe(true);

    const search = await api.invoke('search.query', { query: 'red' });
    expect(search.ok).toBe(false);
    if (!search.ok) expect(search.error.message).toContain(MODEL);
  });

  it('makes the photos searchable once the model downloads, without a rescan', async () => {
    // The hub now serves the model: the fixture's files under the real model's name.
    const fixtureDir = path.join(process.env.GLIMPSE_TEST_MODELS_DIR!, FIXTURE_MODEL_ID);
    for (const file of findModelEntry(bundledModelManifest(), MODEL)!.files) {
      const local = path.join(fixtureDir, file.path);
      if (fs.existsSync(local)) hubFiles.set(`${MODEL}/${file.path}`, { bytes: fs.readFileSync(local) });
    }
    const downloaded = await api.invoke('models.download', { id: MODEL });
    expect(downloaded).toMatchObject({ ok: true, value: { id: MODEL, present: true } });

    const ready = await api.invoke('folders.index', { path: photos });
    expect(ready.ok).toBe(true);
    const search = await api.invoke('search.query', { query: 'red' });
    expect(search.ok && path.basename(search.value.hits[0].photo.path)).toBe('red.jpg');
    expect(hub.requests.some((r) => r.path.includes('vision_model'))).toBe(true);
  });
});
