// `glimpse migrate --to <postgres-url | embedded>`: the whole catalog copied between SQLite in the data dir and a
// PostgreSQL database, ids kept, resumable, and checked by row counts and the same first timeline page on both sides.
import type { CatalogMigrationReport } from '../../src-preload/api';
import type { GlimpseConfig } from '../config';
import { GlimpseError } from '../errors';
import { Catalog } from '../store/catalog';
import { copyCatalog } from '../store/catalog-copy';
import { CatalogServerError, openCatalogDatabase, type CatalogDatabase } from '../store/database';
import type { Handlers } from './dispatch';

const FIRST_PAGE = { page: 1, pageSize: 60, sort: 'taken' as const, order: 'desc' as const };

export function catalogMigrationHandlers(config: () => GlimpseConfig, source: CatalogDatabase): Pick<Handlers, 'catalog.migrate'> {
  return {
    'catalog.migrate': async ({ to }): Promise<CatalogMigrationReport> => {
      const current = config();
      const toSqlite = to === 'sqlite';
      if (toSqlite ? source.dialect === 'sqlite' : current.databaseUrl === to) {
        throw new GlimpseError('INVALID_INPUT', `The catalog is already ${toSqlite ? 'in SQLite in the data dir' : 'in that PostgreSQL database'}: nothing to copy`, 'to');
      }
      let target: CatalogDatabase;
      try {
        target = await openCatalogDatabase({
          dataDir: current.dataDir,
          databaseUrl: toSqlite ? null : to,
          sqliteNativeBinding: current.sqliteNativeBinding,
          poolSize: current.databasePoolSize,
          idleTimeoutMs: current.databaseIdleTimeoutMs,
          statementTimeoutMs: current.databaseStatementTimeoutMs,
        });
      } catch (error) {
        if (error instanceof CatalogServerError) throw new GlimpseError('BACKEND_UNAVAILABLE', error.message, 'postgres');
        throw error;
      }
      try {
        const copy = await copyCatalog(source, target).catch((error: unknown) => {
          throw new GlimpseError('INVALID_INPUT', `Cannot copy the catalog: ${error instanceof Error ? error.message : String(error)}`, 'to');
        });
        const [ours, theirs] = await Promise.all([new Catalog(source).gallery(FIRST_PAGE), new Catalog(target).gallery(FIRST_PAGE)]);
        const galleryMatches = ours.items.length === theirs.items.length && ours.items.every((photo, i) => photo.id === theirs.items[i].id);
        return {
          from: source.location,
          to: target.location,
          tables: copy.tables,
          countsMatch: copy.countsMatch,
          galleryMatches,
          next: toSqlite ? 'unset GLIMPSE_DATABASE_URL' : `set GLIMPSE_DATABASE_URL to that URL`,
        };
      } finally {
        await target.close();
      }
    },
  };
}
