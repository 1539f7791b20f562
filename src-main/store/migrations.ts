// The one ordered list of catalog migrations, written with kysely's schema builder so SQLite and PostgreSQL
// share them; the only dialect difference is how an auto-increment key is spelled.
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { DialectName } from './schema';
import { photoWordsMigration, textIndexMigration } from './text-index-migrations';
import { searchHistoryMigration } from './search-history-migration';
import { peopleMergeUndoMigration } from './people-undo-migration';
import { peopleNamesTextMigration } from './people-names-text-migration';
import { vectorPayloadsMigration } from './vector-payloads-migration';

type AnyDb = Kysely<unknown>;

function migrations(dialect: DialectName): Record<string, Migration> {
  const idType = dialect === 'postgres' ? 'bigserial' : 'integer';
  const blobType = dialect === 'postgres' ? 'bytea' : 'blob';
  const realType = dialect === 'postgres' ? 'double precision' : 'real';
  const id = (builder: ReturnType<AnyDb['schema']['createTable']>) =>
    dialect === 'postgres'
      ? builder.addColumn('id', idType, (c) => c.primaryKey())
      : builder.addColumn('id', idType, (c) => c.primaryKey().autoIncrement());

  return {
    '0001_catalog': {
      async up(db: AnyDb) {
        await id(db.schema.createTable('folders'))
          .addColumn('path', 'text', (c) => c.notNull().unique())
          .addColumn('added_at', 'text', (c) => c.notNull())
          .addColumn('managed', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();

        await id(db.schema.createTable('images'))
          .addColumn('folder_id', 'bigint', (c) => c.notNull().references('folders.id').onDelete('cascade'))
          .addColumn('path', 'text', (c) => c.notNull().unique())
          .addColumn('hash', 'text', (c) => c.notNull().unique())
          .addColumn('size_bytes', 'bigint', (c) => c.notNull())
          .addColumn('mtime_ms', realType, (c) => c.notNull())
          .addColumn('format', 'text')
          .addColumn('width', 'integer')
          .addColumn('height', 'integer')
          .addColumn('orientation', 'integer')
          .addColumn('taken_at', 'text')
          .addColumn('added_at', 'text', (c) => c.notNull())
          .addColumn('camera_make', 'text')
          .addColumn('camera_model', 'text')
          .addColumn('lens', 'text')
          .addColumn('focal_length', realType)
          .addColumn('f_number', realType)
          .addColumn('exposure_time', realType)
          .addColumn('iso', 'integer')
          .addColumn('gps_latitude', realType)
          .addColumn('gps_longitude', realType)
          .addColumn('thumb_path', 'text')
          .addColumn('view_path', 'text')
          .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
          .addColumn('error', 'text')
          .addColumn('caption', 'text')
          .addColumn('caption_model', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('images_folder').on('images').column('folder_id').execute();
        await db.schema.createIndex('images_taken').on('images').columns(['taken_at', 'id']).execute();
        await db.schema.createIndex('images_added').on('images').columns(['added_at', 'id']).execute();

        await id(db.schema.createTable('duplicate_files'))
          .addColumn('image_id', 'bigint', (c) => c.notNull().references('images.id').onDelete('cascade'))
          .addColumn('folder_id', 'bigint', (c) => c.notNull().references('folders.id').onDelete('cascade'))
          .addColumn('path', 'text', (c) => c.notNull().unique())
          .addColumn('size_bytes', 'bigint', (c) => c.notNull())
          .addColumn('mtime_ms', realType, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('duplicate_files_image').on('duplicate_files').column('image_id').execute();

        await id(db.schema.createTable('jobs'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('folder_id', 'bigint', (c) => c.notNull().references('folders.id').onDelete('cascade'))
          .addColumn('path', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('error', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('jobs_kind_path', ['kind', 'path'])
          .execute();
        await db.schema.createIndex('jobs_status').on('jobs').columns(['status', 'id']).execute();

        await db.schema
          .createTable('image_stages')
          .addColumn('image_id', 'bigint', (c) => c.notNull().references('images.id').onDelete('cascade'))
          .addColumn('stage', 'text', (c) => c.notNull())
          .addColumn('pass', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('version', 'text')
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('error', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('image_stages_pk', ['image_id', 'stage'])
          .execute();
        await db.schema.createIndex('image_stages_queue').on('image_stages').columns(['status', 'pass', 'image_id']).execute();

        await id(db.schema.createTable('people'))
          .addColumn('name', 'text')
          .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await id(db.schema.createTable('faces'))
          .addColumn('image_id', 'bigint', (c) => c.notNull().references('images.id').onDelete('cascade'))
          .addColumn('person_id', 'bigint', (c) => c.references('people.id').onDelete('set null'))
          .addColumn('box_x', realType, (c) => c.notNull())
          .addColumn('box_y', realType, (c) => c.notNull())
          .addColumn('box_width', realType, (c) => c.notNull())
          .addColumn('box_height', realType, (c) => c.notNull())
          .addColumn('score', realType, (c) => c.notNull())
          .addColumn('descriptor', blobType)
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('faces_image').on('faces').column('image_id').execute();
        await db.schema.createIndex('faces_person').on('faces').column('person_id').execute();
      },
      async down(db: AnyDb) {
        for (const table of ['faces', 'people', 'image_stages', 'jobs', 'duplicate_files', 'images', 'folders']) {
          await db.schema.dropTable(table).ifExists().execute();
        }
      },
    },
    '0002_removed_files': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('removed_files')
          .addColumn('path', 'text', (c) => c.primaryKey())
          .addColumn('size_bytes', 'bigint', (c) => c.notNull())
          .addColumn('mtime_ms', realType, (c) => c.notNull())
          .addColumn('removed_at', 'text', (c) => c.notNull())
          .execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropTable('removed_files').ifExists().execute();
      },
    },
    '0020_photo_words': photoWordsMigration(dialect),
    '0021_text_index': textIndexMigration(dialect),
    '0025_image_captions': {
      // The caption text itself lives in images.caption / caption_model (the text index reads those); this records
      // what it was made with, so a new model or prompt is told apart from a caption that is merely old.
      async up(db: AnyDb) {
        await db.schema
          .createTable('image_captions')
          .addColumn('image_id', 'bigint', (c) => c.primaryKey().references('images.id').onDelete('cascade'))
          .addColumn('model', 'text', (c) => c.notNull())
          .addColumn('prompt', 'text', (c) => c.notNull())
          .addColumn('duration_ms', realType, (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropTable('image_captions').ifExists().execute();
      },
    },
    '0030_work_leases': {
      // Several indexers may share one PostgreSQL catalog: a claim names its process and holds only until its lease
      // runs out, so work a crashed process held is taken over by the others instead of staying "running".
      async up(db: AnyDb) {
        for (const table of ['jobs', 'image_stages']) {
          await db.schema.alterTable(table).addColumn('lease_owner', 'text').execute();
          await db.schema.alterTable(table).addColumn('lease_until', 'text').execute();
        }
      },
      async down(db: AnyDb) {
        for (const table of ['jobs', 'image_stages']) {
          await db.schema.alterTable(table).dropColumn('lease_until').execute();
          await db.schema.alterTable(table).dropColumn('lease_owner').execute();
        }
      },
    },
    '0031_images_status': {
      // The idle queue looks for photos still "pending" whose stages all finished (markFinishedImagesReady) every time
      // it drains: an index keeps that a look-up of the few pending photos, not a scan of the whole library.
      async up(db: AnyDb) {
        await db.schema.createIndex('images_status').on('images').column('status').execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropIndex('images_status').ifExists().execute();
      },
    },
    '0050_search_history': searchHistoryMigration(),
    '0075_people_merge_undo': peopleMergeUndoMigration(id),
    '0085_people_names_in_text': peopleNamesTextMigration(dialect),
    '0086_vector_payload_pending': vectorPayloadsMigration(dialect),
    '0040_deleted_photos': {
      async up(db: AnyDb) {
        await id(db.schema.createTable('deleted_photos'))
          .addColumn('photo_id', 'bigint', (c) => c.notNull())
          .addColumn('folder_id', 'bigint', (c) => c.notNull())
          .addColumn('path', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .addColumn('copy_paths', 'text', (c) => c.notNull())
          .addColumn('taken_at', 'text')
          .addColumn('width', 'integer')
          .addColumn('height', 'integer')
          .addColumn('in_trash', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('deleted_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('deleted_photos_deleted').on('deleted_photos').column('deleted_at').execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropTable('deleted_photos').ifExists().execute();
      },
    },
    '0041_favourites': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('favourites')
          .addColumn('hash', 'text', (c) => c.primaryKey())
          .addColumn('added_at', 'text', (c) => c.notNull())
          .execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropTable('favourites').ifExists().execute();
      },
    },
    '0060_photo_rotations': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('photo_rotations')
          .addColumn('hash', 'text', (c) => c.primaryKey())
          .addColumn('quarter_turns', 'integer', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropTable('photo_rotations').ifExists().execute();
      },
    },
    '0010_faces_people': {
      async up(db: AnyDb) {
        await db.schema.alterTable('faces').addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        await db.schema.alterTable('faces').addColumn('thumbnail', blobType).execute();
        await db.schema.alterTable('faces').addColumn('age', realType).execute();
        await db.schema.alterTable('faces').addColumn('gender', 'text').execute();
        await db.schema.alterTable('faces').addColumn('model', 'text').execute();
        await db.schema.alterTable('people').addColumn('cover_face_id', 'bigint').execute();
        await db.schema
          .createTable('face_rejections')
          .addColumn('face_id', 'bigint', (c) => c.notNull().references('faces.id').onDelete('cascade'))
          .addColumn('person_id', 'bigint', (c) => c.notNull().references('people.id').onDelete('cascade'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('face_rejections_pk', ['face_id', 'person_id'])
          .execute();
        await db.schema.createIndex('face_rejections_person').on('face_rejections').column('person_id').execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropTable('face_rejections').ifExists().execute();
        for (const column of ['pinned', 'thumbnail', 'age', 'gender', 'model']) await db.schema.alterTable('faces').dropColumn(column).execute();
        await db.schema.alterTable('people').dropColumn('cover_face_id').execute();
      },
    },
  };
}

class InlineMigrations implements MigrationProvider {
  constructor(private readonly dialect: DialectName) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.dialect);
  }
}

export async function migrateToLatest(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const migrator = new Migrator({ db, provider: new InlineMigrations(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Catalog migration ${failed} failed: ${(error as Error).message ?? String(error)}`);
  }
  if (dialect === 'sqlite') await sql`PRAGMA optimize`.execute(db);
}
