// The catalog contract, run against both engines it supports: SQLite in a temp dir and a fresh PostgreSQL
// database, so the one set of migrations and queries is proven on each.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src-main/store/catalog';
import { openCatalogDatabase } from '../../src-main/store/database';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';

interface Engine {
  name: string;
  open(): Promise<Catalog>;
  cleanup(): Promise<void>;
}

function sqliteEngine(): Engine {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-catalog-'));
  return {
    name: 'sqlite',
    open: async () => new Catalog(await openCatalogDatabase({ dataDir: dir, databaseUrl: null })),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresEngine(): Engine {
  let database: TestDatabase | null = null;
  return {
    name: 'postgres',
    open: async () => {
      database ??= await createTestDatabase('glimpse_catalog');
      // A short lease, so taking over a dead indexer's work can be seen within a test.
      return new Catalog(await openCatalogDatabase({ dataDir: os.tmpdir(), databaseUrl: database.url }), { leaseMs: 400 });
    },
    cleanup: async () => {
      await database?.drop();
    },
  };
}

const STAGES = [
  { name: 'decode', pass: 1 as const, version: null },
  { name: 'thumbs', pass: 1 as const, version: null },
  { name: 'embed', pass: 1 as const, version: 'model-a' },
  { name: 'crops', pass: 2 as const, version: 'model-a' },
];
const ORDER = STAGES.map((s) => s.name);

describe.each([['sqlite', sqliteEngine], ['postgres', postgresEngine]])('catalog on %s', (_name, makeEngine) => {
  let engine: Engine;
  let catalog: Catalog;

  beforeAll(async () => {
    engine = makeEngine();
    catalog = await engine.open();
  });

  afterAll(async () => {
    await catalog?.close();
    await engine?.cleanup();
  });

  it('migrates once: reopening an existing catalog keeps its rows', async () => {
    await catalog.insertFolder('/photos/reopen');
    await catalog.close();
    catalog = await engine.open();
    expect((await catalog.listFolders()).map((f) => f.path)).toContain('/photos/reopen');
  });

  it('refuses a second photo with the same content hash', async () => {
    const folder = await catalog.insertFolder('/photos/hash');
    await catalog.insertImage({ folder_id: folder.id, path: '/photos/hash/a.jpg', hash: 'same', size_bytes: 1, mtime_ms: 1 });
    await expect(
      catalog.insertImage({ folder_id: folder.id, path: '/photos/hash/b.jpg', hash: 'same', size_bytes: 1, mtime_ms: 1 }),
    ).rejects.toThrow();
  });

  it('hands out stages in order, one per photo at a time, pass 1 before pass 2', async () => {
    const folder = await catalog.insertFolder('/photos/stages');
    const a = await catalog.insertImage({ folder_id: folder.id, path: '/photos/stages/a.jpg', hash: 'stage-a', size_bytes: 1, mtime_ms: 1 });
    const b = await catalog.insertImage({ folder_id: folder.id, path: '/photos/stages/b.jpg', hash: 'stage-b', size_bytes: 1, mtime_ms: 1 });
    await catalog.ensureStages([a.id, b.id], STAGES);

    const first = await catalog.claimStages(ORDER, 10);
    expect(first.map((c) => [c.imageId, c.stage])).toEqual([
      [a.id, 'decode'],
      [b.id, 'decode'],
    ]);
    expect(await catalog.claimStages(ORDER, 10)).toEqual([]);

    for (const c of first) await catalog.finishStage(c.imageId, c.stage, 'done');
    const second = await catalog.claimStages(ORDER, 10);
    expect(second.map((c) => c.stage)).toEqual(['thumbs', 'thumbs']);

    // A crash while they ran: the interrupted stages come back as pending and are handed out again — at once with
    // SQLite's one indexer; on PostgreSQL, where another indexer may be running them, once their lease has run out.
    if (catalog.dialect === 'postgres') {
      await catalog.requeueInterrupted();
      expect(await catalog.claimStages(ORDER, 10)).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, catalog.leaseMs + 100));
    }
    await catalog.requeueInterrupted();
    const again = await catalog.claimStages(ORDER, 10);
    expect(again.map((c) => [c.imageId, c.stage, c.attempts])).toEqual([
      [a.id, 'thumbs', 2],
      [b.id, 'thumbs', 2],
    ]);
  });

  it('redoes only the stages whose version changed when the model changes', async () => {
    const folder = await catalog.insertFolder('/photos/version');
    const image = await catalog.insertImage({ folder_id: folder.id, path: '/photos/version/a.jpg', hash: 'version-a', size_bytes: 1, mtime_ms: 1 });
    await catalog.ensureStages([image.id], STAGES);
    for (const stage of ORDER) await catalog.finishStage(image.id, stage, 'done');

    await catalog.ensureStages([image.id], STAGES.map((s) => (s.version ? { ...s, version: 'model-b' } : s)));
    const status = Object.fromEntries((await catalog.stagesOf(image.id)).map((s) => [s.stage, s.status]));
    expect(status).toEqual({ decode: 'done', thumbs: 'done', embed: 'pending', crops: 'pending' });
  });

  it('pages the gallery newest first by date taken, falling back to date added', async () => {
    const folder = await catalog.insertFolder('/photos/gallery');
    const paths = ['old', 'new', 'middle'];
    const taken = ['2001-01-01T00:00:00.000Z', '2024-06-30T12:00:00.000Z', '2012-03-03T00:00:00.000Z'];
    for (const [i, name] of paths.entries()) {
      const image = await catalog.insertImage({ folder_id: folder.id, path: `/photos/gallery/${name}.jpg`, hash: `gallery-${name}`, size_bytes: 1, mtime_ms: 1 });
      await catalog.updateImage(image.id, { taken_at: taken[i], status: 'ready' });
    }
    const first = await catalog.gallery({ page: 1, pageSize: 2, sort: 'taken', order: 'desc', folderId: folder.id });
    const second = await catalog.gallery({ page: 2, pageSize: 2, sort: 'taken', order: 'desc', folderId: folder.id });
    expect(first.total).toBe(3);
    expect([...first.items, ...second.items].map((p) => path.basename(p.path))).toEqual(['new.jpg', 'middle.jpg', 'old.jpg']);
  });

  it('filters by an inclusive date range and by folder', async () => {
    const folder = await catalog.insertFolder('/photos/dates');
    const june = await catalog.insertImage({ folder_id: folder.id, path: '/photos/dates/june.jpg', hash: 'dates-june', size_bytes: 1, mtime_ms: 1 });
    await catalog.updateImage(june.id, { taken_at: '2024-06-30T18:00:00.000Z' });
    const july = await catalog.insertImage({ folder_id: folder.id, path: '/photos/dates/july.jpg', hash: 'dates-july', size_bytes: 1, mtime_ms: 1 });
    await catalog.updateImage(july.id, { taken_at: '2024-07-01T08:00:00.000Z' });

    const ids = await catalog.idsMatching({ folderId: folder.id, from: '2024-06-01', to: '2024-06-30' });
    expect(ids).toEqual(new Set([june.id]));
    expect(await catalog.idsMatching({})).toBeNull();
  });

  it('counts a folder’s photos, failures and byte-identical copies', async () => {
    const folder = await catalog.insertFolder('/photos/counts');
    const ready = await catalog.insertImage({ folder_id: folder.id, path: '/photos/counts/a.jpg', hash: 'counts-a', size_bytes: 1, mtime_ms: 1 });
    await catalog.updateImage(ready.id, { status: 'ready' });
    await catalog.addDuplicateFile(ready.id, folder.id, '/photos/counts/copy of a.jpg', 1, 1);
    await catalog.enqueueIngest(folder.id, ['/photos/counts/broken.jpg', '/photos/counts/next.jpg']);
    const [broken] = (await catalog.claimIngestJobs(1)).filter((j) => j.path.endsWith('broken.jpg'));
    await catalog.failIngestJob(broken.id, 'not an image: the file is empty');

    const info = (await catalog.listFolders()).find((f) => f.id === folder.id);
    expect(info).toMatchObject({ total: 3, ready: 1, pending: 1, failed: 1, duplicates: 1 });
    expect(await catalog.failedFiles(folder.id)).toEqual([{ path: '/photos/counts/broken.jpg', error: 'not an image: the file is empty' }]);
    expect((await catalog.exactDuplicateGroups()).find((g) => g.photo.id === ready.id)?.copies).toEqual(['/photos/counts/copy of a.jpg']);
  });
});

