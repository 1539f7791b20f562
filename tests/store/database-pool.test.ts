// The PostgreSQL connection pool's settings (size, idle timeout, statement timeout): read from the environment, obeyed by
// the server's connections, and shown by `glimpse doctor`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src-main/api';
import { loadConfig } from '../../src-main/config';
import { openCatalogDatabase } from '../../src-main/store/database';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { createTestDatabase, requirePostgresUrl, type TestDatabase } from '../setup/postgres';

/** Connections to `database` as the server sees them, counted from a connection to another database. */
async function serverConnections(database: string): Promise<number> {
  const observer = new pg.Client({ connectionString: requirePostgresUrl() });
  await observer.connect();
  try {
    const result = await observer.query<{ n: string }>('select count(*)::text as n from pg_stat_activity where datname = $1', [database]);
    return Number(result.rows[0].n);
  } finally {
    await observer.end();
  }
}

describe('PostgreSQL connection pool settings', () => {
  let database: TestDatabase;
  let name = '';
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-pool-'));
  beforeAll(async () => {
    database = await createTestDatabase('glimpse_pool');
    name = new URL(database.url).pathname.slice(1);
  });
  afterAll(async () => {
    await database.drop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('come from the environment, and nonsense is refused naming the setting', () => {
    const config = loadConfig({
      env: { GLIMPSE_DATABASE_POOL_SIZE: '3', GLIMPSE_DATABASE_IDLE_TIMEOUT_MS: '10000', GLIMPSE_DATABASE_STATEMENT_TIMEOUT_MS: '5000' },
      overrides: { dataDir: path.join(root, 'env') },
    });
    expect([config.databasePoolSize, config.databaseIdleTimeoutMs, config.databaseStatementTimeoutMs]).toEqual([3, 10_000, 5_000]);
    expect(loadConfig({ env: {}, overrides: { dataDir: path.join(root, 'env') } }).databaseStatementTimeoutMs).toBe(0);
    expect(() => loadConfig({ env: { GLIMPSE_DATABASE_STATEMENT_TIMEOUT_MS: '-5' }, overrides: { dataDir: path.join(root, 'env') } })).toThrow(
      /databaseStatementTimeoutMs/,
    );
  });

  it('never holds more connections than the pool size, however many queries wait', async () => {
    const catalog = await openCatalogDatabase({ dataDir: root, databaseUrl: database.url, poolSize: 2 });
    try {
      const pids = await Promise.all(
        Array.from({ length: 6 }, async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.2)`.execute(catalog.db)).rows[0].pid),
      );
      expect(new Set(pids).size).toBe(2);
    } finally {
      await catalog.close();
    }
  });

  it('closes connections left idle past the idle timeout', async () => {
    const catalog = await openCatalogDatabase({ dataDir: root, databaseUrl: database.url, poolSize: 3, idleTimeoutMs: 1_000 });
    try {
      await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.1)`.execute(catalog.db)));
      expect(await serverConnections(name)).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(await serverConnections(name)).toBe(0);
    } finally {
      await catalog.close();
    }
  });

  it('has the server cancel a statement that runs past the statement timeout, with its reason', async () => {
    const catalog = await openCatalogDatabase({ dataDir: root, databaseUrl: database.url, statementTimeoutMs: 300 });
    try {
      expect((await sql<{ statement_timeout: string }>`show statement_timeout`.execute(catalog.db)).rows[0].statement_timeout).toBe('300ms');
      await expect(sql`select pg_sleep(3)`.execute(catalog.db)).rejects.toThrow('canceling statement due to statement timeout');
      expect((await sql<{ one: number }>`select 1 as one`.execute(catalog.db)).rows[0].one).toBe(1);
    } finally {
      await catalog.close();
    }
  });

  it('are shown by glimpse doctor beside the catalog engine', async () => {
    const config = loadConfig({
      env: {
        GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR,
        GLIMPSE_MODEL: FIXTURE_MODEL_ID,
        GLIMPSE_OFFLINE: '1',
        GLIMPSE_DATABASE_URL: database.url,
        GLIMPSE_DATABASE_POOL_SIZE: '3',
        GLIMPSE_DATABASE_IDLE_TIMEOUT_MS: '10000',
        GLIMPSE_DATABASE_STATEMENT_TIMEOUT_MS: '5000',
      },
      overrides: { dataDir: path.join(root, 'doctor') },
    });
    const api = await openApi(config, { indexing: false });
    try {
      const result = await api.invoke('system.doctor', undefined);
      if (!result.ok) throw new Error(result.error.message);
      expect(result.value.checks.find((c) => c.name === 'catalog')?.detail).toMatch(
        /^PostgreSQL .*; pool of up to 3 connection\(s\), idle ones closed after 10 s, statement timeout 5 s$/,
      );
    } finally {
      await api.close();
    }
  });
});
