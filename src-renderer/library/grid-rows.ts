// Turns the photos loaded so far into the rows the virtual grid draws: a header for each day, then rows of tiles,
// then placeholder rows for the photos not fetched yet, so the scrollbar is right at 100k photos from the start.
import type { PhotoSummary } from '../../src-preload/api';

export type GridRow =
  | { kind: 'header'; key: string; label: string; count: number }
  | { kind: 'photos'; key: string; photos: PhotoSummary[]; firstIndex: number }
  | { kind: 'placeholder'; key: string; tiles: number };

/** The local calendar day a photo belongs to: when it was taken, else when it was added. */
export function photoDay(photo: PhotoSummary): string {
  const date = new Date(photo.takenAt ?? photo.addedAt);
  if (Number.isNaN(date.getTime())) return 'unknown';
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'long', year: 'numeric' });

export function dayLabel(day: string): string {
  if (day === 'unknown') return 'Date unknown';
  const [year, month, date] = day.split('-').map(Number);
  return dayFormat.format(new Date(year, month - 1, date));
}

export function buildGridRows(photos: PhotoSummary[], columns: number, total: number): GridRow[] {
  const cols = Math.max(1, columns);
  const rows: GridRow[] = [];
  let start = 0;
  while (start < photos.length) {
    const day = photoDay(photos[start]);
    let end = start + 1;
    while (end < photos.length && photoDay(photos[end]) === day) end++;
    rows.push({ kind: 'header', key: `h-${day}-${start}`, label: dayLabel(day), count: end - start });
    for (let i = start; i < end; i += cols) {
      rows.push({ kind: 'photos', key: `p-${photos[i].id}`, photos: photos.slice(i, Math.min(i + cols, end)), firstIndex: i });
    }
    start = end;
  }
  const missing = Math.max(0, total - photos.length);
  for (let i = 0; i < missing; i += cols) {
    rows.push({ kind: 'placeholder', key: `x-${photos.length + i}`, tiles: Math.min(cols, missing - i) });
  }
  return rows;
}
