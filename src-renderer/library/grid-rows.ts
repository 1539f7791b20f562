// Turns the catalog's day counts into the rows the virtual grid draws: a month header when the month changes, a
// header per day, rows of tile positions, and small days packed side by side in one row — all known before a single
// photo is fetched, so the layout never shifts while pages load and a jump lands where it was aimed.
import type { GalleryDay, PhotoSummary } from '../../src-preload/api';

export interface DaySegment {
  day: string;
  label: string;
  count: number;
  /** Positions [start, end) in display order. */
  start: number;
  end: number;
}

export type GridRow =
  | { kind: 'month'; key: string; label: string; month: string }
  | { kind: 'header'; key: string; label: string; count: number; day: string; start: number }
  /** `justified`: the row's height and each tile's width, in the justified layout (justified-rows.ts). */
  | { kind: 'tiles'; key: string; start: number; end: number; justified?: { height: number; widths: number[] } }
  /** `justified`: the row's tile height and each segment's tile widths, in the justified layout. */
  | { kind: 'packed'; key: string; segments: DaySegment[]; justified?: { height: number; widths: number[][] } };

/** The local calendar day a photo belongs to: when it was taken, else when it was added (the engine's rule too). */
export function photoDay(photo: PhotoSummary): string {
  const date = new Date(photo.takenAt ?? photo.addedAt);
  if (Number.isNaN(date.getTime())) return 'unknown';
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'long', year: 'numeric' });
const shortDayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });

function dateOf(day: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date);
}

export function dayLabel(day: string): string {
  return day === 'unknown' ? 'Date unknown' : dayFormat.format(dateOf(day));
}

export function shortDayLabel(day: string): string {
  return day === 'unknown' ? 'Date unknown' : shortDayFormat.format(dateOf(day));
}

export function monthLabel(day: string): string {
  return day === 'unknown' ? 'Date unknown' : monthFormat.format(dateOf(day));
}

function monthOf(day: string): string {
  return day === 'unknown' ? day : day.slice(0, 7);
}

export function buildGridRows(days: GalleryDay[], columns: number): GridRow[] {
  const cols = Math.max(1, columns);
  const rows: GridRow[] = [];
  let position = 0;
  let month: string | null = null;
  let packed: DaySegment[] = [];
  let packedTiles = 0;
  const flush = () => {
    if (packed.length === 1) {
      const [only] = packed;
      rows.push({ kind: 'header', key: `h-${only.day}-${only.start}`, label: dayLabel(only.day), count: only.count, day: only.day, start: only.start });
      rows.push({ kind: 'tiles', key: `t-${only.start}`, start: only.start, end: only.end });
    } else if (packed.length > 1) {
      rows.push({ kind: 'packed', key: `k-${packed[0].start}`, segments: packed });
    }
    packed = [];
    packedTiles = 0;
  };
  for (const { day, count } of days) {
    if (count <= 0) continue;
    if (monthOf(day) !== month) {
      flush();
      month = monthOf(day);
      rows.push({ kind: 'month', key: `m-${month}-${position}`, label: monthLabel(day), month });
    }
    const start = position;
    position += count;
    // A day smaller than a row shares it with its neighbours, each under its own header.
    if (count < cols) {
      if (packedTiles + count > cols) flush();
      packedTiles += count;
      packed.push({ day, label: shortDayLabel(day), count, start, end: position });
      continue;
    }
    flush();
    rows.push({ kind: 'header', key: `h-${day}-${start}`, label: dayLabel(day), count, day, start });
    for (let i = start; i < position; i += cols) rows.push({ kind: 'tiles', key: `t-${i}`, start: i, end: Math.min(i + cols, position) });
  }
  flush();
  return rows;
}

/** The first and last photo positions a set of rows shows (for fetching their pages); null for rows of headers only. */
export function positionsOf(rows: GridRow[]): [number, number] | null {
  let from = Infinity;
  let to = -Infinity;
  for (const row of rows) {
    if (row.kind === 'tiles') {
      from = Math.min(from, row.start);
      to = Math.max(to, row.end - 1);
    } else if (row.kind === 'packed') {
      from = Math.min(from, row.segments[0].start);
      to = Math.max(to, row.segments[row.segments.length - 1].end - 1);
    }
  }
  return Number.isFinite(from) ? [from, to] : null;
}

/** The row index holding a photo position, for keyboard moves and jumps. */
export function rowOfPosition(rows: GridRow[], position: number): number {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row.kind === 'tiles' && position >= row.start && position < row.end) return i;
    if (row.kind === 'packed' && position >= row.segments[0].start && position < row.segments[row.segments.length - 1].end) return i;
  }
  return -1;
}
