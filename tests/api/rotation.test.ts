// Turning a photo through the real Api on SQLite and on PostgreSQL: the grid and viewer pictures come back turned
// (a marked corner lands where a person expects), the original's bytes never change, and the turn is kept by content
// through a move, a removal and restore, and a rescan.
import { createHash } from 'node:crypto';
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

const WIDTH = 96;
const HEIGHT = 64;

/** A grey photo with a red block in its top-left corner. */
async function markedPhoto(file: string, shade: number): Promise<void> {
  const pixels = Buffer.alloc(WIDTH * HEIGHT * 3, shade);
  for (let y = 0; y < 20; y++) {
    for (let x = 0; x < 20; x++) pixels.set([230, 20, 20], (y * WIDTH + x) * 3);
  }
  await sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: 95 }).toFile(file);
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Which corner of a picture is red, and the picture's size. */
async function redCorner(file: string): Promise<{ corner: string; width: number; height: number }> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => data[(y * info.width + x) * info.channels];
  const inset = (n: number) => Math.max(1, Math.round(n * 0.05));
  const corners = {
    'top-left': at(inset(info.width), inset(info.height)),
    'top-right': at(info.width - 1 - inset(info.width), inset(info.height)),
    'bottom-left': at(inset(info.width), info.height - 1 - inset(info.height)),
    'bottom-right': at(info.width - 1 - inset(info.width), info.height - 1 - inset(info.height)),
  };
  const red = Object.entries(corners).filter(([, value]) => value > 180).map(([name]) => name);
  return { corner: red.join(','), width: info.width, height: info.height };
}

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`rotating photos (${engine})`, () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `glimpse-rotate-${engine}-`));
    const photos = path.join(root, 'Trip');
    let database: TestDatabase | null = null;
    let api: Api;
    let id: number;
    let original: string;
    let originalHash: string;

    beforeAll(async () => {
      fs.mkdirSync(photos);
      await markedPhoto(path.join(photos, 'marked.jpg'), 120);
      await markedPhoto(path.join(photos, 'other.jpg'), 60);
      original = path.join(photos, 'marked.jpg');
      originalHash = sha256(original);
      if (engine === 'postgres') database = await createTestDatabase('glimpse_rotate');
      const config = loadConfig({
        env: {},
        overrides: { dataDir: path.join(root, 'data'), modelsDir: process.env.GLIMPSE_TEST_MODELS_DIR!, model: FIXTURE_MODEL_ID, ...(database ? { databaseUrl: database.url } : {}) },
      });
      api = await openApi(config);
      await call(api, 'folders.index', { path: photos });
      id = (await call(api, 'photos.get', { path: original })).id;
    }, 120_000);

    afterAll(async () => {
      await api?.close();
      await database?.drop();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('serves turned grid and viewer pictures, reports the turn, and never touches the file', async () => {
      const view = (await api.imageFile(id, 'view'))!.path;
      expect(await redCorner(view)).toEqual({ corner: 'top-left', width: WIDTH, height: HEIGHT });

      expect(await call(api, 'photos.rotate', { ids: [id], by: 1 })).toEqual([{ id, rotation: 1 }]);
      expect(await redCorner((await api.imageFile(id, 'view'))!.path)).toEqual({ corner: 'top-right', width: HEIGHT, height: WIDTH });
      expect((await redCorner((await api.imageFile(id, 'thumb'))!.path)).corner).toBe('top-right');
      expect((await call(api, 'photos.get', { id })).rotation).toBe(1);
      expect(await call(api, 'photos.rotations', undefined)).toEqual([{ id, rotation: 1 }]);

      expect(await call(api, 'photos.rotate', { ids: [id], by: 2 })).toEqual([{ id, rotation: 3 }]);
      expect(await redCorner((await api.imageFile(id, 'view'))!.path)).toEqual({ corner: 'bottom-left', width: HEIGHT, height: WIDTH });
      expect(await call(api, 'photos.rotate', { ids: [id, id], by: -1 })).toEqual([{ id, rotation: 2 }]);
      expect((await redCorner((await api.imageFile(id, 'thumb'))!.path)).corner).toBe('bottom-right');

      // The original is the file as it is on disk: the same path, the same bytes.
      expect((await api.imageFile(id, 'original'))!.path).toBe(original);
      expect(sha256(original)).toBe(originalHash);

      expect(await call(api, 'photos.rotate', { ids: [id], to: 0 })).toEqual([{ id, rotation: 0 }]);
      expect(await redCorner((await api.imageFile(id, 'view'))!.path)).toEqual({ corner: 'top-left', width: WIDTH, height: HEIGHT });
      expect(await call(api, 'photos.rotations', undefined)).toEqual([]);
      expect(sha256(original)).toBe(originalHash);
    });

    it('sends every photo’s shape as shown with the days when asked, a turned one on its side', async () => {
      const shapes = async () => (await call(api, 'gallery.days', { aspects: true })).flatMap((day) => day.aspects ?? []);
      expect(await shapes()).toEqual([1.5, 1.5]);
      await call(api, 'photos.rotate', { ids: [id], by: 1 });
      expect((await shapes()).sort()).toEqual([0.667, 1.5]);
      await call(api, 'photos.rotate', { ids: [id], by: 1 });
      expect(await shapes()).toEqual([1.5, 1.5]);
      await call(api, 'photos.rotate', { ids: [id], to: 0 });
      // Asked without, the days stay as they were: a count per day.
      expect((await call(api, 'gallery.days', {})).every((day) => day.aspects === undefined)).toBe(true);
    });

    it('keeps the turn through a move, a removal and restore, and a rescan', async () => {
      await call(api, 'photos.rotate', { ids: [id], to: 3 });
      const folder = (await call(api, 'folders.list', undefined))[0];
      const moved = path.join(photos, 'Moved', 'renamed.jpg');
      fs.mkdirSync(path.dirname(moved));
      fs.renameSync(original, moved);
      await call(api, 'folders.rescan', { id: folder.id });
      await expect.poll(async () => (await api.invoke('photos.get', { path: moved })).ok, { timeout: 20_000 }).toBe(true);
      const afterMove = await call(api, 'photos.get', { path: moved });
      expect(afterMove.rotation).toBe(3);

      await call(api, 'photos.delete', { ids: [afterMove.id] });
      expect(await call(api, 'photos.rotations', undefined)).toEqual([]);
      const deleted = await call(api, 'photos.deleted', undefined);
      // Recently deleted shows it turned, as it was shown before the removal.
      const kept = await sharp(Buffer.from(deleted[0].thumbnail!.split(',')[1], 'base64')).metadata();
      expect(kept.width).toBeLessThan(kept.height!);
      await call(api, 'photos.restore', { ids: deleted.map((entry) => entry.id) });
      await expect.poll(async () => (await api.invoke('photos.get', { path: moved })).ok, { timeout: 20_000 }).toBe(true);
      const restored = await call(api, 'photos.get', { path: moved });
      await expect.poll(async () => (await api.imageFile(restored.id, 'view')) !== null, { timeout: 20_000 }).toBe(true);
      expect(restored.rotation).toBe(3);
      expect(await call(api, 'photos.rotations', undefined)).toEqual([{ id: restored.id, rotation: 3 }]);
      expect((await redCorner((await api.imageFile(restored.id, 'view'))!.path)).corner).toBe('bottom-left');
      expect(sha256(moved)).toBe(originalHash);
    });

    it('names what is wrong with a bad request and changes nothing', async () => {
      const other = (await call(api, 'photos.get', { path: path.join(photos, 'other.jpg') })).id;
      const bad = await api.invoke('photos.rotate', { ids: [other], by: 3 });
      expect(bad.ok).toBe(false);
      if (!bad.ok) expect(bad.error).toMatchObject({ code: 'INVALID_INPUT' });
      const unknown = await api.invoke('photos.rotate', { ids: [other, 424242], by: 1 });
      expect(unknown.ok ? null : unknown.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('424242') });
      expect((await call(api, 'photos.get', { id: other })).rotation).toBe(0);
    });
  });
}
