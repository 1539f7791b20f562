// The justified timeline (as in Google Photos and Flickr): each day's photos in rows at their own aspect ratio, every
// full row scaled to fill the width exactly, the last row of a day at the target height. Greedy row breaking that
// keeps whichever break lands nearer the target height — the rule Flickr's justified-layout uses — in a few lines.
import type { GalleryDay, PhotoSummary, QuarterTurns } from '../../src-preload/api';
import { dayLabel, monthLabel, shortDayLabel, type DaySegment, type GridRow } from './grid-rows';

/** A photo whose shape nobody knows yet (the engine has not read it) is laid out at 3:2, the commonest camera shape. */
export const UNKNOWN_ASPECT = 1.5;
/** Panoramas and slivers are drawn no more extreme than this, so one photo cannot take a row's whole height or width. */
const MIN_ASPECT = 0.4;
const MAX_ASPECT = 4;

function bounded(aspect: number): number {
  return Math.min(MAX_ASPECT, Math.max(MIN_ASPECT, aspect));
}

/**
 * A photo's shape as shown: a quarter turn either way lays it on its side. Rounded to three places as the engine
 * rounds the shapes it sends with the days, so a photo measures the same before and after its page arrives.
 */
export function aspectOf(photo: PhotoSummary | undefined, turns: QuarterTurns = 0): number {
  if (!photo?.width || !photo.height) return UNKNOWN_ASPECT;
  return bounded(Math.round((turns % 2 === 1 ? photo.height / photo.width : photo.width / photo.height) * 1000) / 1000);
}

/**
 * The shape of the photo at a position: from its page once loaded (with the turn the window knows), before that from
 * the day's list the engine sent with the days, so rows far off screen do not move when their page arrives.
 */
function aspectAt(slot: PhotoSummary | undefined, dayAspect: number | undefined, turns: Readonly<Record<number, QuarterTurns>>): number {
  if (slot) return aspectOf(slot, turns[slot.id] ?? 0);
  return dayAspect ? bounded(dayAspect) : UNKNOWN_ASPECT;
}

export interface JustifiedRow {
  start: number;
  end: number;
  height: number;
  widths: number[];
}

/** Rows for one run of photos with these aspect ratios, `width` wide with `gap` between tiles. */
export function justifyRun(aspects: number[], start: number, width: number, targetHeight: number, gap: number): JustifiedRow[] {
  const rows: JustifiedRow[] = [];
  let first = 0;
  while (first < aspects.length) {
    let sum = 0;
    let last = first;
    let full = false;
    for (; last < aspects.length; last++) {
      sum += aspects[last];
      const height = (width - gap * (last - first)) / sum;
      if (height <= targetHeight) {
        full = true;
        // Without this photo the row would stand taller than the target: keep the break nearer to it.
        const without = sum - aspects[last];
        const heightWithout = without > 0 ? (width - gap * (last - first - 1)) / without : Infinity;
        if (last > first && heightWithout - targetHeight < targetHeight - height) {
          sum = without;
          last--;
        }
        break;
      }
    }
    if (last === aspects.length) last--;
    const count = last - first + 1;
    const height = full ? (width - gap * (count - 1)) / sum : targetHeight;
    const widths = aspects.slice(first, last + 1).map((aspect) => Math.floor(aspect * height));
    // Rounding down leaves a few pixels: the last tile takes them, so a full row ends exactly at the edge.
    if (full) widths[count - 1] += Math.floor(width - gap * (count - 1) - widths.reduce((n, w) => n + w, 0));
    rows.push({ start: start + first, end: start + last + 1, height: Math.round(height), widths });
    first = last + 1;
  }
  return rows;
}

/**
 * The timeline's rows in justified layout: month headers, a header per day, then that day's justified rows; days too
 * small to fill a row share one, side by side under their own headers, as in the square grid.
 */
export function buildJustifiedRows(
  days: GalleryDay[],
  slots: (PhotoSummary | undefined)[],
  width: number,
  targetHeight: number,
  gap: number,
  turns: Readonly<Record<number, QuarterTurns>> = {},
): GridRow[] {
  const rowWidth = Math.max(1, width);
  const rows: GridRow[] = [];
  let position = 0;
  let month: string | null = null;
  let packed: Array<{ segment: DaySegment; widths: number[] }> = [];
  let packedWidth = 0;
  const flush = () => {
    if (packed.length === 1) {
      const [{ segment, widths }] = packed;
      rows.push({ kind: 'header', key: `h-${segment.day}-${segment.start}`, label: dayLabel(segment.day), count: segment.count, day: segment.day, start: segment.start });
      rows.push({ kind: 'tiles', key: `j-${segment.start}`, start: segment.start, end: segment.end, justified: { height: targetHeight, widths } });
    } else if (packed.length > 1) {
      rows.push({ kind: 'packed', key: `k-${packed[0].segment.start}`, segments: packed.map((p) => p.segment), justified: { height: targetHeight, widths: packed.map((p) => p.widths) } });
    }
    packed = [];
    packedWidth = 0;
  };
  for (const { day, count, aspects: dayAspects } of days) {
    if (count <= 0) continue;
    const dayMonth = day === 'unknown' ? day : day.slice(0, 7);
    if (dayMonth !== month) {
      flush();
      month = dayMonth;
      rows.push({ kind: 'month', key: `m-${month}-${position}`, label: monthLabel(day), month });
    }
    const start = position;
    position += count;
    const aspects = Array.from({ length: count }, (_, i) => aspectAt(slots[start + i], dayAspects?.[i], turns));
    const widths = aspects.map((aspect) => Math.floor(aspect * targetHeight));
    const dayWidth = widths.reduce((n, w) => n + w, 0) + gap * (count - 1);
    // A day narrower than a row at the target height shares it with its neighbours.
    if (dayWidth < rowWidth) {
      if (packed.length && packedWidth + gap + dayWidth > rowWidth) flush();
      packedWidth += (packed.length ? gap : 0) + dayWidth;
      packed.push({ segment: { day, label: shortDayLabel(day), count, start, end: position }, widths });
      continue;
    }
    flush();
    rows.push({ kind: 'header', key: `h-${day}-${start}`, label: dayLabel(day), count, day, start });
    for (const row of justifyRun(aspects, start, rowWidth, targetHeight, gap)) {
      rows.push({ kind: 'tiles', key: `j-${row.start}`, start: row.start, end: row.end, justified: { height: row.height, widths: row.widths } });
    }
  }
  flush();
  return rows;
}
