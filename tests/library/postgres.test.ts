// The library on a PostgreSQL catalog: the same scans, identity rules, failures and removals as on SQLite, proving
// the library's catalog queries are dialect-neutral (the default SQLite path is covered by the other suites).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePhoto, writeTruncatedJpeg } from '../fixtures/photos';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';
import { type Harness, makeHarness } from './library-harness';

let database: TestDatabase;
let harness: Harness;
beforeAll(async () => {
  database = await createTestDatabase('glimpse_library');
  harness = await makeHarness({ databaseUrl: database.url });
});
afterAll(async () => {
  await harness?.dispose();
  await database?.drop();
});

describe('library on PostgreSQL', () => {
  it('indexes, deduplicates, records failures, follows a move and remembers a removal', async () => {
    const { library, catalog, photos } = harness;
    const a = await writePhoto(path.join(photos, 'a.jpg'), { seed: 1, exif: { make: 'Pg', takenAt: '2020:02:03 04:05:06' } });
    await writePhoto(path.join(photos, 'b.png'), { seed: 2, format: 'png' });
    const broken = await writeTruncatedJpeg(path.join(photos, 'broken.jpg'));
    fs.writeFileSync(path.join(photos, 'empty.jpg'), '');
    const first = await library.indexFolder(photos);
    expect(first.indexed).toBe(2);
    expect(first.failed.map((f) => path.basename(f.path))).toEqual(['broken.jpg', 'empty.jpg']);
    const image = (await catalog.getImageByPath(a))!;
    expect([image.camera_make, image.taken_at]).toEqual(['Pg', '2020-02-03T04:05:06.000Z']);

    fs.copyFileSync(a, path.join(photos, 'a copy.jpg'));
    const moved = path.join(photos, 'sub', 'a moved.jpg');
    fs.mkdirSync(path.dirname(moved));
    fs.renameSync(a, moved);
    fs.rmSync(broken);
    const second = await library.indexFolder(photos);
    expect(second).toMatchObject({ indexed: 2, duplicates: 1 });
    expect(second.failed.map((f) => path.basename(f.path))).toEqual(['empty.jpg']);
    // The copy sorts first ("a copy.jpg" < "sub/"), so it became the photo's path; the moved file is its copy.
    const survivor = (await catalog.getImageByHash(image.hash))!;
    expect(survivor.id).toBe(image.id);
    expect([survivor.path, ...(await catalog.duplicatesOf(image.id)).map((d) => d.path)].sort()).toEqual(
      [path.join(photos, 'a copy.jpg'), moved].sort(),
    );

    await library.deletePhotos([image.id], false);
    const folder = (await library.listFolders())[0];
    await library.rescanFolder(folder.id);
    await library.waitForIdle();
    expect(await catalog.getImageByHash(image.hash)).toBeUndefined();
    expect((await library.jobStatus()).overall).toMatchObject({ total: 2, done: 1, failed: 1, pending: 0 });
  });
});
