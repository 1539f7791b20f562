// The timeline's day counts, straight from the catalog: a day's header says how many photos it has even before
// they are all loaded, and the grid can lay out every day (and jump to any) from the first answer.
import { sql, type Kysely } from 'kysely';
import type { GalleryDay } from '../../src-preload/api';
import type { CatalogSchema } from './schema';

/** The local calendar day of a stored date, the same rule the window groups its grid by. */
export function localDay(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'unknown';
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

/** Consecutive runs of one day in gallery order (sort 'taken'), so each count lines up with the pages. */
export async function galleryDays(db: Kysely<CatalogSchema>, options: { folderId?: number; order: 'desc' | 'asc' }): Promise<GalleryDay[]> {
  let query = db.selectFrom('images').select(sql<string>`coalesce(taken_at, added_at)`.as('at')).where('status', '!=', 'failed');
  if (options.folderId !== undefined) query = query.where('folder_id', '=', options.folderId);
  const rows = await query.orderBy(sql`coalesce(taken_at, added_at)`, options.order).orderBy('id', options.order).execute();
  const days: GalleryDay[] = [];
  for (const row of rows) {
    const day = localDay(row.at);
    const last = days[days.length - 1];
    if (last?.day === day) last.count++;
    else days.push({ day, count: 1 });
  }
  return days;
}
