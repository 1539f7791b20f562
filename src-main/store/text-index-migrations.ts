// Migrations 0020–0021: the words stored per photo (imported from its metadata, read by OCR) and the text index
// over them, captions and file/folder names. SQL triggers keep the index in step with every write to the base
// tables, whichever code path makes it (ingest, rename, move, delete, a captioner writing images.caption).
import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from './schema';

type AnyDb = Kysely<unknown>;

/** The indexed fields in index column order; their weights live in the engine modules. */
export const TEXT_FIELDS = ['title', 'keywords', 'people', 'description', 'ocr', 'file_name', 'folder_name', 'caption'] as const;

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * SQL (both engines) for the words of a photo's path: the file name without its extension, and the folder names
 * from the library folder's own name down to the photo's directory. No string functions beyond rtrim/substr/replace.
 */
function pathWords(dialect: DialectName, image: string) {
  const hasDot = (s: string) => (dialect === 'postgres' ? `strpos(${s}, '.') > 0` : `instr(${s}, '.') > 0`);
  const slashed = (s: string) => `replace(${s}, '\\', '/')`;
  const dirOf = (s: string) => `rtrim(${s}, replace(${s}, '/', ''))`;
  const baseOf = (s: string) => `substr(${s}, length(${dirOf(s)}) + 1)`;
  const rel = `substr(${slashed(`${image}.path`)}, length(f.path) + 2)`;
  const base = baseOf(rel);
  const fileName = `case when ${hasDot(base)} then rtrim(rtrim(${base}, '${ALNUM}'), '.') else ${base} end`;
  const folderName = `${baseOf(slashed('f.path'))} || ' ' || ${dirOf(rel)}`;
  return { fileName, folderName };
}

export function photoWordsMigration(dialect: DialectName): Migration {
  const realType = dialect === 'postgres' ? 'double precision' : 'real';
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('photo_words')
        .addColumn('image_id', 'bigint', (c) => c.primaryKey().references('images.id').onDelete('cascade'))
        .addColumn('title', 'text')
        .addColumn('description', 'text')
        .addColumn('keywords', 'text')
        .addColumn('people', 'text')
        .addColumn('sources', 'text', (c) => c.notNull())
        .addColumn('problem', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('photo_ocr')
        .addColumn('image_id', 'bigint', (c) => c.primaryKey().references('images.id').onDelete('cascade'))
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('lines', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('mean_score', realType)
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: AnyDb) {
      await db.schema.dropTable('photo_ocr').ifExists().execute();
      await db.schema.dropTable('photo_words').ifExists().execute();
    },
  };
}

export function textIndexMigration(dialect: DialectName): Migration {
  return dialect === 'postgres' ? postgresTextIndex() : sqliteTextIndex();
}

function createDocuments(db: AnyDb, dialect: DialectName) {
  let table = db.schema
    .createTable('text_documents')
    .addColumn('image_id', 'bigint', (c) => c.primaryKey().references('images.id').onDelete('cascade'));
  for (const field of TEXT_FIELDS) table = table.addColumn(field, 'text');
  if (dialect === 'postgres') {
    // Four weight classes in PostgreSQL: what a person wrote (A), their longer text (B), what is printed or in the
    // path (C), and a model's guess (D).
    const weight: Record<(typeof TEXT_FIELDS)[number], string> = {
      title: 'A', keywords: 'A', people: 'A', description: 'B', ocr: 'C', file_name: 'C', folder_name: 'C', caption: 'D',
    };
    const vector = TEXT_FIELDS.map((f) => `setweight(to_tsvector('english'::regconfig, coalesce(${f}, '')), '${weight[f]}')`).join(' || ');
    table = table.addColumn('document', sql`tsvector generated always as (${sql.raw(vector)}) stored`);
  }
  return table.execute();
}

/** Rows for photos catalogued before this migration. */
async function backfill(db: AnyDb, dialect: DialectName) {
  const { fileName, folderName } = pathWords(dialect, 'i');
  await sql
    .raw(
      `insert into text_documents (image_id, caption, file_name, folder_name)
       select i.id, i.caption, ${fileName}, ${folderName} from images i join folders f on f.id = i.folder_id`,
    )
    .execute(db);
}

