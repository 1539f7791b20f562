// The window's photo operations through the real Api: day counts from the catalog, removals that come back from
// Recently deleted, folder browsing that refuses what holds no photos, place names from the bundled town table, and a
// missing model that answers searches at once while its download is retried in the background.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig } from '../../src-main/config';
import { placeName } from '../../src-main/library/place-names';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { startLoopbackHub, type LoopbackHub } from '../ml/loopback-hub';
import { call } from './unwrap';

async function photo(file: string, shade: number, takenAt: string | null) {
  const image = sharp({ create: { width: 64, height: 48, channels: 3, background: { r: shade, g: 255 - shade, b: 90 } } });
  await (takenAt ? image.withExif({ IFD0: { DateTime: takenAt } }) : image).jpeg().toFile(file);
}

describe('photo operations', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-photo-ops-'));
  const photos = path.join(root, 'Trip');
  let api: Api;

  beforeAll(async () => {
    fs.mkdirSync(path.join(photos, 'Day one'), { recursive: true });
    fs.mkdirSync(path.join(photos, '.hidden'));
    for (let i = 0; i < 5; i++) await photo(path.join(photos, `a${i}.jpg`), 10 + i * 20, '2024:06:02 10:00:00');
    for (let i = 0; i < 2; i++) await photo(path.join(photos, `b${i}.jpg`), 150 + i * 30, '2024:05:30 09:00:00');
    const config = loadConfig({ env: {}, overrides: { dataDir: path.join(root, 'data'), modelsDir: process.env.GLIMPSE_TEST_MODELS_DIR!, model: FIXTURE_MODEL_ID } });
    api = await openApi(config);
    await call(api, 'folders.index', { path: photos });
  });

  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('counts each day from the catalog, in gallery order', async () => {
    const days = await call(api, 'gallery.days', {});
    expect(days).toEqual([
      { day: '2024-06-02', count: 5 },
      { day: '2024-05-30', count: 2 },
    ]);
    const page = await call(api, 'gallery.page', { pageSize: 3 });
    expect(page.total).toBe(7);
  });

  it('puts a removed photo back from Recently deleted, searchable again', async () => {
    const page = await call(api, 'gallery.page', { pageSize: 50 });
    const victim = page.items.find((p) => path.basename(p.path) === 'b1.jpg')!;
    await call(api, 'photos.delete', { ids: [victim.id] });
    expect((await call(api, 'gallery.page', {})).total).toBe(6);

    const deleted = await call(api, 'photos.deleted', undefined);
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatchObject({ path: victim.path, inTrash: false });
    expect(deleted[0].thumbnail).toMatch(/^data:image\/webp;base64,/);
    const days = (new Date(deleted[0].expiresAt).getTime() - new Date(deleted[0].deletedAt).getTime()) / 86_400_000;
    expect(days).toBe(30);

    expect(await call(api, 'photos.restore', { ids: [deleted[0].id, 999] })).toEqual({
      restored: 1,
      failed: [{ path: '#999', error: 'nothing with this id was recently deleted' }],
    });
    await expect.poll(async () => (await call(api, 'gallery.page', {})).items.map((p) => path.basename(p.path)), { timeout: 20_000 }).toContain('b1.jpg');
    expect(await call(api, 'photos.deleted', undefined)).toEqual([]);
    // Indexed again from the start, so Find similar reaches it once its vector is in.
    const b0 = page.items.find((p) => path.basename(p.path) === 'b0.jpg')!.id;
    await expect
      .poll(async () => (await call(api, 'search.similar', { id: b0 })).hits.map((h) => path.basename(h.photo.path)), { timeout: 20_000 })
      .toContain('b1.jpg');
  });

  it('keeps favourites by content: marked, listed newest first, unmarked; unknown ids named', async () => {
    const page = await call(api, 'gallery.page', { pageSize: 50 });
    const [newest, older] = [page.items[0], page.items.at(-1)!];
    expect(await call(api, 'photos.favourite', { ids: [older.id, newest.id], favourite: true })).toEqual({ ids: [older.id, newest.id] });
    expect((await call(api, 'gallery.favourites', undefined)).map((p) => p.id)).toEqual([newest.id, older.id]);
    expect((await call(api, 'photos.get', { id: newest.id })).favourite).toBe(true);
    expect((await call(api, 'photos.get', { path: newest.path })).favourite).toBe(true);
    await call(api, 'photos.favourite', { ids: [newest.id], favourite: false });
    expect((await call(api, 'gallery.favourites', undefined)).map((p) => p.id)).toEqual([older.id]);
    const unknown = await api.invoke('photos.favourite', { ids: [424242], favourite: true });
    expect(unknown.ok || unknown.error).toMatchObject({ code: 'NOT_FOUND', subject: '424242' });
  });

  it('lists subfolders to complete a path, leaving hidden ones out and refusing what holds no photos', async () => {
    expect(await call(api, 'folders.browse', { path: photos })).toEqual({ path: photos, parent: root, folders: [path.join(photos, 'Day one')] });
    expect((await call(api, 'folders.browse', { path: '' })).path).toBe(fs.realpathSync(os.homedir()));
    const relative = await api.invoke('folders.browse', { path: 'Pictures' });
    expect(relative.ok || relative.error.code).toBe('INVALID_INPUT');
    const dataDir = await api.invoke('folders.browse', { path: path.join(root, 'data') });
    expect(dataDir.ok || dataDir.error).toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringContaining('Glimpse’s own data') });
    const missing = await api.invoke('folders.browse', { path: path.join(root, 'nope') });
    expect(missing.ok || missing.error.code).toBe('NOT_FOUND');
    const file = await api.invoke('folders.browse', { path: path.join(photos, 'a0.jpg') });
    expect(file.ok || file.error.code).toBe('NOT_A_DIRECTORY');
    if (process.platform === 'linux') {
      const proc = await api.invoke('folders.browse', { path: '/proc' });
      expect(proc.ok || proc.error.code).toBe('PERMISSION_DENIED');
    }
  });
});

