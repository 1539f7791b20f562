// Bad input gets a clear error and loses nothing: every broken file is recorded with a readable cause while the
// rest of its folder indexes normally, and every bad folder request is refused with the reason.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GlimpseError } from '../../src-main/errors';
import { writePhoto, writePngBomb, writeTruncatedJpeg } from '../fixtures/photos';
import { type Harness, makeHarness } from './library-harness';
import { runIndexChild } from './index-child-runner';
import { writeMalformedHeics } from './malformed-heic';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

async function expectGlimpseError(promise: Promise<unknown>, code: string, message: RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GlimpseError);
  expect((error as GlimpseError).code).toBe(code);
  expect((error as GlimpseError).message).toMatch(message);
}

describe('a folder with broken files', () => {
  it('records each broken file with its cause and indexes the rest, including non-ASCII and space-laden paths', async () => {
    harness = await makeHarness();
    const { photos } = harness;
    const good = [
      await writePhoto(path.join(photos, 'plain.jpg'), { seed: 1 }),
      await writePhoto(path.join(photos, 'été 2021', 'ça va — café.jpg'), { seed: 2 }),
      await writePhoto(path.join(photos, 'with spaces', 'my holiday photo (1).png'), { seed: 3, format: 'png' }),
      await writePhoto(path.join(photos, '日本', '写真.webp'), { seed: 4, format: 'webp' }),
    ];
    const truncated = await writeTruncatedJpeg(path.join(photos, 'truncated.jpg'));
    const empty = path.join(photos, 'empty.jpg');
    fs.writeFileSync(empty, '');
    const text = path.join(photos, 'notes.jpg');
    fs.writeFileSync(text, 'shopping list: milk, eggs, film for the camera\n');
    const bomb = await writePngBomb(path.join(photos, 'bomb.png'));
    const loop = path.join(photos, 'loop.jpg');
    fs.symlinkSync('loop.jpg', loop);
    // A link to a parent folder must not make the scan walk forever.
    fs.symlinkSync('..', path.join(photos, 'with spaces', 'back to parent'));

    const report = await harness.library.indexFolder(photos);

    expect(report.indexed).toBe(good.length);
    expect(report.duplicates).toBe(0);
    const causes = Object.fromEntries(report.failed.map((f) => [path.basename(f.path), f.error]));
    expect(Object.keys(causes).sort()).toEqual(['bomb.png', 'empty.jpg', 'loop.jpg', 'notes.jpg', 'truncated.jpg']);
    expect(causes['truncated.jpg']).toMatch(/damaged or truncated/);
    expect(causes['empty.jpg']).toBe('empty file (0 bytes): nothing to index');
    expect(causes['notes.jpg']).toMatch(/^not an image Glimpse can read/);
    expect(causes['bomb.png']).toMatch(/^decompression bomb refused: the file claims 100000×100000 pixels .* it was not decoded$/);
    expect(causes['loop.jpg']).toMatch(/symbolic link loop/);
    for (const file of good) {
      const image = await harness.catalog.getImageByPath(file);
      expect(image?.status, file).toBe('ready');
      expect(fs.existsSync(image!.thumb_path!)).toBe(true);
    }
    // The bomb never reached the decoder: no thumbnail exists for it.
    const bombRow = await harness.catalog.getImageByPath(bomb);
    expect(bombRow?.thumb_path).toBeNull();
    expect(bombRow?.width).toBeNull();
    const [folder] = await harness.library.listFolders();
    expect(folder).toMatchObject({ ready: 4, failed: 5, pending: 0, total: 9 });
    expect(truncated && text).toBeTruthy();
  });

  it('records malformed HEIC files with their cause and indexes the rest', async () => {
    harness = await makeHarness();
    const { photos } = harness;
    const good = await writePhoto(path.join(photos, 'good.jpg'), { seed: 1 });
    const broken = writeMalformedHeics(photos);

    const report = await harness.library.indexFolder(photos);

    expect(report.indexed).toBe(1);
    expect(report.failed.map((f) => f.path).sort()).toEqual(broken.sort());
    for (const failure of report.failed) expect(failure.error, failure.path).toMatch(/^the HEIC image is damaged or cannot be decoded/);
    expect((await harness.catalog.getImageByPath(good))?.status).toBe('ready');
  });

  it('records a file deleted after the scan and before it was read', async () => {
    harness = await makeHarness();
    await writePhoto(path.join(harness.photos, 'stays.jpg'), { seed: 1 });
    const doomed = await writePhoto(path.join(harness.photos, 'doomed.jpg'), { seed: 2 });
    harness.library.pause();
    await harness.library.addFolder(harness.photos);
    fs.rmSync(doomed);
    harness.library.resume();
    await harness.library.waitForIdle();
    const failures = await harness.catalog.failedFiles();
    expect(failures).toEqual([{ path: doomed, error: 'the file was deleted or moved before Glimpse could read it' }]);
    expect((await harness.catalog.getImageByPath(path.join(harness.photos, 'stays.jpg')))?.status).toBe('ready');
  });

  it('records a file it is not allowed to read and indexes the rest', async () => {
    // Root reads any file whatever its mode, so as root the indexing runs in a child process stripped of the
    // capabilities that bypass file modes (setpriv); otherwise mode 000 alone makes the read fail.
    const result = await runIndexChild({ files: 3, unreadable: ['secret.jpg'] });
    expect(result.indexed).toBe(3);
    expect(result.failed).toEqual([
      { path: path.join(result.folder, 'secret.jpg'), error: 'permission denied: Glimpse is not allowed to read this file' },
    ]);
  });
});

