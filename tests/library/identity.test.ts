// A photo is its bytes: renames and moves keep its row, byte-identical copies are recorded once, a copy takes over
// when the original goes, edits in place redo its stages, and deletes, imports and folder removal do what they say.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writePhoto, writeTruncatedJpeg } from '../fixtures/photos';
import { type Harness, eventually, makeHarness } from './library-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

/** Where the freedesktop trash put a file: its .trashinfo names the original path. */
function findInTrash(original: string): { file: string; info: string } | undefined {
  let mount = path.dirname(original);
  const dev = fs.statSync(mount).dev;
  while (path.dirname(mount) !== mount && fs.statSync(path.dirname(mount)).dev === dev) mount = path.dirname(mount);
  const uid = process.getuid?.() ?? 0;
  const trashes = [
    path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'Trash'),
    path.join(mount, `.Trash-${uid}`),
    path.join(mount, '.Trash', String(uid)),
  ];
  for (const trash of trashes) {
    const infoDir = path.join(trash, 'info');
    if (!fs.existsSync(infoDir)) continue;
    for (const name of fs.readdirSync(infoDir)) {
      const info = path.join(infoDir, name);
      if (fs.readFileSync(info, 'utf8').includes(`Path=${encodeURI(original)}\n`)) {
        return { file: path.join(trash, 'files', name.replace(/\.trashinfo$/, '')), info };
      }
    }
  }
  return undefined;
}

describe('photo identity', () => {
  it('keeps the id (and stages) across a rename and a move found by a rescan', async () => {
    harness = await makeHarness();
    const { library, catalog, photos } = harness;
    const original = await writePhoto(path.join(photos, 'a.jpg'), { seed: 1 });
    const [folder] = [await library.addFolder(photos)];
    await library.waitForIdle();
    const before = (await catalog.getImageByPath(original))!;

    const renamed = path.join(photos, 'renamed.jpg');
    fs.renameSync(original, renamed);
    await library.rescanFolder(folder.id);
    await library.waitForIdle();
    expect((await catalog.getImageByPath(renamed))?.id).toBe(before.id);

    const moved = path.join(photos, 'sub', 'deeper', 'moved.jpg');
    fs.mkdirSync(path.dirname(moved), { recursive: true });
    fs.renameSync(renamed, moved);
    await library.rescanFolder(folder.id);
    await library.waitForIdle();
    const after = (await catalog.getImageByPath(moved))!;
    expect(after.id).toBe(before.id);
    expect(after.thumb_path).toBe(before.thumb_path);
    expect(after.status).toBe('ready');
    expect(await catalog.getImageByPath(original)).toBeUndefined();
    expect((await library.listFolders())[0]).toMatchObject({ total: 1, ready: 1 });
  });

  it('records a byte-identical copy once, and lets the copy take over when the original is deleted', async () => {
    harness = await makeHarness();
    const { library, catalog, photos } = harness;
    const original = await writePhoto(path.join(photos, 'a.jpg'), { seed: 1 });
    await library.indexFolder(photos);
    const copy = path.join(photos, 'backup', 'a copy.jpg');
    fs.mkdirSync(path.dirname(copy));
    fs.copyFileSync(original, copy);

    const report = await library.indexFolder(photos);
    expect(report).toEqual({ indexed: 1, duplicates: 1, failed: [] });
    const image = (await catalog.getImageByPath(original))!;
    expect((await catalog.photoDetails(image.id))?.duplicatePaths).toEqual([copy]);

    fs.rmSync(original);
    await library.indexFolder(photos);
    const survivor = (await catalog.getImageByPath(copy))!;
    expect(survivor.id).toBe(image.id);
    expect(await catalog.duplicatesOf(image.id)).toEqual([]);
    expect((await library.listFolders())[0]).toMatchObject({ total: 1, duplicates: 0 });
  });

  it('gives a file edited in place its new hash and redoes its stages', async () => {
    harness = await makeHarness();
    const { library, catalog, photos } = harness;
    const file = await writePhoto(path.join(photos, 'a.jpg'), { seed: 1, exif: { model: 'Before' } });
    await library.indexFolder(photos);
    const before = (await catalog.getImageByPath(file))!;

    await writePhoto(file, { seed: 2, width: 80, height: 40, exif: { model: 'After' } });
    await library.indexFolder(photos);
    const after = (await catalog.getImageByPath(file))!;
    expect(after.id).toBe(before.id);
    expect(after.hash).not.toBe(before.hash);
    expect([after.width, after.height, after.camera_model, after.status]).toEqual([80, 40, 'After', 'ready']);
    expect(fs.existsSync(before.thumb_path!)).toBe(false);
    expect(fs.existsSync(after.thumb_path!)).toBe(true);
  });

  it('keeps the old photo on its copy when the original is edited in place, and indexes the edit as a new photo', async () => {
    harness = await makeHarness();
    const { library, catalog, photos } = harness;
    const original = await writePhoto(path.join(photos, 'a.jpg'), { seed: 1 });
    await library.indexFolder(photos);
    const before = (await catalog.getImageByPath(original))!;
    // The backup arrives later, so the original surely holds the photo and the backup is its recorded copy.
    const backup = path.join(photos, 'backup', 'a.jpg');
    fs.mkdirSync(path.dirname(backup));
    fs.copyFileSync(original, backup);
    expect(await library.indexFolder(photos)).toEqual({ indexed: 1, duplicates: 1, failed: [] });

    await writePhoto(original, { seed: 2, width: 80, height: 40 });
    expect(await library.indexFolder(photos)).toEqual({ indexed: 2, duplicates: 0, failed: [] });
    const kept = (await catalog.getImageByPath(backup))!;
    const edited = (await catalog.getImageByPath(original))!;
    expect([kept.id, kept.hash, kept.status]).toEqual([before.id, before.hash, 'ready']);
    expect(fs.existsSync(kept.thumb_path!)).toBe(true);
    expect([edited.width, edited.status]).toEqual([80, 'ready']);
    expect(edited.id).not.toBe(before.id);
    expect((await catalog.photoDetails(edited.id))?.duplicatePaths).toEqual([]);
  });
});

