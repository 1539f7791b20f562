// Announcements of queued work between processes sharing a PostgreSQL catalog: every listener hears them, and one whose
// connection was cut reconnects and looks again (what was announced meanwhile is lost, so it is told to look).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalogDatabase, type CatalogDatabase } from '../../src-main/store/database';
import { createTestDatabase, requirePostgresUrl, type TestDatabase } from '../setup/postgres';

async function waitFor(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('work announcements on PostgreSQL', () => {
  let database: TestDatabase;
  let catalog: CatalogDatabase;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-signals-'));
  beforeAll(async () => {
    database = await createTestDatabase('glimpse_signals');
    catalog = await openCatalogDatabase({ dataDir: root, databaseUrl: database.url });
  });
  afterAll(async () => {
    await catalog?.close();
    await database?.drop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reach every listener, and a listener whose connection was cut comes back and is told to look again', async () => {
    const signals = catalog.workSignals!;
    let heardA = 0;
    let heardB = 0;
    const stopA = await signals.listen(() => heardA++);
    const stopB = await signals.listen(() => heardB++);
    try {
      await signals.announce();
      await waitFor(() => heardA === 1 && heardB === 1, 'both listeners to hear the announcement');

      const admin = new pg.Client({ connectionString: requirePostgresUrl() });
      await admin.connect();
      const name = new URL(database.url).pathname.slice(1);
      const cut = await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and query ilike 'LISTEN%' and pid = (select min(pid) from pg_stat_activity where datname = $1 and query ilike 'LISTEN%')",
        [name],
      );
      await admin.end();
      expect(cut.rowCount).toBe(1);
      // One of them lost its connection: it reconnects within its first back-off (1 s) and looks again.
      await waitFor(() => heardA + heardB === 3, 'the cut listener to reconnect and look again');
      const before = [heardA, heardB];
      await signals.announce();
      await waitFor(() => heardA === before[0] + 1 && heardB === before[1] + 1, 'both to hear announcements after the reconnect');
    } finally {
      await Promise.all([stopA(), stopB()]);
    }
  });
});
