// Migration 0085: the names people gave to faces reach the text index's `people` field beside the names tagged in
// the photo's metadata, by SQL triggers on faces and people, so every rename, merge, split, rejection, hiding or
// forgetting of faces keeps deep search (and the spelling and suggestion vocabulary it feeds) in step by itself.
import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from './schema';

type AnyDb = Kysely<unknown>;

/**
 * SQLite: the `people` text of the photo `image` — names tagged in its metadata, then the names of the visible
 * named people whose faces are in it, one a line (as photo_words stores them).
 */
function sqlitePeopleText(image: string): string {
  const faceNames = `(select group_concat(name, char(10)) from (select distinct p.name as name from faces f join people p on p.id = f.person_id
      where f.image_id = ${image} and p.name is not null and p.hidden = 0 order by p.name))`;
  const tagged = `(select pw.people from photo_words pw where pw.image_id = ${image})`;
  return `nullif(trim(coalesce(${tagged}, '') || char(10) || coalesce(${faceNames}, ''), char(10)), '')`;
}

/** SQLite: refresh the people text of the documents `where` selects, writing only those that change. */
function sqliteRefresh(where: string): string {
  const text = sqlitePeopleText('text_documents.image_id');
  return `update text_documents set people = ${text} where (${where}) and people is not ${text};`;
}

function sqliteMigration(): Migration {
  const wordsSet = (row: string) => `title = ${row}.title, description = ${row}.description, keywords = ${row}.keywords, people = ${sqlitePeopleText(`${row}.image_id`)}`;
  const statements = [
    `drop trigger photo_words_ai`,
    `drop trigger photo_words_au`,
    `drop trigger photo_words_ad`,
    `create trigger photo_words_ai after insert on photo_words begin
       update text_documents set ${wordsSet('new')} where image_id = new.image_id;
     end`,
    `create trigger photo_words_au after update on photo_words begin
       update text_documents set ${wordsSet('new')} where image_id = new.image_id;
     end`,
    `create trigger photo_words_ad after delete on photo_words begin
       update text_documents set title = null, description = null, keywords = null, people = ${sqlitePeopleText('old.image_id')}
       where image_id = old.image_id;
     end`,
    `create trigger faces_text_ai after insert on faces when new.person_id is not null begin
       ${sqliteRefresh('text_documents.image_id = new.image_id')}
     end`,
    // Clustering moves unnamed faces all the time: those change no text, so nothing is rewritten for them.
    `create trigger faces_text_au after update of person_id, image_id on faces
       when old.person_id is not new.person_id or old.image_id is not new.image_id begin
       ${sqliteRefresh('text_documents.image_id in (old.image_id, new.image_id)')}
     end`,
    `create trigger faces_text_ad after delete on faces when old.person_id is not null begin
       ${sqliteRefresh('text_documents.image_id = old.image_id')}
     end`,
    `create trigger people_text_au after update of name, hidden on people
       when old.name is not new.name or old.hidden is not new.hidden begin
       ${sqliteRefresh('text_documents.image_id in (select image_id from faces where person_id = new.id)')}
     end`,
  ];
  const restore = [
    'drop trigger if exists faces_text_ai',
    'drop trigger if exists faces_text_au',
    'drop trigger if exists faces_text_ad',
    'drop trigger if exists people_text_au',
    'drop trigger photo_words_ai',
    'drop trigger photo_words_au',
    'drop trigger photo_words_ad',
    `create trigger photo_words_ai after insert on photo_words begin
       update text_documents set title = new.title, description = new.description, keywords = new.keywords, people = new.people where image_id = new.image_id;
     end`,
    `create trigger photo_words_au after update on photo_words begin
       update text_documents set title = new.title, description = new.description, keywords = new.keywords, people = new.people where image_id = new.image_id;
     end`,
    `create trigger photo_words_ad after delete on photo_words begin
       update text_documents set title = null, description = null, keywords = null, people = null where image_id = old.image_id;
     end`,
  ];
  return {
    async up(db: AnyDb) {
      for (const statement of statements) await sql.raw(statement).execute(db);
      await sql.raw(sqliteRefresh('text_documents.image_id in (select image_id from faces where person_id is not null)')).execute(db);
    },
    async down(db: AnyDb) {
      for (const statement of restore) await sql.raw(statement).execute(db);
    },
  };
}

