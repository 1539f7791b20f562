// How a person turned a photo (quarter turns clockwise), kept by content hash like favourites so a rename, a move, a
// re-index or a restore keeps it — a decision stored in the catalog; the photo's file is never rewritten.
import { sql, type Kysely } from 'kysely';
import type { PhotoRotation, QuarterTurns } from '../../src-preload/api';
import type { CatalogSchema } from './schema';

export interface PhotoRotationsTable {
  hash: string;
  /** 1, 2 or 3 quarter turns clockwise (0 is never stored: an upright photo has no row). */
  quarter_turns: number;
  updated_at: string;
}

type Db = Kysely<CatalogSchema & { photo_rotations: PhotoRotationsTable }>;

export function asQuarterTurns(value: number): QuarterTurns {
  return ((((Math.round(value) % 4) + 4) % 4) as QuarterTurns);
}

export class PhotoRotations {
  private readonly db: Db;

  constructor(db: Kysely<CatalogSchema>) {
    this.db = db.withTables<{ photo_rotations: PhotoRotationsTable }>();
  }

  async of(hash: string): Promise<QuarterTurns> {
    const row = await this.db.selectFrom('photo_rotations').select('quarter_turns').where('hash', '=', hash).executeTakeFirst();
    return asQuarterTurns(row?.quarter_turns ?? 0);
  }

  /** The turns of the given photos (by photo id); upright photos are absent. */
  async ofImages(imageIds: number[]): Promise<Map<number, QuarterTurns>> {
    const out = new Map<number, QuarterTurns>();
    const ids = [...new Set(imageIds)];
    // Chunked so a People list of thousands of covers stays under SQLite's bound-parameter limit.
    for (let start = 0; start < ids.length; start += 500) {
      const rows = await this.db
        .selectFrom('images')
        .innerJoin('photo_rotations', 'photo_rotations.hash', 'images.hash')
        .select(['images.id as id', 'photo_rotations.quarter_turns as turns'])
        .where('images.id', 'in', ids.slice(start, start + 500))
        .execute();
      for (const row of rows) if (asQuarterTurns(row.turns) !== 0) out.set(Number(row.id), asQuarterTurns(row.turns));
    }
    return out;
  }

  /** Sets the rotation to `to`, or turns it `by` quarter turns from where it is, in one statement per photo. */
  async change(hash: string, change: { to: QuarterTurns } | { by: number }): Promise<QuarterTurns> {
    const updatedAt = new Date().toISOString();
    const start = 'to' in change ? change.to : asQuarterTurns(change.by);
    // The relative turn is computed in SQL so two windows turning the same photo at once both count.
    const next = 'to' in change ? sql<number>`${change.to}` : sql<number>`(photo_rotations.quarter_turns + ${asQuarterTurns(change.by)}) % 4`;
    await this.db
      .insertInto('photo_rotations')
      .values({ hash, quarter_turns: start, updated_at: updatedAt })
      .onConflict((oc) => oc.column('hash').doUpdateSet({ quarter_turns: next, updated_at: updatedAt }))
      .execute();
    const turns = await this.of(hash);
    if (turns === 0) await this.db.deleteFrom('photo_rotations').where('hash', '=', hash).where('quarter_turns', '=', 0).execute();
    return turns;
  }

  /** Every turned photo of the library, by photo id (the window asks once and marks their image addresses). */
  async turnedPhotos(): Promise<PhotoRotation[]> {
    const rows = await this.db
      .selectFrom('images')
      .innerJoin('photo_rotations', 'photo_rotations.hash', 'images.hash')
      .select(['images.id as id', 'photo_rotations.quarter_turns as turns'])
      .where('photo_rotations.quarter_turns', '!=', 0)
      .orderBy('images.id')
      .execute();
    return rows.map((row) => ({ id: Number(row.id), rotation: asQuarterTurns(row.turns) }));
  }
}