describe('several indexers on one PostgreSQL catalog', () => {
  let database: TestDatabase;
  const open = async (leaseMs: number) => new Catalog(await openCatalogDatabase({ dataDir: os.tmpdir(), databaseUrl: database.url }), { leaseMs });

  beforeAll(async () => {
    database = await createTestDatabase('glimpse_claims');
  });
  afterAll(() => database.drop());

  it('never hands the same work to two of them, and takes over what a dead one held once its lease runs out', async () => {
    const [one, two] = await Promise.all([open(400), open(400)]);
    try {
      const folder = await one.insertFolder('/photos/shared');
      const ids: number[] = [];
      for (let i = 0; i < 40; i++) {
        ids.push((await one.insertImage({ folder_id: folder.id, path: `/photos/shared/${i}.jpg`, hash: `shared-${i}`, size_bytes: 1, mtime_ms: 1 })).id);
      }
      await one.ensureStages(ids, STAGES);
      // Both claim at the same moment, repeatedly: every photo's first stage goes to exactly one of them.
      const claimed: Array<{ by: string; imageId: number; stage: string }> = [];
      for (let round = 0; round < 6; round++) {
        const [a, b] = await Promise.all([one.claimStages(ORDER, 5), two.claimStages(ORDER, 5)]);
        claimed.push(...a.map((c) => ({ by: 'one', ...c })), ...b.map((c) => ({ by: 'two', ...c })));
      }
      const keys = claimed.map((c) => `${c.imageId}:${c.stage}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(claimed.some((c) => c.by === 'one') && claimed.some((c) => c.by === 'two')).toBe(true);

      // "one" dies (stops renewing); "two" keeps renewing its own claims. Past the lease, two may take one's work only.
      const heldByTwo = claimed.filter((c) => c.by === 'two');
      const heldByOne = claimed.filter((c) => c.by === 'one');
      for (let t = 0; t < 3; t++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        await two.renewLeases();
      }
      const takenOver = await two.claimStages(ORDER, 100);
      const takenKeys = new Set(takenOver.map((c) => `${c.imageId}:${c.stage}`));
      for (const c of heldByOne) expect(takenKeys.has(`${c.imageId}:${c.stage}`)).toBe(true);
      for (const c of heldByTwo) expect(takenKeys.has(`${c.imageId}:${c.stage}`)).toBe(false);
      expect(takenOver.find((c) => c.imageId === heldByOne[0].imageId)?.attempts).toBe(2);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
