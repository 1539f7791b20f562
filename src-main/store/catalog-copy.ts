// Copies a whole catalog between engines (SQLite ⇄ PostgreSQL), table by table in foreign-key order, rows keeping their
// ids, so photos, folders, stages and every user decision arrive as they were; a second run only adds what is missing.
import { sql, type Kysely } from 'kysely';
import type { CatalogDatabase } from './database';

/** Tables that belong to the migrator itself or are derived by triggers from the tables copied. */
const NOT_COPIED = /^(kysely_migration|kysely_migration_lock|sqlite_.*)$/;
const BATCH = 500;

export interface TableCopy {
  table: string;
  source: number;
  target: number;
}

export interface CatalogCopyReport {
  tables: TableCopy[];
  /** Every copied table holds as many rows on the target as on the source. */
  countsMatch: boolean;
}

type AnyDb = Kysely<any>;

/** Plain tables (no virtual tables nor their shadow tables, nothing of the migrator), with their foreign-key parents. */
async function tablesOf(database: CatalogDatabase): Promise<Map<string, Set<string>>> {
  const db = database.db as AnyDb;
  const tables = new Map<string, Set<string>>();
  if (database.dialect === 'sqlite') {
    const rows = await sql<{ name: string; sql: string | null }>`select name, sql from sqlite_master where type = 'table'`.execute(db);
    const virtual = rows.rows.filter((r) => /^create virtual table/i.test(r.sql ?? '')).map((r) => r.name);
    const shadow = (name: string) => virtual.some((v) => name.startsWith(`${v}_`));
    for (const { name } of rows.rows) {
      if (NOT_COPIED.test(name) || virtual.includes(name) || shadow(name)) continue;
      const keys = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${name})`.execute(db);
      tables.set(name, new Set(keys.rows.map((k) => k.table).filter((t) => t !== name)));
    }
  } else {
    const rows = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
    for (const { name } of rows.rows) {
      if (NOT_COPIED.test(name)) continue;
      const keys = await sql<{ parent: string }>`
        select distinct ccu.table_name as parent
        from information_schema.table_constraints tc
        join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
        where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema() and tc.table_name = ${name}`.execute(db);
      tables.set(name, new Set(keys.rows.map((k) => k.parent).filter((t) => t !== name)));
    }
  }
  return tables;
}

/** Parents before children, so every row's references already exist when it is inserted. */
function inForeignKeyOrder(tables: Map<string, Set<string>>): string[] {
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visit = (table: string, path: Set<string>) => {
    if (placed.has(table) || path.has(table)) return;
    path.add(table);
    for (const parent of tables.get(table) ?? []) if (tables.has(parent)) visit(parent, path);
    placed.add(table);
    ordered.push(table);
  };
  for (const table of [...tables.keys()].sort()) visit(table, new Set());
  return ordered;
}

/** Columns a row can be written with: generated columns (a tsvector kept by the engine, say) are left to the engine. */
async function writableColumns(database: CatalogDatabase, table: string): Promise<string[]> {
  const db = database.db as AnyDb;
  if (database.dialect === 'sqlite') {
    const rows = await sql<{ name: string; hidden: number }>`select name, hidden from pragma_table_xinfo(${table})`.execute(db);
    return rows.rows.filter((r) => r.hidden === 0).map((r) => r.name);
  }
  const rows = await sql<{ name: string }>`
    select column_name as name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} and is_generated = 'NEVER'
    order by ordinal_position`.execute(db);
  return rows.rows.map((r) => r.name);
}

async function countRows(db: AnyDb, table: string): Promise<number> {
  const row = await db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Refuses a target that already holds another library: photos whose content the source does not have would end up
 * mixed with this one's (resuming an interrupted copy of the same library is fine).
 */
async function assertSameLibraryOrEmpty(source: AnyDb, target: AnyDb): Promise<void> {
  const theirs = await target.selectFrom('images').select(['id', 'hash']).limit(200).execute();
  if (theirs.length === 0) return;
  const ours = await source
    .selectFrom('images')
    .select(['id', 'hash'])
    .where('id', 'in', theirs.map((r) => r.id))
    .execute();
  const byId = new Map(ours.map((r) => [r.id, r.hash]));
  const foreign = theirs.find((r) => byId.get(r.id) !== r.hash);
  if (foreign) {
    throw new Error(`the target catalog already holds another library (photo ${foreign.id} there is not this library's): point at an empty database`);
  }
}

/** Copies every table of `source` into `target` (already migrated to the same schema), then compares row counts. */
export async function copyCatalog(
  source: CatalogDatabase,
  target: CatalogDatabase,
  onTable: (copy: TableCopy) => void = () => {},
): Promise<CatalogCopyReport> {
  const from = source.db as AnyDb;
  const to = target.db as AnyDb;
  await assertSameLibraryOrEmpty(from, to);
  const targetTables = await tablesOf(target);
  const order = inForeignKeyOrder(await tablesOf(source)).filter((table) => targetTables.has(table));
  const report: TableCopy[] = [];
  for (const table of order) {
    const columns = await writableColumns(target, table);
    const sourceColumns = new Set(await writableColumns(source, table));
    const shared = columns.filter((column) => sourceColumns.has(column));
    const hasId = shared.includes('id');
    for (let offset = 0; ; offset += BATCH) {
      const order = hasId ? sql.ref('id') : sql.join(shared.map((column) => sql.ref(column)));
      const rows = await from.selectFrom(table).select(shared).orderBy(order).limit(BATCH).offset(offset).execute();
      if (rows.length === 0) break;
      // A row already there (an interrupted copy run again) is kept as it is.
      await to
        .insertInto(table)
        .values(rows)
        .onConflict((oc) => oc.doNothing())
        .execute();
      if (rows.length < BATCH) break;
    }
    if (hasId && target.dialect === 'postgres') {
      // Rows kept their ids; the serial sequence must continue after them.
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), max(id)) from ${sql.table(table)} having max(id) is not null`.execute(to);
    }
    const copy = { table, source: await countRows(from, table), target: await countRows(to, table) };
    report.push(copy);
    onTable(copy);
  }
  return { tables: report, countsMatch: report.every((t) => t.source === t.target) };
}