describe('folder requests', () => {
  it('refuses a folder added twice, a missing folder, a file, and a folder inside a library folder', async () => {
    harness = await makeHarness();
    const { library, photos } = harness;
    fs.mkdirSync(path.join(photos, 'inner'));
    const file = await writePhoto(path.join(photos, 'a.jpg'), { seed: 1 });
    await library.addFolder(photos);
    await expectGlimpseError(library.addFolder(photos), 'ALREADY_ADDED', /is already in the library/);
    await expectGlimpseError(library.addFolder(`${photos}/`), 'ALREADY_ADDED', /is already in the library/);
    await expectGlimpseError(library.addFolder(path.join(harness.root, 'nope')), 'NOT_FOUND', /^Folder not found: .*nope$/);
    await expectGlimpseError(library.addFolder(file), 'NOT_A_DIRECTORY', /a\.jpg is a file, not a folder/);
    await expectGlimpseError(library.addFolder(path.join(photos, 'inner')), 'NESTED_FOLDER', /is inside the library folder/);
    expect(await library.listFolders()).toHaveLength(1);
  });

  it('lets a parent folder absorb library folders inside it, keeping their photo ids', async () => {
    harness = await makeHarness();
    const { library, photos, catalog } = harness;
    const a = await writePhoto(path.join(photos, 'a', 'one.jpg'), { seed: 1 });
    const b = await writePhoto(path.join(photos, 'b', 'two.jpg'), { seed: 2 });
    await writePhoto(path.join(photos, 'three.jpg'), { seed: 3 });
    await library.addFolder(path.join(photos, 'a'));
    await library.addFolder(path.join(photos, 'b'));
    await library.waitForIdle();
    const ids = [(await catalog.getImageByPath(a))!.id, (await catalog.getImageByPath(b))!.id];

    const parent = await library.addFolder(photos);
    await library.waitForIdle();

    const folders = await library.listFolders();
    expect(folders.map((f) => f.path)).toEqual([photos]);
    expect(folders[0]).toMatchObject({ id: parent.id, total: 3, ready: 3 });
    expect([(await catalog.getImageByPath(a))!.id, (await catalog.getImageByPath(b))!.id]).toEqual(ids);
  });
});
