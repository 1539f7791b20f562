// Migration 0086: a queue of photos whose filter fields (folder, date, people) changed since their vector points were
// last written, filled by SQL triggers so every move, re-read date, clustering run and person decision is caught
// without each of those code paths remembering a vector server that filters by payload (Qdrant).
import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from './schema';

type AnyDb = Kysely<unknown>;

const TABLE = `create table vector_payload_pending (image_id bigint primary key, seq integer not null default 1)`;

function sqliteMigration(): Migration {
  const pending = (image: string) =>
    `insert into vector_payload_pending (image_id) values (${image})
       on conflict (image_id) do update set seq = vector_payload_pending.seq + 1;`;
  const statements = [
    TABLE,
    `create trigger images_payload_au after update of folder_id, taken_at on images
       when old.folder_id is not new.folder_id or old.taken_at is not new.taken_at begin
       ${pending('new.id')}
     end`,
    `create trigger faces_payload_ai after insert on faces when new.person_id is not null begin
       ${pending('new.image_id')}
     end`,
    `create trigger faces_payload_au after update of person_id, image_id on faces
       when old.person_id is not new.person_id or old.image_id is not new.image_id begin
       ${pending('old.image_id')}
       ${pending('new.image_id')}
     end`,
    `create trigger faces_payload_ad after delete on faces when old.person_id is not null begin
       ${pending('old.image_id')}
     end`,
  ];
  return {
    async up(db: AnyDb) {
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
    async down(db: AnyDb) {
      for (const trigger of ['images_payload_au', 'faces_payload_ai', 'faces_payload_au', 'faces_payload_ad']) {
        await sql.raw(`drop trigger if exists ${trigger}`).execute(db);
      }
      await sql.raw('drop table if exists vector_payload_pending').execute(db);
    },
  };
}

function postgresMigration(): Migration {
  const statements = [
    TABLE,
    `create function glimpse_payload_pending(image bigint) returns void language sql as $$
       insert into vector_payload_pending (image_id) values ($1)
       on conflict (image_id) do update set seq = vector_payload_pending.seq + 1
     $$`,
    `create function glimpse_payload_from_images() returns trigger language plpgsql as $$
     begin
       perform glimpse_payload_pending(NEW.id);
       return null;
     end $$`,
    `create trigger images_payload after update of folder_id, taken_at on images for each row
       when (OLD.folder_id is distinct from NEW.folder_id or OLD.taken_at is distinct from NEW.taken_at)
       execute function glimpse_payload_from_images()`,
    `create function glimpse_payload_from_faces() returns trigger language plpgsql as $$
     begin
       if TG_OP <> 'INSERT' and OLD.person_id is not null then perform glimpse_payload_pending(OLD.image_id); end if;
       if TG_OP <> 'DELETE' and NEW.person_id is not null then perform glimpse_payload_pending(NEW.image_id); end if;
       return null;
     end $$`,
    `create trigger faces_payload_added after insert or delete on faces for each row execute function glimpse_payload_from_faces()`,
    `create trigger faces_payload_moved after update of person_id, image_id on faces for each row
       when (OLD.person_id is distinct from NEW.person_id or OLD.image_id is distinct from NEW.image_id)
       execute function glimpse_payload_from_faces()`,
  ];
  return {
    async up(db: AnyDb) {
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
    async down(db: AnyDb) {
      await sql.raw('drop trigger if exists faces_payload_moved on faces').execute(db);
      await sql.raw('drop trigger if exists faces_payload_added on faces').execute(db);
      await sql.raw('drop trigger if exists images_payload on images').execute(db);
      for (const fn of ['glimpse_payload_from_faces()', 'glimpse_payload_from_images()', 'glimpse_payload_pending(bigint)']) {
        await sql.raw(`drop function if exists ${fn}`).execute(db);
      }
      await sql.raw('drop table if exists vector_payload_pending').execute(db);
    },
  };
}

export function vectorPayloadsMigration(dialect: DialectName): Migration {
  return dialect === 'postgres' ? postgresMigration() : sqliteMigration();
}
