// PostgreSQL going away mid-import (a server restart, a dropped network): the import waits, says which server is away
// and why, and finishes by itself once the server is back, with no photo failed, half-written or catalogued twice.
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineStage } from '../../src-main/library/library';
import { writePhoto } from '../fixtures/photos';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';
import { type CuttableProxy, startCuttableProxy } from './cuttable-proxy';
import { type Harness, makeHarness } from './library-harness';

const PHOTOS = 12;
const AWAY_MS = 3_000;

let database: TestDatabase;
let proxy: CuttableProxy;
let harness: Harness;
let cutAt: number | null = null;
let restoredAt: number | null = null;

/**
 * Cuts the database off while the fourth photo is in the middle of its stages, and lets it back a few seconds later.
 * That photo's stage reads the catalog meanwhile, as stages do, and reports the failed read only once the server is
 * back: the moment a careless indexer would record the database's absence as the photo failing.
 */
const cutMidImport: PipelineStage = {
  name: 'cut-point',
  pass: 1,
  version: null,
  run: async (image, ctx) => {
    if (cutAt !== null || ++runs !== 4) return 'done';
    cutAt = Date.now();
    proxy.cut();
    const back = new Promise<void>((resolve) =>
      setTimeout(() => {
        restoredAt = Date.now();
        proxy.restore();
        resolve();
      }, AWAY_MS),
    );
    const readWhileAway = await ctx.catalog.getImage(image.id).then(
      () => new Error('the catalog answered while cut off'),
      (error: unknown) => error,
    );
    await back;
    throw readWhileAway;
  },
};
let runs = 0;

beforeAll(async () => {
  database = await createTestDatabase('glimpse_away');
  proxy = await startCuttableProxy(database.url);
  harness = await makeHarness({ databaseUrl: proxy.url, extraStages: [cutMidImport] });
});
afterAll(async () => {
  await harness?.dispose();
  await proxy?.close();
  await database?.drop();
});

