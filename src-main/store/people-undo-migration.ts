// The table of merges that can still be undone (migration 0075), apart from the store that reads it so the
// migration list can import it without a cycle through the database module.
import type { Kysely, Migration } from 'kysely';

type TableBuilder = ReturnType<Kysely<unknown>['schema']['createTable']>;

export function peopleMergeUndoMigration(id: (builder: TableBuilder) => TableBuilder): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await id(db.schema.createTable('people_merge_undo'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('snapshot', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('people_merge_undo').ifExists().execute();
    },
  };
}
