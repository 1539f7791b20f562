// "Export a copy" through the real Api on real files: originals copied byte for byte, nothing ever overwritten (taken
// names get "name (2).jpg"), a new folder made only where its parent exists, Glimpse's data dir and system folders
// refused, and one answer per photo saying what was written and what failed and why.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig } from '../../src-main/config';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { call } from './unwrap';

async function photo(file: string, shade: number) {
  await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: shade, g: 255 - shade, b: 90 } } })
    .withExif({ IFD0: { DateTime: '2024:06:02 10:00:00', Artist: `shade ${shade}` } })
    .jpeg()
    .toFile(file);
}

describe('exporting copies of photos', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-export-'));
  const library = path.join(root, 'Library');
  const dataDir = path.join(root, 'data');
  let api: Api;
  const idOf = new Map<string, number>();

  beforeAll(async () => {
    fs.mkdirSync(path.join(library, 'Paris'), { recursive: true });
    await photo(path.join(library, 'IMG_0001.jpg'), 20);
    await photo(path.join(library, 'Paris', 'IMG_0001.jpg'), 120);
    await photo(path.join(library, 'tower.jpg'), 220);
    const config = loadConfig({ env: {}, overrides: { dataDir, modelsDir: process.env.GLIMPSE_TEST_MODELS_DIR!, model: FIXTURE_MODEL_ID, offline: true } });
    api = await openApi(config);
    await call(api, 'folders.index', { path: library });
    for (const item of (await call(api, 'gallery.page', {})).items) idOf.set(path.relative(library, item.path), item.id);
  });

  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('copies the originals byte for byte into a new folder, renaming instead of overwriting', async () => {
    const target = path.join(root, 'For Grandma');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'tower.jpg'), 'a file that was already there');
    const ids = [idOf.get('IMG_0001.jpg')!, idOf.get(path.join('Paris', 'IMG_0001.jpg'))!, idOf.get('tower.jpg')!];

    const result = await call(api, 'photos.export', { ids, folder: target });

    expect(result.folder).toBe(fs.realpathSync(target));
    expect(result.failed).toEqual([]);
    expect(result.exported.map((e) => [path.relative(library, e.from), path.basename(e.to)])).toEqual([
      ['IMG_0001.jpg', 'IMG_0001.jpg'],
      [path.join('Paris', 'IMG_0001.jpg'), 'IMG_0001 (2).jpg'],
      ['tower.jpg', 'tower (2).jpg'],
    ]);
    for (const { from, to } of result.exported) expect(fs.readFileSync(to).equals(fs.readFileSync(from))).toBe(true);
    expect(fs.readFileSync(path.join(target, 'tower.jpg'), 'utf8')).toBe('a file that was already there');
    // The copy keeps the original's modification time (to the millisecond utimes can set), so it sorts as the original.
    expect(Math.abs(fs.statSync(result.exported[0].to).mtimeMs - fs.statSync(result.exported[0].from).mtimeMs)).toBeLessThan(1);

    // A second export of the same photo finds both names taken and takes the next.
    const again = await call(api, 'photos.export', { ids: [ids[2]], folder: target });
    expect(again.exported.map((e) => path.basename(e.to))).toEqual(['tower (3).jpg']);
    // The library did not grow: an export folder is not a library folder.
    expect((await call(api, 'gallery.page', {})).total).toBe(3);
  });

  it('creates the folder when its parent exists, and refuses when the parent does not', async () => {
    const fresh = path.join(root, 'Exports', 'June');
    const missingParent = await api.invoke('photos.export', { ids: [idOf.get('tower.jpg')!], folder: fresh });
    expect(missingParent).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(!missingParent.ok && missingParent.error.message).toContain(`There is no folder ${path.join(root, 'Exports')}`);
    expect(fs.existsSync(path.join(root, 'Exports'))).toBe(false);

    fs.mkdirSync(path.join(root, 'Exports'));
    const made = await call(api, 'photos.export', { ids: [idOf.get('tower.jpg')!], folder: fresh });
    expect(fs.readdirSync(fresh)).toEqual(['tower.jpg']);
    expect(made.exported).toHaveLength(1);
  });

  it('refuses the data dir, anything in it and system folders, writing nothing there', async () => {
    const id = idOf.get('tower.jpg')!;
    const refusals = [dataDir, path.join(dataDir, 'thumbnails'), path.join(dataDir, 'new-inside')];
    if (process.platform === 'linux') refusals.push('/proc', '/proc/self', '/sys/kernel');
    for (const folder of refusals) {
      const result = await api.invoke('photos.export', { ids: [id], folder });
      expect(result, folder).toMatchObject({ ok: false, error: { code: 'FOLDER_REFUSED' } });
      expect(!result.ok && result.error.message).toMatch(/copies cannot be exported there$/);
    }
    expect(fs.existsSync(path.join(dataDir, 'new-inside'))).toBe(false);
    expect(fs.readdirSync(path.join(dataDir, 'thumbnails')).some((name) => name.endsWith('.jpg'))).toBe(false);
  });

  it('says per photo what failed and why, and still copies the rest', async () => {
    const target = path.join(root, 'Partial');
    const gone = path.join(library, 'gone.jpg');
    await photo(gone, 60);
    await call(api, 'folders.index', { path: library });
    const goneId = (await call(api, 'photos.get', { path: gone })).id;
    fs.rmSync(gone);

    const result = await call(api, 'photos.export', { ids: [goneId, 999_999, idOf.get('tower.jpg')!], folder: target });

    expect(result.exported.map((e) => path.basename(e.to))).toEqual(['tower.jpg']);
    expect(result.failed).toEqual([
      { id: goneId, path: gone, error: `the original is no longer at ${gone}` },
      { id: 999_999, path: null, error: 'there is no photo with id 999999 in the library' },
    ]);
  });

  it('names the cause of a bad folder: a file, a folder under a file, a relative path', async () => {
    const id = idOf.get('tower.jpg')!;
    const file = path.join(library, 'tower.jpg');
    expect(await api.invoke('photos.export', { ids: [id], folder: file })).toMatchObject({ ok: false, error: { code: 'NOT_A_DIRECTORY', message: `${file} is a file, not a folder` } });
    expect(await api.invoke('photos.export', { ids: [id], folder: path.join(file, 'sub') })).toMatchObject({ ok: false, error: { code: 'NOT_A_DIRECTORY' } });
    expect(await api.invoke('photos.export', { ids: [id], folder: 'relative/folder' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await api.invoke('photos.export', { ids: [], folder: root })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