describe('PostgreSQL going away mid-import', () => {
  it('waits, names the server and the cause, and finishes every photo once when the server is back', async () => {
    for (let i = 0; i < PHOTOS; i++) await writePhoto(path.join(harness.photos, `p${i}.jpg`), { seed: 100 + i });

    const result = await harness.library.indexFolder(harness.photos);

    expect(cutAt).not.toBeNull();
    expect(restoredAt).not.toBeNull();
    expect(proxy.refused).toBeGreaterThan(0);
    expect(result.failed).toEqual([]);
    expect(result.indexed).toBe(PHOTOS);
    const server = new URL(proxy.url);
    const notices = harness.events.flatMap((e) => (e.type === 'notice' ? [e.message] : []));
    const away = notices.filter((m) => m.includes(`PostgreSQL at ${server.host}${server.pathname}`));
    expect(away.length).toBeGreaterThan(0);
    expect(away[0]).toMatch(/ went away: (connection lost|unreachable) \([^)]+\); indexing waits \d+ s and tries again \(photos stay catalogued\)$/);
    // …and, once it answers again, that it is back, after the last word that it was away.
    expect(away.at(-1)).toBe(`PostgreSQL at ${server.host}${server.pathname} is back; indexing goes on`);

    // Read the catalog past the proxy: what the next person to open the library would find.
    const direct = new pg.Client({ connectionString: database.url });
    await direct.connect();
    try {
      const images = await direct.query<{ path: string; status: string; hash: string }>('select path, status, hash from images order by path');
      expect(images.rows.map((r) => path.basename(r.path))).toEqual([...Array(PHOTOS).keys()].map((i) => `p${i}.jpg`).sort());
      expect(images.rows.every((r) => r.status === 'ready')).toBe(true);
      expect(new Set(images.rows.map((r) => r.hash)).size).toBe(PHOTOS);
      const stages = await direct.query<{ stage: string; n: string; finished: string; attempts: number }>(
        `select stage, count(*) as n, count(*) filter (where status in ('done', 'skipped')) as finished, max(attempts) as attempts
           from image_stages group by stage order by stage`,
      );
      // Each photo's every stage finished exactly once: none left running or failed, none counted as a second attempt.
      expect(stages.rows.map((r) => [r.stage, Number(r.n), Number(r.finished), r.attempts])).toEqual(
        ['cut-point', 'decode', 'exif', 'thumbs'].map((stage) => [stage, PHOTOS, PHOTOS, 1]),
      );
      const jobs = await direct.query<{ status: string }>('select status from jobs');
      expect(jobs.rows).toEqual([]);
    } finally {
      await direct.end();
    }
  }, 60_000);

  it('puts back a claim whose reply was lost as the server went, instead of holding it forever', async () => {
    // A second library of its own (paused, so nothing runs before the cut) on the same proxied server.
    const other = await createTestDatabase('glimpse_away_claim');
    const otherProxy = await startCuttableProxy(other.url);
    const paused = await makeHarness({ databaseUrl: otherProxy.url, config: { indexing: { concurrency: 2, paused: true } } });
    try {
      for (let i = 0; i < 3; i++) await writePhoto(path.join(paused.photos, `q${i}.jpg`), { seed: 200 + i });
      await paused.library.addFolder(paused.photos, { confirm: true });
      // Claimed by this process but never run: what is left when a claim's commit reached the server and its reply did not.
      const [orphan] = await paused.catalog.claimIngestJobs(1);
      expect(orphan).toBeDefined();
      otherProxy.cut();
      paused.library.resume();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      otherProxy.restore();
      const finished = await Promise.race([
        paused.library.waitForIdle(1).then(() => 'idle'),
        new Promise((resolve) => setTimeout(() => resolve('still waiting on the lost claim'), 20_000)),
      ]);
      expect(finished).toBe('idle');
      expect(otherProxy.refused).toBeGreaterThan(0);
      const result = await paused.library.indexFolder(paused.photos);
      expect(result).toMatchObject({ indexed: 3, failed: [] });
    } finally {
      await paused.dispose();
      await otherProxy.close();
      await other.drop();
    }
  }, 60_000);

  it('rides out the server ending every connection (as a restart does), with the cause in its words', async () => {
    const restarted = await createTestDatabase('glimpse_away_restart');
    const name = new URL(restarted.url).pathname.slice(1);
    let terminated = 0;
    let seen = 0;
    // While the fourth photo is in the middle of its stages, and reading the catalog, the server ends every connection
    // to the library's database: that read fails with the server's own words.
    const restartMidImport: PipelineStage = {
      name: 'restart-point',
      pass: 1,
      version: null,
      run: async (_image, ctx) => {
        if (++seen !== 4) return 'done';
        await ctx.catalog.transaction(async (trx) => {
          const admin = new pg.Client({ connectionString: restarted.url });
          await admin.connect();
          try {
            const ended = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
            terminated = ended.rowCount ?? 0;
          } finally {
            await admin.end();
          }
          await sql`select 1`.execute(trx);
        });
        return 'done';
      },
    };
    const lib = await makeHarness({ databaseUrl: restarted.url, extraStages: [restartMidImport] });
    try {
      for (let i = 0; i < PHOTOS; i++) await writePhoto(path.join(lib.photos, `r${i}.jpg`), { seed: 300 + i });
      const result = await lib.library.indexFolder(lib.photos);
      expect(terminated).toBeGreaterThan(0);
      expect(result).toMatchObject({ indexed: PHOTOS, failed: [] });
      const stages = await lib.catalog.db
        .selectFrom('image_stages')
        .select(['stage', 'status', 'attempts'])
        .where('stage', '=', 'restart-point')
        .execute();
      expect(stages.map((r) => [r.status, r.attempts])).toEqual(Array(PHOTOS).fill(['done', 1]));
      const notices = lib.events.flatMap((e) => (e.type === 'notice' ? [e.message] : []));
      const away = notices.filter((m) => m.includes('went away'));
      expect(away.length).toBeGreaterThan(0);
      for (const message of away) {
        expect(message).toMatch(new RegExp(`^PostgreSQL at 127\\.0\\.0\\.1:\\d+/${name} went away: (connection lost|the server is shutting down) \\(.+\\); indexing waits`));
      }
    } finally {
      await lib.dispose();
      await restarted.drop();
    }
  }, 60_000);
});
