// Recently deleted: what a removal took out of the library, kept for 30 days so it can be put back (an Undo, or the
// Recently deleted view). Its own table beside the catalog's, so the photo tables stay free of soft-delete flags.
import type { Generated, Kysely, Selectable } from 'kysely';
import type { CatalogSchema } from './schema';

export const RESTORABLE_DAYS = 30;

export interface DeletedPhotosTable {
  id: Generated<number>;
  photo_id: number;
  folder_id: number;
  path: string;
  hash: string;
  /** JSON array of the byte-identical copies' paths, remembered as removed together with the photo. */
  copy_paths: string;
  taken_at: string | null;
  width: number | null;
  height: number | null;
  in_trash: number;
  deleted_at: string;
}

export type DeletedPhotoRow = Selectable<DeletedPhotosTable>;
export type NewDeletedPhoto = Omit<DeletedPhotoRow, 'id'>;

type Db = Kysely<CatalogSchema & { deleted_photos: DeletedPhotosTable }>;

export function expiryOf(deletedAt: string): Date {
  return new Date(new Date(deletedAt).getTime() + RESTORABLE_DAYS * 24 * 3600 * 1000);
}

export class DeletedPhotos {
  private readonly db: Db;

  constructor(db: Kysely<CatalogSchema>) {
    this.db = db.withTables<{ deleted_photos: DeletedPhotosTable }>();
  }

  async record(rows: NewDeletedPhoto[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.insertInto('deleted_photos').values(rows).execute();
  }

  /** Newest removal first; entries past their 30 days are dropped and returned separately so their files can go. */
  async list(now = new Date()): Promise<{ kept: DeletedPhotoRow[]; expired: DeletedPhotoRow[] }> {
    const rows = await this.db.selectFrom('deleted_photos').selectAll().orderBy('deleted_at', 'desc').orderBy('id', 'desc').execute();
    const expired = rows.filter((row) => expiryOf(row.deleted_at) <= now);
    if (expired.length) await this.remove(expired.map((row) => row.id));
    return { kept: rows.filter((row) => expiryOf(row.deleted_at) > now), expired };
  }

  async get(ids: number[]): Promise<DeletedPhotoRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('deleted_photos').selectAll().where('id', 'in', ids).execute();
  }

  async remove(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.deleteFrom('deleted_photos').where('id', 'in', ids).execute();
  }
}
