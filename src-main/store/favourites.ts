// Favourites (♥): the person's own marks, kept by content hash so that a rename, a move or a re-index keeps them —
// a decision, never recomputed. Its own table, read beside the catalog's photos.
import { sql, type Kysely } from 'kysely';
import type { CatalogSchema, ImageRow } from './schema';

export interface FavouritesTable {
  hash: string;
  added_at: string;
}

type Db = Kysely<CatalogSchema & { favourites: FavouritesTable }>;

export class Favourites {
  private readonly db: Db;

  constructor(db: Kysely<CatalogSchema>) {
    this.db = db.withTables<{ favourites: FavouritesTable }>();
  }

  async mark(hashes: string[], favourite: boolean): Promise<void> {
    if (hashes.length === 0) return;
    if (!favourite) {
      await this.db.deleteFrom('favourites').where('hash', 'in', hashes).execute();
      return;
    }
    const now = new Date().toISOString();
    await this.db
      .insertInto('favourites')
      .values(hashes.map((hash) => ({ hash, added_at: now })))
      .onConflict((oc) => oc.column('hash').doNothing())
      .execute();
  }

  async has(hash: string): Promise<boolean> {
    return (await this.db.selectFrom('favourites').select('hash').where('hash', '=', hash).executeTakeFirst()) !== undefined;
  }

  /** The library's favourite photos, newest first by date taken (as the timeline orders them). */
  async photos(): Promise<ImageRow[]> {
    return this.db
      .selectFrom('images')
      .innerJoin('favourites', 'favourites.hash', 'images.hash')
      .selectAll('images')
      .where('images.status', '!=', 'failed')
      .orderBy(sql`coalesce(images.taken_at, images.added_at)`, 'desc')
      .orderBy('images.id', 'desc')
      .execute();
  }
}
