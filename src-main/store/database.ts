// Opens the catalog database: SQLite (better-sqlite3, WAL) by default, PostgreSQL when a URL is configured,
// both behind one kysely instance so the schema, migrations and queries are written once.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { CatalogSchema, DialectName } from './schema';
import { migrateToLatest } from './migrations';

export interface CatalogDatabase {
  db: Kysely<CatalogSchema>;
  dialect: DialectName;
  /** Human-readable location for `doctor` (a file path, or the URL without its password). */
  location: string;
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

export async function openCatalogDatabase(options: {
  dataDir: string;
  databaseUrl: string | null;
  /** better-sqlite3 built for Electron's ABI, when running inside Electron from a checkout. */
  sqliteNativeBinding?: string | null;
}): Promise<CatalogDatabase> {
  let database: CatalogDatabase;
  if (options.databaseUrl) {
    // Ids and sizes are BIGINT in PostgreSQL; they stay far below 2^53, so read them as numbers like SQLite does.
    pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 8 });
    const db = new Kysely<CatalogSchema>({ dialect: new PostgresDialect({ pool }) });
    database = { db, dialect: 'postgres', location: redactUrl(options.databaseUrl), close: () => db.destroy() };
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
