// The search history table (migration 0050), apart from the store that reads it so the migration list can
// import it without a cycle through the database module.
import type { Kysely, Migration } from 'kysely';

export function searchHistoryMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('search_history')
        .addColumn('query', 'text', (c) => c.primaryKey())
        .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('last_used_at', 'text', (c) => c.notNull())
        .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('search_history_recent').on('search_history').columns(['pinned', 'last_used_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('search_history').ifExists().execute();
    },
  };
}
