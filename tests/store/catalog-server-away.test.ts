// Which PostgreSQL errors mean "the server is away" (wait and retry the work) and which are a query's own failure (the
// photo's cause), classified on errors the real server and driver raise, not on hand-made ones.
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogAwayCause, isCatalogServerAway } from '../../src-main/store/catalog-server-away';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('glimpse_away_kinds');
});
afterAll(async () => {
  await database?.drop();
});

async function connected(url = database.url): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

describe('telling a server that is away from a failing query', () => {
  it('a connection the server ends (as on restart) is away, in the server’s words', async () => {
    const doomed = await connected();
    const lost = new Promise<unknown>((resolve) => doomed.on('error', resolve));
    const pid = (await doomed.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
    const admin = await connected();
    try {
      await admin.query('select pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
    const error = await lost;
    expect(isCatalogServerAway(error)).toBe(true);
    expect(catalogAwayCause(error)).toBe('the server is shutting down (57P01: terminating connection due to administrator command)');
    const after = await doomed.query('select 1').catch((e: unknown) => e);
    expect(isCatalogServerAway(after)).toBe(true);
    await doomed.end().catch(() => {});
  });

  it('a port nothing listens on is unreachable', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const url = new URL(database.url);
    url.port = String(port);
    const error = await connected(url.toString()).catch((e: unknown) => e);
    expect(isCatalogServerAway(error)).toBe(true);
    expect(catalogAwayCause(error)).toBe('unreachable (ECONNREFUSED)');
  });

  it("a query's own failure is not the server being away", async () => {
    const client = await connected();
    try {
      await client.query('create table t (id int primary key)');
      await client.query('insert into t values (1)');
      const duplicate = await client.query('insert into t values (1)').catch((e: unknown) => e);
      const syntax = await client.query('selec 1').catch((e: unknown) => e);
      const cancelled = await client.query("set statement_timeout = '50ms'; select pg_sleep(1)").catch((e: unknown) => e);
      expect([duplicate, syntax, cancelled].map((e) => [(e as { code?: string }).code, isCatalogServerAway(e)])).toEqual([
        ['23505', false],
        ['42601', false],
        ['57014', false],
      ]);
    } finally {
      await client.end();
    }
  });
});
