// The window's photo operations on a PostgreSQL catalog: day counts, Recently deleted and favourites use the same
// kysely queries and migrations as on SQLite (the SQLite path is tests/api/photo-handlers.test.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig } from '../../src-main/config';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';
import { call } from './unwrap';

describe('photo operations on PostgreSQL', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-photo-ops-pg-'));
  const photos = path.join(root, 'Trip');
  let database: TestDatabase;
  let api: Api;

  beforeAll(async () => {
    fs.mkdirSync(photos);
    for (const [i, taken] of ['2024:06:02 10:00:00', '2024:06:02 11:00:00', '2023:01:05 08:00:00'].entries()) {
      await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 40 + i * 80, g: 90, b: 200 - i * 60 } } })
        .withExif({ IFD0: { DateTime: taken } })
        .jpeg()
        .toFile(path.join(photos, `p${i}.jpg`));
    }
    database = await createTestDatabase('glimpse_photo_ops');
    const config = loadConfig({ env: {}, overrides: { dataDir: path.join(root, 'data'), databaseUrl: database.url, modelsDir: process.env.GLIMPSE_TEST_MODELS_DIR!, model: FIXTURE_MODEL_ID } });
    api = await openApi(config);
    await call(api, 'folders.index', { path: photos });
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('counts days, keeps favourites, and restores a removed photo', async () => {
    expect(await call(api, 'gallery.days', {})).toEqual([
      { day: '2024-06-02', count: 2 },
      { day: '2023-01-05', count: 1 },
    ]);
    const page = await call(api, 'gallery.page', {});
    await call(api, 'photos.favourite', { ids: [page.items[2].id], favourite: true });
    expect((await call(api, 'gallery.favourites', undefined)).map((p) => p.id)).toEqual([page.items[2].id]);
    await call(api, 'photos.delete', { ids: [page.items[0].id] });
    const deleted = await call(api, 'photos.deleted', undefined);
    expect(deleted.map((d) => path.basename(d.path))).toEqual([path.basename(page.items[0].path)]);
    expect((await call(api, 'photos.restore', { ids: [deleted[0].id] })).restored).toBe(1);
    await expect.poll(async () => (await call(api, 'gallery.page', {})).total, { timeout: 20_000 }).toBe(3);
  });
});
