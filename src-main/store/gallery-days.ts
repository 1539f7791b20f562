// The timeline's day counts, straight from the catalog: a day's header says how many photos it has even before
// they are all loaded, and the grid can lay out every day (and jump to any) from the first answer.
import { sql, type Kysely } from 'kysely';
import type { GalleryDay } from '../../src-preload/api';
import type { PhotoRotationsTable } from './photo-rotations';
import type { CatalogSchema } from './schema';

/** The local calendar day of a stored date, the same rule the window groups its grid by. */
export function localDay(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'unknown';
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

/** Width over height as shown, to three places (plenty for a row of tiles, and short on the wire); 0 when unknown. */
export function shownAspect(width: number | null, height: number | null, quarterTurns: number | null): number {
  if (!width || !height) return 0;
  const aspect = (quarterTurns ?? 0) % 2 === 1 ? height / width : width / height;
  return Math.round(aspect * 1000) / 1000;
}

/**
 * Consecutive runs of one day in gallery order (sort 'taken'), so each count lines up with the pages; with `aspects`,
 * each photo's shown shape too, read in the same pass over the same rows.
 */
export async function galleryDays(db: Kysely<CatalogSchema>, options: { folderId?: number; order: 'desc' | 'asc'; aspects?: boolean }): Promise<GalleryDay[]> {
  let query = db
    .withTables<{ photo_rotations: PhotoRotationsTable }>()
    .selectFrom('images')
    .leftJoin('photo_rotations', 'photo_rotations.hash', 'images.hash')
    .select([sql<string>`coalesce(images.taken_at, images.added_at)`.as('at'), 'images.width as width', 'images.height as height', 'photo_rotations.quarter_turns as turns'])
    .where('images.status', '!=', 'failed');
  if (options.folderId !== undefined) query = query.where('images.folder_id', '=', options.folderId);
  const rows = await query.orderBy(sql`coalesce(images.taken_at, images.added_at)`, options.order).orderBy('images.id', options.order).execute();
  const days: GalleryDay[] = [];
  for (const row of rows) {
    const day = localDay(row.at);
    let last = days[days.length - 1];
    if (last?.day === day) last.count++;
    else days.push((last = options.aspects ? { day, count: 1, aspects: [] } : { day, count: 1 }));
    last.aspects?.push(shownAspect(row.width, row.height, row.turns));
  }
  return days;
}
