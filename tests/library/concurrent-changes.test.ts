// What a person does while Glimpse is busy: edits a photo or removes its folder while a stage is working on it,
// or changes a file again while it is being hashed. Stale work must never stand in for the new bytes.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { thumbnailStage } from '../../src-main/library/thumbnail-stage';
import { thumbnailPath } from '../../src-main/library/thumbnail-store';
import { writePhoto } from '../fixtures/photos';
import { type Harness, eventually, makeHarness } from './library-harness';

/** Hashing can be held at its start by a test; otherwise it runs untouched. */
const hashing = vi.hoisted(() => ({ hold: null as null | { started: () => void; released: Promise<void> } }));
vi.mock('../../src-main/library/content-hash', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src-main/library/content-hash')>();
  return {
    ...real,
    hashFile: async (filePath: string) => {
      const hold = hashing.hold;
      if (hold) {
        hashing.hold = null;
        hold.started();
        await hold.released;
      }
      return real.hashFile(filePath);
    },
  };
});

function holdNextHashing() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const begun = new Promise<void>((resolve) => (started = resolve));
  hashing.hold = { started, released };
  return { started: begun, release };
}

let harness: Harness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await harness?.dispose();
  harness = undefined;
});

/**
 * Holds the first thumbnail run at its start until released; later runs wait until that one has finished, so the
 * held (stale) run always ends first, the order that loses work.
 */
function gateFirstThumbnailRun() {
  const realRun = thumbnailStage.run.bind(thumbnailStage);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const started = new Promise<void>((resolve) => (entered = resolve));
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let calls = 0;
  vi.spyOn(thumbnailStage, 'run').mockImplementation(async (image, context) => {
    if (calls++ > 0) {
      await finished;
      return realRun(image, context);
    }
    entered();
    await released;
    try {
      return await realRun(image, context);
    } finally {
      done();
    }
  });
  return { started, release, finished };
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

describe('changes that arrive while a photo is being indexed', () => {
  it('shows the new picture of a photo edited while its thumbnails were being made', async () => {
    harness = await makeHarness();
    const { library, catalog, photos } = harness;
    const gate = gateFirstThumbnailRun();
    const file = await writePhoto(path.join(photos, 'a.jpg'), { seed: 1, width: 64, height: 64 });
    const folder = await library.addFolder(photos);
    await gate.started;
    const oldHash = (await catalog.getImageByPath(file))!.hash;

    await writePhoto(file, { seed: 2, width: 96, height: 48 });
    await library.rescanFolder(folder.id);
    await eventually(async () => expect((await catalog.getImageByPath(file))?.hash).not.toBe(oldHash));
    gate.release();
    await gate.finished;
    await library.waitForIdle();

    const after = (await catalog.getImageByPath(file))!;
    expect([after.status, after.width, after.height]).toEqual(['ready', 96, 48]);
    expect(after.thumb_path).toBe(thumbnailPath(harness.config.dataDir, after.hash, 'grid'));
    expect(fs.existsSync(after.thumb_path!)).toBe(true);
    expect(filesUnder(path.join(harness.config.dataDir, 'thumbnails')).filter((f) => f.startsWith(oldHash))).toEqual([]);
  });

  it('leaves no thumbnails behind for a folder removed while its photos were being indexed', async () => {
    harness = await makeHarness();
    const { library, photos } = harness;
    const gate = gateFirstThumbnailRun();
    await writePhoto(path.join(photos, 'a.jpg'), { seed: 1 });
    const folder = await library.addFolder(photos);
    await gate.started;

    expect(await library.removeFolder(folder.id)).toEqual({ removedPhotos: 1 });
    gate.release();
    await gate.finished;
    await library.waitForIdle();
    // The held run finishes after the removal; what it wrote must not stay on disk.
    await eventually(() => expect(filesUnder(path.join(harness!.config.dataDir, 'thumbnails'))).toEqual([]), 5_000);
  });

  it('records a file under a parent folder added while the file was being hashed for its child folder', async () => {
    harness = await makeHarness();
    const { library, catalog, photos } = harness;
    const child = path.join(photos, 'child');
    const file = await writePhoto(path.join(child, 'a.jpg'), { seed: 1 });
    const gate = holdNextHashing();
    await library.addFolder(child);
    await gate.started;
    // The hashing ends once the parent has taken the child over, before the parent's own scan looks at the file.
    const knownFiles = catalog.knownFiles.bind(catalog);
    vi.spyOn(catalog, 'knownFiles').mockImplementation(async (folderId) => {
      gate.release();
      await eventually(async () => expect(await catalog.openIngestJobCount()).toBe(0), 5_000);
      return knownFiles(folderId);
    });
    const parent = await library.addFolder(photos);
    await library.waitForIdle();

    expect(await catalog.failedFiles()).toEqual([]);
    expect(await catalog.getImageByPath(file)).toMatchObject({ folder_id: parent.id, status: 'ready' });
    expect(await library.listFolders()).toEqual([expect.objectContaining({ path: photos, total: 1, ready: 1, failed: 0 })]);
  });

  it('hashes a file again when it changed while its first hashing was still running', async () => {
    harness = await makeHarness({ start: false });
    const { catalog } = harness;
    const folder = await catalog.insertFolder(harness.photos);
    const file = path.join(harness.photos, 'a.jpg');
    await catalog.enqueueIngest(folder.id, [file]);
    const [running] = await catalog.claimIngestJobs(1);
    // The watcher reports a second write while the first is being hashed.
    await catalog.enqueueIngest(folder.id, [file]);
    await catalog.finishIngestJob(running.id);
    expect(await catalog.openIngestJobCount()).toBe(1);
    await catalog.failIngestJob(running.id, 'the file was deleted or moved before Glimpse could read it');
    expect(await catalog.failedFiles()).toEqual([]);
    expect((await catalog.claimIngestJobs(1)).map((j) => j.path)).toEqual([file]);
  });
});
