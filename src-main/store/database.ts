// Opens the catalog database: SQLite (better-sqlite3, WAL) by default, PostgreSQL when a URL is configured,
// both behind one kysely instance so the schema, migrations and queries are written once.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { CatalogSchema, DialectName } from './schema';
import { migrateToLatest } from './migrations';
import { postgresWorkSignals, type WorkSignals } from './work-signals';

export interface CatalogDatabase {
  db: Kysely<CatalogSchema>;
  dialect: DialectName;
  /** Human-readable location for `doctor` (a file path, or the URL without its password). */
  location: string;
  /** `host:port/database` of a PostgreSQL catalog, for messages saying that server is away. */
  server?: string;
  /** How processes sharing this catalog wake each other when work is queued; null where one process owns it (SQLite). */
  workSignals?: WorkSignals | null;
  /** The connection pool's settings in words, for `glimpse doctor` (PostgreSQL only). */
  pool?: string;
  close(): Promise<void>;
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres (unparseable URL)';
  }
}

/** A catalog server that cannot be used, named with the cause (never with its password). */
export class CatalogServerError extends Error {
  override name = 'CatalogServerError';
}

/** `host:port/database` of a PostgreSQL URL, after checking it is one. */
function postgresServer(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CatalogServerError(`GLIMPSE_DATABASE_URL is not a URL: give one like postgres://user:password@127.0.0.1:5432/glimpse`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new CatalogServerError(
      `GLIMPSE_DATABASE_URL uses ${parsed.protocol.slice(0, -1)}: the catalog runs on PostgreSQL (postgres://user:password@host:5432/database) or, unset, on SQLite`,
    );
  }
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

function postgresCause(error: unknown, connectTimeoutMs: number): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  // pg-pool's words when connectionTimeoutMillis passes with the connection open but no reply to the startup message.
  if (message === 'Connection terminated due to connection timeout') {
    return `did not answer within ${connectTimeoutMs / 1000} s (it took the connection, then said nothing): is that PostgreSQL's port, and is the server overloaded or stuck?`;
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT') {
    return `unreachable (${code}): is the server running and the address right?`;
  }
  if (code === '28P01' || code === '28000') return `${message}: check the user and password in GLIMPSE_DATABASE_URL`;
  if (code === '3D000') return `${message}: create the database first (createdb) or fix its name`;
  return message;
}

export async function openCatalogDatabase(options: {
  dataDir: string;
  databaseUrl: string | null;
  /** better-sqlite3 built for Electron's ABI, when running inside Electron from a checkout. */
  sqliteNativeBinding?: string | null;
  /** Most PostgreSQL connections this process holds at once. */
  poolSize?: number;
  /** How long an unused pooled connection stays open. */
  idleTimeoutMs?: number;
  /** Longest one statement may run before the server cancels it; 0 or absent: no limit. */
  statementTimeoutMs?: number;
  /** How long connecting (TCP and PostgreSQL's startup reply) may take before the server counts as not answering. */
  connectTimeoutMs?: number;
}): Promise<CatalogDatabase> {
  let database: CatalogDatabase;
  if (options.databaseUrl) {
    const server = postgresServer(options.databaseUrl);
    // Ids and sizes are BIGINT in PostgreSQL; they stay far below 2^53, so read them as numbers like SQLite does.
    pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
    const max = options.poolSize ?? 8;
    const idleTimeoutMillis = options.idleTimeoutMs ?? 30_000;
    const statementTimeout = options.statementTimeoutMs ?? 0;
    const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max,
      connectionTimeoutMillis: connectTimeoutMs,
      idleTimeoutMillis,
      // Sent with each new connection, so the server itself cancels a statement that runs too long.
      ...(statementTimeout > 0 ? { statement_timeout: statementTimeout } : {}),
    });
    // An idle client that loses its server must not crash the process; the next query reports the cause.
    pool.on('error', () => {});
    // Nor one lost while checked out between two queries (pg only listens on idle ones): its next query fails with the
    // cause, and the pool drops it on release and connects afresh.
    pool.on('connect', (client) => client.on('error', () => {}));
    try {
      await pool.query('select 1');
    } catch (error) {
      await pool.end().catch(() => {});
      throw new CatalogServerError(`PostgreSQL at ${server}: ${postgresCause(error, connectTimeoutMs)}`);
    }
    const db = new Kysely<CatalogSchema>({ dialect: new PostgresDialect({ pool }) });
    const workSignals = postgresWorkSignals(options.databaseUrl, db);
    const poolWords = `pool of up to ${max} connection(s), idle ones closed after ${idleTimeoutMillis / 1000} s, statement timeout ${statementTimeout > 0 ? `${statementTimeout / 1000} s` : 'none'}`;
    database = { db, dialect: 'postgres', location: redactUrl(options.databaseUrl), server, workSignals, pool: poolWords, close: () => db.destroy() };
  } else {
    fs.mkdirSync(options.dataDir, { recursive: true });
    const file = path.join(options.dataDir, 'catalog.sqlite');
    const sqlite = new SQLite(file, options.sqliteNativeBinding ? { nativeBinding: options.sqliteNativeBinding } : {});
    sqlite.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<CatalogSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
    database = { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
  }
  await migrateToLatest(database.db, database.dialect);
  return database;
}

/** The catalog engine's version and the catalog's size on disk, for `glimpse doctor` and Settings. */
export async function catalogEngineInfo(database: CatalogDatabase): Promise<string> {
  if (database.dialect === 'postgres') {
    const row = await sql<{ version: string; bytes: string }>`select current_setting('server_version') as version, pg_database_size(current_database())::text as bytes`.execute(database.db);
    const { version, bytes } = row.rows[0];
    return `PostgreSQL ${version}, ${(Number(bytes) / 1024 ** 2).toFixed(1)} MB`;
  }
  const row = await sql<{ version: string }>`select sqlite_version() as version`.execute(database.db);
  const bytes = fs.existsSync(database.location) ? fs.statSync(database.location).size : 0;
  return `SQLite ${row.rows[0].version}, ${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
