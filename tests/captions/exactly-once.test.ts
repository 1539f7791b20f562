// A photo is described once, even when the process dies at the worst moment: just after the caption is written and
// before its stage is marked done. A trigger in the test's database makes that one write fail, which is what a kill
// there amounts to; on both engines no caption may outlive it, and a restart redoes only what was lost.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig } from '../../src-main/config';
import { call } from '../api/unwrap';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { expectedFixtureCaption, SMOLVLM_FIXTURE_ID } from '../fixtures/generate-smolvlm';
import { writeSolidImage } from '../ml/colour-images';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';

const COLOURS = ['red', 'blue', 'green', 'yellow'] as const;

/** Runs SQL on the catalog from outside the app, as another process would. */
interface CatalogSql {
  databaseUrl: string | null;
  /** Makes marking the describe stage of `imageId` done fail, as if the process died at that write. */
  dieWhenMarkingDone(imageId: number): Promise<void>;
  /** Leaves the database as a process killed while describing `imageId` leaves it: the trigger gone, the stage running. */
  leaveAsKilled(imageId: number): Promise<void>;
  close(): Promise<void>;
}

function sqliteCatalog(dataDir: string): CatalogSql {
  const run = (statements: string) => {
    const db = new SQLite(path.join(dataDir, 'catalog.sqlite'));
    try {
      db.exec(statements);
    } finally {
      db.close();
    }
  };
  return {
    databaseUrl: null,
    dieWhenMarkingDone: async (imageId) =>
      run(`CREATE TRIGGER die_when_marking_done BEFORE UPDATE OF status ON image_stages
           WHEN NEW.stage = 'describe' AND NEW.status = 'done' AND NEW.image_id = ${imageId}
           BEGIN SELECT RAISE(ABORT, 'the process died here'); END`),
    leaveAsKilled: async (imageId) =>
      run(`DROP TRIGGER die_when_marking_done;
           UPDATE image_stages SET status = 'running', error = NULL WHERE stage = 'describe' AND image_id = ${imageId}`),
    close: async () => {},
  };
}

async function postgresCatalog(database: TestDatabase): Promise<CatalogSql> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  return {
    databaseUrl: database.url,
    dieWhenMarkingDone: async (imageId) => {
      await client.query(`CREATE FUNCTION die_when_marking_done() RETURNS trigger LANGUAGE plpgsql AS $$
                          BEGIN RAISE EXCEPTION 'the process died here'; END $$`);
      await client.query(`CREATE TRIGGER die_when_marking_done BEFORE UPDATE ON image_stages FOR EACH ROW
                          WHEN (NEW.stage = 'describe' AND NEW.status = 'done' AND NEW.image_id = ${imageId})
                          EXECUTE FUNCTION die_when_marking_done()`);
    },
    leaveAsKilled: async (imageId) => {
      await client.query('DROP TRIGGER die_when_marking_done ON image_stages');
      // A dead process's lease has run out, so the restarted indexer takes the stage back.
      await client.query(
        `UPDATE image_stages SET status = 'running', error = NULL, lease_until = NULL WHERE stage = 'describe' AND image_id = $1`,
        [imageId],
      );
    },
    close: () => client.end(),
  };
}

const engines: Array<{ name: string; open(dataDir: string): Promise<CatalogSql>; cleanup(): Promise<void> }> = [
  { name: 'SQLite', open: async (dataDir) => sqliteCatalog(dataDir), cleanup: async () => {} },
  (() => {
    let database: TestDatabase | null = null;
    return {
      name: 'PostgreSQL',
      open: async () => postgresCatalog((database = await createTestDatabase('glimpse_captions_once'))),
      cleanup: async () => database?.drop(),
    };
  })(),
];

describe.each(engines)('describing exactly once on $name', (engine) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-captions-once-'));
  const photos = path.join(root, 'photos');
  const dataDir = path.join(root, 'data');
  let outside: CatalogSql | null = null;
  let api: Api | null = null;

  afterAll(async () => {
    await api?.close();
    await outside?.close();
    await engine.cleanup();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('keeps no caption from a run that died before its stage was marked done, and redoes only that photo', { timeout: 240_000 }, async () => {
    fs.mkdirSync(photos);
    const colourOf = new Map<string, string>();
    for (const colour of COLOURS) colourOf.set(await writeSolidImage(photos, colour, 120, 90), colour);
    // The data dir exists once the first Api opened; the PostgreSQL database must exist before.
    outside = engine.name === 'SQLite' ? null : await engine.open(dataDir);
    const open = () =>
      openApi(
        loadConfig({
          env: { GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_CAPTION_MODEL: SMOLVLM_FIXTURE_ID, GLIMPSE_OFFLINE: '1' },
          overrides: { dataDir, embeddings: false, databaseUrl: outside?.databaseUrl ?? null },
        }),
        { indexing: { watch: false, command: 'exactly-once test' } },
      );
    api = await open();
    outside ??= await engine.open(dataDir);
    expect(await call(api, 'folders.index', { path: photos })).toMatchObject({ indexed: COLOURS.length, failed: [] });
    const ids = (await call(api, 'gallery.page', { pageSize: 10 })).items.map((p) => p.id).sort((a, b) => a - b);
    const dying = ids[1];

    // Describe may find some stages already running (they start as captions turn on) and wait only for the rest.
    const settled = async (live: Api) => {
      for (let i = 0; i < 300 && (await call(live, 'captions.status', undefined)).progress.pending > 0; i += 1) await new Promise((r) => setTimeout(r, 100));
      return new Map(await Promise.all(ids.map(async (id) => [id, await call(live, 'captions.get', { id })] as const)));
    };

    await outside.dieWhenMarkingDone(dying);
    await call(api, 'captions.describe', { all: true, wait: true });
    const before = await settled(api);
    const died = before.get(dying);
    expect(died?.status).toBe('failed');
    // What the model wrote for it went down with the write that failed: no caption without its stage done.
    expect(died).toMatchObject({ caption: null, createdAt: null });
    const survivors = [...before.values()].filter((p) => p.id !== dying);
    expect(survivors.map((p) => p.status)).toEqual(['done', 'done', 'done']);
    for (const photo of survivors) expect(photo.caption).toBe(expectedFixtureCaption(colourOf.get(photo.path) as string, ''));

    await api.close();
    api = null;
    await outside.leaveAsKilled(dying);
    api = await open();
    await call(api, 'captions.describe', { missing: true, wait: true });
    const after = await settled(api);
    // The photos described before the "kill" were not described again (the same caption record); the lost one was.
    for (const photo of survivors) expect(after.get(photo.id)?.createdAt).toBe(photo.createdAt);
    expect(after.get(dying)).toMatchObject({ status: 'done', caption: expectedFixtureCaption(colourOf.get(died?.path as string) as string, '') });
  });
});
