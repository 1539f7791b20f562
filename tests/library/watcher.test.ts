// While watching, the catalog follows the folder: files added (including ones still being written), modified,
// renamed, moved and deleted; and changes made while Glimpse was closed are found at the next start.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { photoBytes, writePhoto } from '../fixtures/photos';
import { type Harness, eventually, makeHarness } from './library-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

describe('watching a library folder', () => {
  it('follows adds, slow writes, edits, renames, moves and deletes', async () => {
    harness = await makeHarness({ watch: true });
    const { library, catalog, photos } = harness;
    const first = await writePhoto(path.join(photos, 'first.jpg'), { seed: 1 });
    await library.addFolder(photos);
    await library.waitForIdle();
    const firstId = (await catalog.getImageByPath(first))!.id;

    // Added while watching, one of them written slowly in two halves.
    const added = await writePhoto(path.join(photos, 'new', 'added.jpg'), { seed: 2 });
    const slow = path.join(photos, 'slow.jpg');
    const slowBytes = await photoBytes({ seed: 3, width: 128, height: 128 });
    fs.writeFileSync(slow, slowBytes.subarray(0, slowBytes.length >> 1));
    await new Promise((resolve) => setTimeout(resolve, 60));
    fs.appendFileSync(slow, slowBytes.subarray(slowBytes.length >> 1));
    await eventually(async () => {
      expect((await catalog.getImageByPath(added))?.status).toBe('ready');
      expect((await catalog.getImageByPath(slow))?.status).toBe('ready');
    });
    expect((await catalog.failedFiles()).length).toBe(0);

    // Modified in place: same row, new content.
    const before = (await catalog.getImageByPath(added))!;
    await writePhoto(added, { seed: 4, width: 96, height: 48 });
    await eventually(async () => {
      const after = (await catalog.getImageByPath(added))!;
      expect([after.id, after.width, after.status]).toEqual([before.id, 96, 'ready']);
      expect(after.hash).not.toBe(before.hash);
    });

    // Renamed, then moved to another sub-folder: the id stays.
    const renamed = path.join(photos, 'renamed first.jpg');
    fs.renameSync(first, renamed);
    await eventually(async () => expect((await catalog.getImageByPath(renamed))?.id).toBe(firstId));
    const moved = path.join(photos, 'new', 'moved here.jpg');
    fs.renameSync(renamed, moved);
    await eventually(async () => expect((await catalog.getImageByPath(moved))?.id).toBe(firstId));

    // A whole sub-folder moved keeps its photos' ids too.
    const slowId = (await catalog.getImageByPath(slow))!.id;
    fs.mkdirSync(path.join(photos, 'album'));
    fs.renameSync(slow, path.join(photos, 'album', 'slow.jpg'));
    fs.renameSync(path.join(photos, 'album'), path.join(photos, 'album 2024'));
    await eventually(async () => expect((await catalog.getImageByPath(path.join(photos, 'album 2024', 'slow.jpg')))?.id).toBe(slowId));

    // Deleted: the photo leaves the catalog.
    fs.rmSync(added);
    await eventually(async () => expect(await catalog.getImageByPath(added)).toBeUndefined());

    await library.waitForIdle();
    const gallery = await catalog.gallery({ page: 1, pageSize: 10, sort: 'added', order: 'asc' });
    expect(gallery.items.map((p) => path.relative(photos, p.path)).sort()).toEqual(['album 2024/slow.jpg', 'new/moved here.jpg']);
    expect(gallery.items.map((p) => p.id).sort()).toEqual([firstId, slowId].sort());
  });

  it('keeps the photos of a library folder that disappears while watched, and catches up when it comes back', async () => {
    harness = await makeHarness({ watch: true });
    const { library, catalog, root } = harness;
    const drive = path.join(root, 'drive');
    const first = await writePhoto(path.join(drive, 'first.jpg'), { seed: 1 });
    const second = await writePhoto(path.join(drive, 'second.jpg'), { seed: 2 });
    await library.addFolder(drive);
    await library.waitForIdle();
    const firstId = (await catalog.getImageByPath(first))!.id;
    const secondId = (await catalog.getImageByPath(second))!.id;

    // Unplugged: the folder is gone as a whole.
    fs.renameSync(drive, `${drive} (unplugged)`);
    await eventually(() =>
      expect(harness!.events).toContainEqual(expect.objectContaining({ type: 'notice', message: expect.stringContaining(`${drive} is missing`) })),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await library.waitForIdle();
    expect(await catalog.allImageIds()).toEqual([firstId, secondId].sort((a, b) => a - b));

    // Plugged back in, with one photo deleted and one added elsewhere meanwhile.
    fs.rmSync(path.join(`${drive} (unplugged)`, 'second.jpg'));
    fs.renameSync(`${drive} (unplugged)`, drive);
    const added = await writePhoto(path.join(drive, 'added.jpg'), { seed: 3 });
    await eventually(async () => {
      expect((await catalog.getImageByPath(added))?.status).toBe('ready');
      expect(await catalog.getImageByPath(second)).toBeUndefined();
    });
    expect((await catalog.getImageByPath(first))?.id).toBe(firstId);
    // And it is watched again.
    const later = await writePhoto(path.join(drive, 'later.jpg'), { seed: 4 });
    await eventually(async () => expect((await catalog.getImageByPath(later))?.status).toBe('ready'));
  });

  it('reconciles at start-up what changed while the library was closed', async () => {
    harness = await makeHarness();
    const { photos } = harness;
    const keep = await writePhoto(path.join(photos, 'keep.jpg'), { seed: 1 });
    const move = await writePhoto(path.join(photos, 'move.jpg'), { seed: 2 });
    const gone = await writePhoto(path.join(photos, 'gone.jpg'), { seed: 3 });
    await harness.library.indexFolder(photos);
    const ids = {
      keep: (await harness.catalog.getImageByPath(keep))!.id,
      move: (await harness.catalog.getImageByPath(move))!.id,
    };
    await harness.library.close();

    fs.rmSync(gone);
    const moved = path.join(photos, 'elsewhere', 'moved.jpg');
    fs.mkdirSync(path.dirname(moved));
    fs.renameSync(move, moved);
    const fresh = await writePhoto(path.join(photos, 'fresh.jpg'), { seed: 4 });

    const library = await harness.reopen({ watch: true });
    await library.waitForIdle();
    const { catalog } = harness;
    expect((await catalog.getImageByPath(keep))?.id).toBe(ids.keep);
    expect((await catalog.getImageByPath(moved))?.id).toBe(ids.move);
    expect(await catalog.getImageByPath(gone)).toBeUndefined();
    expect((await catalog.getImageByPath(fresh))?.status).toBe('ready');
    expect((await library.listFolders())[0]).toMatchObject({ total: 3, ready: 3, pending: 0, failed: 0 });
  });
});
