// Moving a catalog between engines: a real SQLite library copied into PostgreSQL and back arrives whole (same ids,
// same rows, the queue and the user's records included), a second run adds nothing, and a foreign target is refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src-main/store/catalog';
import { copyCatalog } from '../../src-main/store/catalog-copy';
import { openCatalogDatabase } from '../../src-main/store/database';
import { writePhoto } from '../fixtures/photos';
import { type Harness, makeHarness } from '../library/library-harness';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';

describe('copying a catalog between SQLite and PostgreSQL', () => {
  let harness: Harness;
  let postgres: TestDatabase;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-catalog-copy-'));

  beforeAll(async () => {
    harness = await makeHarness();
    for (let i = 0; i < 12; i++) await writePhoto(path.join(harness.photos, `album/p${i}.jpg`), { seed: 70 + i });
    fs.copyFileSync(path.join(harness.photos, 'album/p0.jpg'), path.join(harness.photos, 'copy-of-p0.jpg'));
    fs.writeFileSync(path.join(harness.photos, 'broken.jpg'), 'not a jpeg');
    await harness.library.indexFolder(harness.photos);
    // A person the user named, with a face: decisions must travel with the photos.
    const [photo] = await harness.catalog.db.selectFrom('images').select('id').orderBy('id').limit(1).execute();
    const person = await harness.catalog.db
      .insertInto('people')
      .values({ name: 'Siobhán', hidden: 0, created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await harness.catalog.db
      .insertInto('faces')
      .values({ image_id: photo.id, person_id: person.id, box_x: 1, box_y: 2, box_width: 30, box_height: 40, score: 0.9, created_at: new Date().toISOString() })
      .execute();
    postgres = await createTestDatabase('glimpse_copy');
  });

  afterAll(async () => {
    await harness?.dispose();
    await postgres?.drop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  const snapshot = async (catalog: Catalog) => ({
    images: await catalog.db.selectFrom('images').selectAll().orderBy('id').execute(),
    folders: await catalog.db.selectFrom('folders').selectAll().orderBy('id').execute(),
    copies: await catalog.db.selectFrom('duplicate_files').select(['image_id', 'path']).orderBy('path').execute(),
    failed: await catalog.db.selectFrom('jobs').select(['path', 'status', 'error']).orderBy('path').execute(),
    people: await catalog.db.selectFrom('people').select(['id', 'name']).execute(),
    faces: await catalog.db.selectFrom('faces').select(['image_id', 'person_id', 'box_width']).execute(),
    stages: await catalog.db.selectFrom('image_stages').select(['image_id', 'stage', 'status']).orderBy('image_id').orderBy('stage').execute(),
  });

  it('copies SQLite into PostgreSQL whole, keeping ids, and a second run adds nothing', async () => {
    const source = await openCatalogDatabase({ dataDir: harness.config.dataDir, databaseUrl: null });
    const target = await openCatalogDatabase({ dataDir: scratch, databaseUrl: postgres.url });
    try {
      const seen: string[] = [];
      const report = await copyCatalog(source, target, (t) => seen.push(t.table));
      expect(report.countsMatch).toBe(true);
      // Parents first: a folder before its photos, a photo before its stages and faces.
      expect(seen.indexOf('folders')).toBeLessThan(seen.indexOf('images'));
      expect(seen.indexOf('images')).toBeLessThan(seen.indexOf('image_stages'));
      expect(seen.indexOf('people')).toBeLessThan(seen.indexOf('faces'));
      // 12 photos and the file that is not one (recorded as a failed photo); the copy is a copy, not a photo.
      expect(report.tables.find((t) => t.table === 'images')).toEqual({ table: 'images', source: 13, target: 13 });
      expect(report.tables.find((t) => t.table === 'duplicate_files')).toEqual({ table: 'duplicate_files', source: 1, target: 1 });

      const before = await snapshot(new Catalog(source));
      const after = await snapshot(new Catalog(target));
      expect(after.images.map((i) => [i.id, i.path, i.hash, i.status])).toEqual(before.images.map((i) => [i.id, i.path, i.hash, i.status]));
      expect(after.copies).toEqual(before.copies);
      expect(after.failed).toEqual(before.failed);
      expect(after.people).toEqual([{ id: before.people[0].id, name: 'Siobhán' }]);
      expect(after.faces).toEqual(before.faces);
      expect(after.stages).toEqual(before.stages);

      const again = await copyCatalog(source, target);
      expect(again.tables.find((t) => t.table === 'images')).toEqual({ table: 'images', source: 13, target: 13 });
      // Ids continue after the copied ones.
      const next = await new Catalog(target).insertFolder('/somewhere/new');
      expect(next.id).toBeGreaterThan(Math.max(...before.folders.map((f) => f.id)));
    } finally {
      await Promise.all([source.close(), target.close()]);
    }
  });

  it('copies PostgreSQL back into a fresh SQLite catalog', async () => {
    const source = await openCatalogDatabase({ dataDir: scratch, databaseUrl: postgres.url });
    const target = await openCatalogDatabase({ dataDir: path.join(scratch, 'back'), databaseUrl: null });
    try {
      const report = await copyCatalog(source, target);
      expect(report.countsMatch).toBe(true);
      expect((await snapshot(new Catalog(target))).people[0].name).toBe('Siobhán');
    } finally {
      await Promise.all([source.close(), target.close()]);
    }
  });

  it('refuses a target that holds another library', async () => {
    const other = await makeHarness();
    await writePhoto(path.join(other.photos, 'elsewhere.jpg'), { seed: 999 });
    await other.library.indexFolder(other.photos);
    const source = await openCatalogDatabase({ dataDir: other.config.dataDir, databaseUrl: null });
    const target = await openCatalogDatabase({ dataDir: scratch, databaseUrl: postgres.url });
    try {
      await expect(copyCatalog(source, target)).rejects.toThrow(/the target catalog already holds another library \(photo \d+ there is not this library's\)/);
    } finally {
      await Promise.all([source.close(), target.close()]);
      await other.dispose();
    }
  });
});