describe('place names', () => {
  it('names the nearest town, says "near" farther out, and nothing at sea', () => {
    expect(placeName(45.764, 4.8357)).toBe('Lyon, France');
    expect(placeName(35.6762, 139.6503)).toBe('Tokyo, Japan');
    expect(placeName(45.2, 5.2)).toMatch(/^near /);
    expect(placeName(-40, -130)).toBeNull();
    expect(placeName(null, 4)).toBeNull();
  });
});

describe('a missing model', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-model-missing-'));
  let hub: LoopbackHub;
  let api: Api;

  beforeAll(async () => {
    hub = await startLoopbackHub(new Map());
    const config = loadConfig({
      env: { GLIMPSE_MODELS_DIR: path.join(root, 'models'), GLIMPSE_MODEL: 'Xenova/siglip-base-patch16-224', GLIMPSE_OFFLINE: '0', HF_ENDPOINT: hub.url },
      overrides: { dataDir: path.join(root, 'data') },
    });
    api = await openApi(config, { modelRetryBaseMs: 300 });
  });

  afterAll(async () => {
    await api?.close();
    await hub?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers searches with MODEL_MISSING without a download per query, and retries in the background', async () => {
    const requestsBefore = hub.requests.length;
    const answers = await Promise.all(['red', 'blue', 'green'].map((query) => api.invoke('search.query', { query })));
    for (const answer of answers) {
      expect(answer.ok || answer.error).toMatchObject({ code: 'MODEL_MISSING', message: expect.stringContaining('Search is unavailable') });
    }
    expect(hub.requests.length - requestsBefore).toBeLessThanOrEqual(1);
    await expect
      .poll(async () => (await call(api, 'models.list', undefined)).find((m) => m.active)?.fetchError ?? null, { timeout: 30_000 })
      .toContain('could not be downloaded');
    const active = (await call(api, 'models.list', undefined)).find((m) => m.active)!;
    expect(new Date(active.retryAt!).getTime()).toBeGreaterThan(Date.now() - 1000);
    const afterFirst = hub.requests.length;
    await expect.poll(() => hub.requests.length, { timeout: 30_000 }).toBeGreaterThan(afterFirst);
  });
});