describe('deleting, importing and removing folders', () => {
  it('moves a deleted photo to the OS trash, and keeps a photo removed without trash from coming back', async () => {
    harness = await makeHarness();
    const { library, catalog, photos } = harness;
    const trashed = await writePhoto(path.join(photos, 'to trash.jpg'), { seed: 1 });
    const kept = await writePhoto(path.join(photos, 'keep on disk.jpg'), { seed: 2 });
    const other = await writePhoto(path.join(photos, 'other.jpg'), { seed: 3 });
    const folder = await library.addFolder(photos);
    await library.waitForIdle();
    const trashedRow = (await catalog.getImageByPath(trashed))!;
    const keptRow = (await catalog.getImageByPath(kept))!;
    const bytes = fs.readFileSync(trashed);

    expect(await library.deletePhotos([trashedRow.id], true)).toEqual({ removed: 1, trashed: 1, failed: [] });
    expect(fs.existsSync(trashed)).toBe(false);
    const inTrash = findInTrash(trashed);
    expect(inTrash && fs.readFileSync(inTrash.file).equals(bytes)).toBe(true);
    fs.rmSync(inTrash!.file);
    fs.rmSync(inTrash!.info);
    expect(fs.existsSync(trashedRow.thumb_path!)).toBe(false);

    expect(await library.deletePhotos([keptRow.id, 999_999], false)).toEqual({
      removed: 1,
      trashed: 0,
      failed: [{ path: '#999999', error: 'no photo with this id in the library' }],
    });
    expect(fs.existsSync(kept)).toBe(true);
    await library.rescanFolder(folder.id);
    await library.waitForIdle();
    expect(await catalog.getImageByPath(kept)).toBeUndefined();
    // Once the person changes the file, it is a new photo to index.
    await writePhoto(kept, { seed: 4 });
    await library.rescanFolder(folder.id);
    await library.waitForIdle();
    expect((await catalog.getImageByPath(kept))?.status).toBe('ready');
    expect((await catalog.getImageByPath(other))?.status).toBe('ready');
    await eventually(() => {
      const removedEvents = harness!.events.flatMap((e) => (e.type === 'library' ? e.removed : []));
      expect(removedEvents).toEqual(expect.arrayContaining([trashedRow.id, keptRow.id]));
    });
  });

  it('imports files by copying them into the managed Imported folder, skipping duplicates and keeping no broken copy', async () => {
    harness = await makeHarness();
    const { library, catalog, root } = harness;
    const outside = path.join(root, 'desktop');
    const good = await writePhoto(path.join(outside, 'beach.jpg'), { seed: 1 });
    const twin = path.join(outside, 'beach again.jpg');
    fs.copyFileSync(good, twin);
    const broken = await writeTruncatedJpeg(path.join(outside, 'broken.jpg'));
    const notPhoto = path.join(outside, 'notes.txt');
    fs.writeFileSync(notPhoto, 'hello');

    const result = await library.importFiles([good, twin, broken, notPhoto, path.join(outside, 'missing.jpg')]);

    expect(result.indexed).toBe(1);
    expect(result.duplicates).toBe(1);
    expect(result.failed.map((f) => [path.basename(f.path), f.error.split(' (')[0]])).toEqual([
      ['broken.jpg', 'the image is damaged or truncated'],
      ['notes.txt', 'not a photo Glimpse can import'],
      ['missing.jpg', 'the file was deleted or moved before Glimpse could read it'],
    ]);
    const imported = path.join(harness.config.dataDir, 'Imported');
    expect(fs.readdirSync(imported)).toEqual(['beach.jpg']);
    expect((await catalog.getImageByPath(path.join(imported, 'beach.jpg')))?.status).toBe('ready');
    const folders = await library.listFolders();
    expect(folders).toEqual([expect.objectContaining({ path: imported, managed: true, total: 1, failed: 0 })]);
    expect(fs.existsSync(good)).toBe(true);
  });

  it('removes a folder with its photos and thumbnails, telling the vector stores first', async () => {
    const told: number[][] = [];
    harness = await makeHarness();
    await harness.library.close();
    const { Library } = await import('../../src-main/library/library');
    harness.library = await Library.open({ config: harness.config, catalog: harness.catalog, onPhotosRemoved: async (ids) => void told.push(ids) });
    await harness.library.start();
    await writePhoto(path.join(harness.photos, 'a.jpg'), { seed: 1 });
    await writePhoto(path.join(harness.photos, 'b.jpg'), { seed: 2 });
    const folder = await harness.library.addFolder(harness.photos);
    await harness.library.waitForIdle();
    const thumbs = (await harness.catalog.pathsUnder(harness.photos)).images.map((i) => i.thumb_path!);
    expect(await harness.library.removeFolder(folder.id)).toEqual({ removedPhotos: 2 });
    expect(told.flat().sort()).toHaveLength(2);
    expect(thumbs.every((t) => !fs.existsSync(t))).toBe(true);
    expect(await harness.library.listFolders()).toEqual([]);
    expect(fs.existsSync(path.join(harness.photos, 'a.jpg'))).toBe(true);
  });

  it('keeps a photo whose copy lies in another library folder when its own folder is removed', async () => {
    harness = await makeHarness();
    const { library, catalog, root } = harness;
    const phone = path.join(root, 'phone');
    const backup = path.join(root, 'backup');
    const original = await writePhoto(path.join(phone, 'a.jpg'), { seed: 1 });
    await writePhoto(path.join(phone, 'only here.jpg'), { seed: 2 });
    const copy = path.join(backup, 'a copy.jpg');
    fs.mkdirSync(backup);
    fs.copyFileSync(original, copy);
    const phoneFolder = await library.addFolder(phone);
    await library.addFolder(backup);
    await library.waitForIdle();
    const photo = (await catalog.getImageByPath(original))!;

    expect(await library.removeFolder(phoneFolder.id)).toEqual({ removedPhotos: 1 });
    const survivor = (await catalog.getImageByPath(copy))!;
    expect([survivor.id, survivor.status]).toEqual([photo.id, 'ready']);
    expect(fs.existsSync(survivor.thumb_path!)).toBe(true);
    expect(await library.listFolders()).toEqual([expect.objectContaining({ path: backup, total: 1, ready: 1, duplicates: 0 })]);
  });
});