function postgresMigration(): Migration {
  const statements = [
    `create function glimpse_people_text(image bigint) returns text language sql stable as $$
       select nullif(btrim(concat_ws(chr(10),
         (select pw.people from photo_words pw where pw.image_id = $1),
         (select string_agg(distinct p.name, chr(10) order by p.name) from faces f join people p on p.id = f.person_id
           where f.image_id = $1 and p.name is not null and p.hidden = 0)), chr(10)), '')
     $$`,
    `create function glimpse_refresh_people_text(image bigint) returns void language sql as $$
       update text_documents set people = glimpse_people_text($1) where image_id = $1 and people is distinct from glimpse_people_text($1)
     $$`,
    `create or replace function glimpse_text_from_words() returns trigger language plpgsql as $$
     begin
       if TG_OP = 'DELETE' then
         update text_documents set title = null, description = null, keywords = null, people = glimpse_people_text(OLD.image_id)
           where image_id = OLD.image_id;
         return OLD;
       end if;
       update text_documents set title = NEW.title, description = NEW.description, keywords = NEW.keywords, people = glimpse_people_text(NEW.image_id)
         where image_id = NEW.image_id;
       return NEW;
     end $$`,
    `create function glimpse_text_from_faces() returns trigger language plpgsql as $$
     begin
       if TG_OP <> 'INSERT' and OLD.person_id is not null then perform glimpse_refresh_people_text(OLD.image_id); end if;
       if TG_OP <> 'DELETE' and NEW.person_id is not null and (TG_OP = 'INSERT' or NEW.image_id <> OLD.image_id or OLD.person_id is null) then
         perform glimpse_refresh_people_text(NEW.image_id);
       end if;
       return null;
     end $$`,
    `create trigger faces_text_added after insert or delete on faces for each row execute function glimpse_text_from_faces()`,
    // Clustering moves unnamed faces all the time: those change no text, so nothing is rewritten for them.
    `create trigger faces_text_moved after update of person_id, image_id on faces for each row
       when (OLD.person_id is distinct from NEW.person_id or OLD.image_id is distinct from NEW.image_id)
       execute function glimpse_text_from_faces()`,
    `create function glimpse_text_from_people() returns trigger language plpgsql as $$
     begin
       update text_documents set people = glimpse_people_text(image_id)
         where image_id in (select image_id from faces where person_id = NEW.id) and people is distinct from glimpse_people_text(image_id);
       return null;
     end $$`,
    `create trigger people_text after update of name, hidden on people for each row
       when (OLD.name is distinct from NEW.name or OLD.hidden is distinct from NEW.hidden)
       execute function glimpse_text_from_people()`,
  ];
  return {
    async up(db: AnyDb) {
      for (const statement of statements) await sql.raw(statement).execute(db);
      await sql
        .raw(
          `update text_documents set people = glimpse_people_text(image_id)
           where image_id in (select image_id from faces where person_id is not null) and people is distinct from glimpse_people_text(image_id)`,
        )
        .execute(db);
    },
    async down(db: AnyDb) {
      await sql.raw('drop trigger if exists people_text on people').execute(db);
      await sql.raw('drop trigger if exists faces_text_moved on faces').execute(db);
      await sql.raw('drop trigger if exists faces_text_added on faces').execute(db);
      for (const fn of ['glimpse_text_from_people()', 'glimpse_text_from_faces()', 'glimpse_refresh_people_text(bigint)']) {
        await sql.raw(`drop function if exists ${fn}`).execute(db);
      }
      await sql
        .raw(
          `create or replace function glimpse_text_from_words() returns trigger language plpgsql as $$
           begin
             if TG_OP = 'DELETE' then
               update text_documents set title = null, description = null, keywords = null, people = null where image_id = OLD.image_id;
               return OLD;
             end if;
             update text_documents set title = NEW.title, description = NEW.description, keywords = NEW.keywords, people = NEW.people
               where image_id = NEW.image_id;
             return NEW;
           end $$`,
        )
        .execute(db);
      await sql.raw('drop function if exists glimpse_people_text(bigint)').execute(db);
    },
  };
}

export function peopleNamesTextMigration(dialect: DialectName): Migration {
  return dialect === 'postgres' ? postgresMigration() : sqliteMigration();
}