function sqliteTextIndex(): Migration {
  const columns = TEXT_FIELDS.join(', ');
  const values = (row: string) => TEXT_FIELDS.map((f) => `${row}.${f}`).join(', ');
  const { fileName, folderName } = pathWords('sqlite', 'new');
  const wordsSet = `title = new.title, description = new.description, keywords = new.keywords, people = new.people`;
  const statements = [
    `create virtual table text_index using fts5(${columns}, content='text_documents', content_rowid='image_id',
       tokenize='porter unicode61 remove_diacritics 2', prefix='2 3')`,
    // Unstemmed words with their photo counts, for spelling and suggestions (detail=none: ids only, small).
    `create virtual table text_terms using fts5(${columns}, content='text_documents', content_rowid='image_id',
       tokenize='unicode61 remove_diacritics 2', detail=none)`,
    `create virtual table text_terms_vocab using fts5vocab(text_terms, 'row')`,
    `create trigger text_documents_ai after insert on text_documents begin
       insert into text_index (rowid, ${columns}) values (new.image_id, ${values('new')});
       insert into text_terms (rowid, ${columns}) values (new.image_id, ${values('new')});
     end`,
    `create trigger text_documents_ad after delete on text_documents begin
       insert into text_index (text_index, rowid, ${columns}) values ('delete', old.image_id, ${values('old')});
       insert into text_terms (text_terms, rowid, ${columns}) values ('delete', old.image_id, ${values('old')});
     end`,
    `create trigger text_documents_au after update on text_documents begin
       insert into text_index (text_index, rowid, ${columns}) values ('delete', old.image_id, ${values('old')});
       insert into text_terms (text_terms, rowid, ${columns}) values ('delete', old.image_id, ${values('old')});
       insert into text_index (rowid, ${columns}) values (new.image_id, ${values('new')});
       insert into text_terms (rowid, ${columns}) values (new.image_id, ${values('new')});
     end`,
    `create trigger images_text_ai after insert on images begin
       insert into text_documents (image_id, caption, file_name, folder_name)
       select new.id, new.caption, ${fileName}, ${folderName} from folders f where f.id = new.folder_id;
     end`,
    `create trigger images_text_au after update of path, folder_id, caption on images begin
       update text_documents set caption = new.caption,
         file_name = (select ${fileName} from folders f where f.id = new.folder_id),
         folder_name = (select ${folderName} from folders f where f.id = new.folder_id)
       where image_id = new.id;
     end`,
    `create trigger photo_words_ai after insert on photo_words begin
       update text_documents set ${wordsSet} where image_id = new.image_id;
     end`,
    `create trigger photo_words_au after update on photo_words begin
       update text_documents set ${wordsSet} where image_id = new.image_id;
     end`,
    `create trigger photo_words_ad after delete on photo_words begin
       update text_documents set title = null, description = null, keywords = null, people = null where image_id = old.image_id;
     end`,
    `create trigger photo_ocr_ai after insert on photo_ocr begin
       update text_documents set ocr = new.text where image_id = new.image_id;
     end`,
    `create trigger photo_ocr_au after update on photo_ocr begin
       update text_documents set ocr = new.text where image_id = new.image_id;
     end`,
    `create trigger photo_ocr_ad after delete on photo_ocr begin
       update text_documents set ocr = null where image_id = old.image_id;
     end`,
  ];
  return {
    async up(db: AnyDb) {
      await createDocuments(db, 'sqlite');
      for (const statement of statements) await sql.raw(statement).execute(db);
      await backfill(db, 'sqlite');
    },
    async down(db: AnyDb) {
      for (const trigger of ['images_text_ai', 'images_text_au', 'photo_words_ai', 'photo_words_au', 'photo_words_ad', 'photo_ocr_ai', 'photo_ocr_au', 'photo_ocr_ad']) {
        await sql.raw(`drop trigger if exists ${trigger}`).execute(db);
      }
      for (const table of ['text_terms_vocab', 'text_terms', 'text_index', 'text_documents']) await sql.raw(`drop table if exists ${table}`).execute(db);
    },
  };
}

function postgresTextIndex(): Migration {
  const { fileName, folderName } = pathWords('postgres', 'NEW');
  const statements = [
    `create index text_documents_document on text_documents using gin (document)`,
    `create function glimpse_text_from_image() returns trigger language plpgsql as $$
     begin
       insert into text_documents (image_id, caption, file_name, folder_name)
       select NEW.id, NEW.caption, ${fileName}, ${folderName} from folders f where f.id = NEW.folder_id
       on conflict (image_id) do update
         set caption = excluded.caption, file_name = excluded.file_name, folder_name = excluded.folder_name;
       return NEW;
     end $$`,
    `create trigger images_text after insert or update of path, folder_id, caption on images
       for each row execute function glimpse_text_from_image()`,
    // Deletes only update: a photo leaving the catalog takes its document with it (the foreign key cascades).
    `create function glimpse_text_from_words() returns trigger language plpgsql as $$
     begin
       if TG_OP = 'DELETE' then
         update text_documents set title = null, description = null, keywords = null, people = null where image_id = OLD.image_id;
         return OLD;
       end if;
       update text_documents set title = NEW.title, description = NEW.description, keywords = NEW.keywords, people = NEW.people
         where image_id = NEW.image_id;
       return NEW;
     end $$`,
    `create trigger photo_words_text after insert or update or delete on photo_words
       for each row execute function glimpse_text_from_words()`,
    `create function glimpse_text_from_ocr() returns trigger language plpgsql as $$
     begin
       if TG_OP = 'DELETE' then
         update text_documents set ocr = null where image_id = OLD.image_id;
         return OLD;
       end if;
       update text_documents set ocr = NEW.text where image_id = NEW.image_id;
       return NEW;
     end $$`,
    `create trigger photo_ocr_text after insert or update or delete on photo_ocr
       for each row execute function glimpse_text_from_ocr()`,
  ];
  return {
    async up(db: AnyDb) {
      await createDocuments(db, 'postgres');
      for (const statement of statements) await sql.raw(statement).execute(db);
      await backfill(db, 'postgres');
    },
    async down(db: AnyDb) {
      await sql.raw(`drop trigger if exists images_text on images`).execute(db);
      await sql.raw(`drop trigger if exists photo_words_text on photo_words`).execute(db);
      await sql.raw(`drop trigger if exists photo_ocr_text on photo_ocr`).execute(db);
      await sql.raw(`drop table if exists text_documents`).execute(db);
      for (const fn of ['glimpse_text_from_image', 'glimpse_text_from_words', 'glimpse_text_from_ocr']) {
        await sql.raw(`drop function if exists ${fn}()`).execute(db);
      }
    },
  };
}
