// An indexer cut off from PostgreSQL for longer than its lease comes back to find its work taken over by another: putting
// back what it thinks it still holds must leave the other's claims running, or that work would be claimed a third time.
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src-main/store/catalog';
import { openCatalogDatabase } from '../../src-main/store/database';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';

const STAGES = [{ name: 'decode', pass: 1 as const, version: null }];

let database: TestDatabase;
let away: Catalog;
let takesOver: Catalog;
beforeAll(async () => {
  database = await createTestDatabase('glimpse_lost_lease');
  const open = async () => new Catalog(await openCatalogDatabase({ dataDir: os.tmpdir(), databaseUrl: database.url }), { leaseMs: 300 });
  away = await open();
  takesOver = await open();
});
afterAll(async () => {
  await away?.close();
  await takesOver?.close();
  await database?.drop();
});

describe('putting work back after a lost lease', () => {
  it("leaves the claims another indexer took over running under that indexer's name", async () => {
    const folder = await away.insertFolder('/photos/lost-lease');
    const image = await away.insertImage({ folder_id: folder.id, path: '/photos/lost-lease/a.jpg', hash: 'lost-lease-a', size_bytes: 1, mtime_ms: 1 });
    await away.ensureStages([image.id], STAGES);
    await away.enqueueIngest(folder.id, ['/photos/lost-lease/b.jpg']);
    const [stage] = await away.claimStages(['decode'], 1);
    const [job] = await away.claimIngestJobs(1);
    expect([stage?.imageId, job?.path]).toEqual([image.id, '/photos/lost-lease/b.jpg']);

    await new Promise((resolve) => setTimeout(resolve, away.leaseMs + 150));
    expect((await takesOver.claimStages(['decode'], 1)).map((c) => c.imageId)).toEqual([image.id]);
    expect((await takesOver.claimIngestJobs(1)).map((j) => j.id)).toEqual([job.id]);

    // The indexer that was away puts back what it last held, every way it can.
    await away.releaseStage(image.id, 'decode');
    await away.releaseIngestJob(job.id);
    await away.releaseOwnClaims();

    const stageRow = await away.db.selectFrom('image_stages').select(['status', 'lease_owner']).where('image_id', '=', image.id).executeTakeFirstOrThrow();
    const jobRow = await away.db.selectFrom('jobs').select(['status', 'lease_owner']).where('id', '=', job.id).executeTakeFirstOrThrow();
    expect([stageRow, jobRow]).toEqual([
      { status: 'running', lease_owner: takesOver.workerId },
      { status: 'running', lease_owner: takesOver.workerId },
    ]);
    // Nothing is left for a third indexer to claim.
    expect(await away.claimStages(['decode'], 1)).toEqual([]);
  });
});
