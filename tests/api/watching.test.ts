// The app and browser mode open the Api with watching on: a photo saved into a library folder while Glimpse runs
// shows up in the gallery and in search without a rescan, and one deleted on disk leaves both.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlimpseEvent } from '../../src-preload/api';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig } from '../../src-main/config';
import { COLOUR_PROTOTYPES, FIXTURE_MODEL_ID } from '../fixtures/generate-models';

/** Resolves once `check` holds after a library event, failing with `what` if it never does. */
async function eventually(api: Api, what: string, check: () => Promise<boolean>): Promise<void> {
  if (await check()) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`never happened: ${what}`));
    }, 30_000);
    const unsubscribe = api.subscribe((event: GlimpseEvent) => {
      if (event.type !== 'library' && event.type !== 'progress') return;
      void check().then((ok) => {
        if (!ok) return;
        clearTimeout(timer);
        unsubscribe();
        resolve();
      });
    });
  });
}

describe('a running Glimpse follows its folders', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-watching-'));
  const photos = path.join(root, 'photos');
  let api: Api;

  beforeAll(async () => {
    fs.mkdirSync(photos);
    api = await openApi(
      loadConfig({
        env: { GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' },
        overrides: { dataDir: path.join(root, 'data'), writeSettleMs: 200 },
      }),
      { indexing: { watch: true, command: 'test' } },
    );
    const added = await api.invoke('folders.add', { path: photos });
    expect(added.ok).toBe(true);
  });

  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('indexes a photo saved into the folder, makes it searchable, and drops it when it is deleted', async () => {
    const [r, g, b] = COLOUR_PROTOTYPES.purple;
    const file = path.join(photos, 'new purple.jpg');
    await sharp({ create: { width: 240, height: 180, channels: 3, background: { r, g, b } } }).jpeg().toFile(file);

    const galleryPaths = async () => {
      const page = await api.invoke('gallery.page', {});
      return page.ok ? page.value.items.filter((p) => p.status === 'ready').map((p) => p.path) : [];
    };
    await eventually(api, 'the new photo is ready in the gallery', async () => (await galleryPaths()).includes(file));
    const search = await api.invoke('search.query', { query: 'purple' });
    expect(search.ok && search.value.hits[0]?.photo.path).toBe(file);

    fs.rmSync(file);
    await eventually(api, 'the deleted photo leaves the gallery', async () => !(await galleryPaths()).includes(file));
    const after = await api.invoke('search.query', { query: 'purple' });
    expect(after.ok && after.value.hits.map((h) => h.photo.path)).toEqual([]);
  });
});
