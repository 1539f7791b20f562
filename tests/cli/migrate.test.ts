// `glimpse migrate` as a person runs it: an indexed library moved to PostgreSQL, seen there whole, and moved back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { writePhoto } from '../fixtures/photos';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';
import { runGlimpse } from './run-glimpse';


describe('glimpse migrate', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-migrate-cli-'));
  const photos = path.join(root, 'photos');
  const dataDir = path.join(root, 'data');
  let database: TestDatabase;
  const baseEnv = { ...process.env, GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' };

  const glimpse = (env: NodeJS.ProcessEnv, ...args: string[]) => runGlimpse(args, { dataDir, cwd: root, env });

  beforeAll(async () => {
    for (let i = 0; i < 5; i++) await writePhoto(path.join(photos, `p${i}.jpg`), { seed: 300 + i });
    database = await createTestDatabase('glimpse_migrate_cli');
    const indexed = await glimpse(baseEnv, 'index', photos, '--json');
    expect(indexed.code, indexed.stderr).toBe(0);
  });

  afterAll(async () => {
    await database?.drop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('moves the catalog to PostgreSQL, where the same photos are found, and reports the check', async () => {
    const moved = await glimpse(baseEnv, 'migrate', '--to', database.url, '--json');
    expect(moved.code, moved.stderr).toBe(0);
    const report = JSON.parse(moved.stdout) as { catalog: { countsMatch: boolean; galleryMatches: boolean; tables: { table: string; target: number }[] }; vectors: null };
    expect(report.catalog.countsMatch).toBe(true);
    expect(report.catalog.galleryMatches).toBe(true);
    expect(report.catalog.tables.find((t) => t.table === 'images')?.target).toBe(5);
    expect(report.vectors).toBeNull();

    const before = JSON.parse((await glimpse(baseEnv, 'gallery', '--json')).stdout) as { items: { id: number; path: string }[] };
    const after = await glimpse({ ...baseEnv, GLIMPSE_DATABASE_URL: database.url }, 'gallery', '--json');
    expect(after.code, after.stderr).toBe(0);
    expect((JSON.parse(after.stdout) as typeof before).items).toEqual(before.items);

    // The same search on SQLite + embedded and on PostgreSQL + embedded: the same photos, in the same order, same scores.
    const search = async (env: NodeJS.ProcessEnv) => {
      const run = await glimpse(env, 'search', 'red', '--cutoff', '0', '--no-expand', '--exact', '--json');
      expect(run.code, run.stderr).toBe(0);
      return (JSON.parse(run.stdout) as { hits: unknown[] }).hits;
    };
    const onSqlite = await search(baseEnv);
    expect(onSqlite).toHaveLength(5);
    expect(await search({ ...baseEnv, GLIMPSE_DATABASE_URL: database.url })).toEqual(onSqlite);
  });

  it('a target that is neither PostgreSQL, Qdrant nor embedded is refused naming all three', async () => {
    const refused = await glimpse(baseEnv, 'migrate', '--to', 'mysql://127.0.0.1/glimpse');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "--to mysql://127.0.0.1/glimpse is none of the targets: give a PostgreSQL URL (postgres://user:password@host:5432/db), a Qdrant URL (http://host:6333) or 'embedded'",
    );
  });

  it('moving to where the library already is says so', async () => {
    const nothing = await glimpse(baseEnv, 'migrate', '--to', 'embedded');
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('The library is already embedded (SQLite catalog, embedded vectors): nothing to move');
  });
});
