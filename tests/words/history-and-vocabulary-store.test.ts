// The stores under spelling and suggestions, on SQLite and PostgreSQL: search history (recent, pinned, cleared)
// and the library's vocabulary read from folder names, file names, cameras and people.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalogDatabase, type CatalogDatabase } from '../../src-main/store/database';
import { nowIso } from '../../src-main/store/catalog';
import { readLibraryTerms } from '../../src-main/store/library-vocabulary';
import { MAX_RECENT_SEARCHES, SearchHistoryStore } from '../../src-main/store/search-history';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';

interface Engine {
  open(): Promise<CatalogDatabase>;
  cleanup(): Promise<void>;
}

function sqliteEngine(): Engine {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-words-store-'));
  return {
    open: () => openCatalogDatabase({ dataDir: dir, databaseUrl: null }),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresEngine(): Engine {
  let database: TestDatabase | null = null;
  return {
    open: async () => {
      database = await createTestDatabase('glimpse_words');
      return openCatalogDatabase({ dataDir: os.tmpdir(), databaseUrl: database.url });
    },
    cleanup: async () => database?.drop(),
  };
}

describe.each([
  ['sqlite', sqliteEngine],
  ['postgres', postgresEngine],
])('words stores on %s', (_name, makeEngine) => {
  const engine = makeEngine();
  let database: CatalogDatabase;
  let history: SearchHistoryStore;

  beforeAll(async () => {
    database = await engine.open();
    history = new SearchHistoryStore(database);
    const folder = await database.db
      .insertInto('folders')
      .values({ path: '/home/ana/Pictures', added_at: nowIso(), managed: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const photo = (file: string, hash: string, camera: string | null) => ({
      folder_id: folder.id,
      path: file,
      hash,
      size_bytes: 1,
      mtime_ms: 1,
      added_at: nowIso(),
      updated_at: nowIso(),
      status: 'ready' as const,
      camera_make: camera ? 'FUJIFILM' : null,
      camera_model: camera,
    });
    await database.db
      .insertInto('images')
      .values([
        photo('/home/ana/Pictures/Kraków 2019/IMG_2041.jpg', 'a', 'X-T30'),
        photo('/home/ana/Pictures/Kraków 2019/old-town-square.jpg', 'b', 'X-T30'),
        photo('/home/ana/Pictures/Glenveagh/lake at dusk.jpg', 'c', null),
      ])
      .execute();
    await database.db.insertInto('people').values({ name: 'Siobhan Kelly', hidden: 0, created_at: nowIso() }).execute();
    await database.db.insertInto('people').values({ name: 'Hidden Person', hidden: 1, created_at: nowIso() }).execute();
  });

  afterAll(async () => {
    await database?.close();
    await engine.cleanup();
  });

  it('counts folder, file, camera and people words per photo, without camera counters or hidden people', async () => {
    const terms = await readLibraryTerms(database);
    const find = (term: string) => terms.filter((t) => t.term === term);
    expect(find('Kraków')).toEqual([{ term: 'Kraków', count: 2, source: 'folder' }]);
    expect(find('Pictures')[0]?.count).toBe(3);
    expect(find('square')).toEqual([{ term: 'square', count: 1, source: 'file' }]);
    expect(find('dusk')).toEqual([{ term: 'dusk', count: 1, source: 'file' }]);
    expect(find('FUJIFILM')[0]).toMatchObject({ count: 2, source: 'camera' });
    expect(find('Siobhan')[0]).toMatchObject({ source: 'person' });
    expect(find('Siobhan Kelly')[0]).toMatchObject({ source: 'person' });
    expect(terms.some((t) => /^IMG$|^Hidden/.test(t.term))).toBe(false);
  });

  it('remembers searches most recent first, counting repeats, and pins them above the rest', async () => {
    await history.record('red bike', new Date('2026-01-01T10:00:00Z'));
    await history.record('sunset', new Date('2026-01-02T10:00:00Z'));
    await history.record('red bike', new Date('2026-01-03T10:00:00Z'));
    let list = await history.list();
    expect(list.map((e) => [e.query, e.uses])).toEqual([
      ['red bike', 2],
      ['sunset', 1],
    ]);
    await history.pin('sunset', true);
    list = await history.list();
    expect(list[0]).toMatchObject({ query: 'sunset', pinned: true });
  });

  it('clears recent searches but keeps pinned ones unless asked, and forgets one on request', async () => {
    await history.record('snow');
    await history.remove('snow');
    expect((await history.list()).map((e) => e.query)).not.toContain('snow');
    await history.clear(false);
    expect((await history.list()).map((e) => e.query)).toEqual(['sunset']);
    await history.clear(true);
    expect(await history.list()).toEqual([]);
  });

  it('takes a record back: a search it added goes, a repeated one gets its count and time back, one pinned since stays', async () => {
    await history.clear(true);
    const added = await history.record('harbour');
    await history.withdraw(added);
    expect(await history.list()).toEqual([]);

    await history.record('lighthouse', new Date('2026-03-01T10:00:00Z'));
    const repeated = await history.record('lighthouse', new Date('2026-03-02T10:00:00Z'));
    await history.withdraw(repeated);
    expect(await history.list()).toEqual([{ query: 'lighthouse', uses: 1, lastUsedAt: '2026-03-01T10:00:00.000Z', pinned: false }]);

    const pinnedSince = await history.record('pier');
    await history.pin('pier', true);
    await history.withdraw(pinnedSince);
    expect((await history.list()).find((e) => e.query === 'pier')).toMatchObject({ uses: 0, pinned: true });
    await history.clear(true);
  });

  it('keeps at most the newest MAX_RECENT_SEARCHES unpinned searches', async () => {
    await history.pin('kept', true);
    const base = Date.parse('2026-02-01T00:00:00Z');
    for (let i = 0; i < MAX_RECENT_SEARCHES + 5; i++) await history.record(`query ${i}`, new Date(base + i * 1000));
    const list = await history.list(1000);
    expect(list).toHaveLength(MAX_RECENT_SEARCHES + 1);
    expect(list[0]!.query).toBe('kept');
    expect(list.map((e) => e.query)).not.toContain('query 0');
    expect(list.map((e) => e.query)).toContain(`query ${MAX_RECENT_SEARCHES + 4}`);
  });
});
