// The arithmetic of a rubber-band selection, kept apart from the DOM so it is tested on its own: the band's rectangle
// from two points, which tiles it touches, and how the band combines with what was selected before.

export interface Point {
  x: number;
  y: number;
}

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Plain drag replaces the selection, Shift adds the band to it, Ctrl/Cmd toggles what the band covers. */
export type BandMode = 'replace' | 'extend' | 'toggle';

export function bandMode(event: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): BandMode {
  if (event.ctrlKey || event.metaKey) return 'toggle';
  return event.shiftKey ? 'extend' : 'replace';
}

export function bandRect(from: Point, to: Point): Rect {
  return { left: Math.min(from.x, to.x), top: Math.min(from.y, to.y), width: Math.abs(to.x - from.x), height: Math.abs(to.y - from.y) };
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;
}

/** The selection while a band covers `inBand`, given the selection `before` the drag started. */
export function combineSelection(before: ReadonlySet<number>, inBand: Iterable<number>, mode: BandMode): Set<number> {
  const band = new Set(inBand);
  if (mode === 'replace') return band;
  const result = new Set(before);
  for (const id of band) {
    if (mode === 'toggle' && before.has(id)) result.delete(id);
    else result.add(id);
  }
  return result;
}

/** Pixels per frame to scroll when the pointer is within `edge` px of the top or bottom (negative: up), else 0. */
export function edgeScrollSpeed(pointerY: number, top: number, bottom: number, edge = 48, maxSpeed = 24): number {
  if (pointerY < top + edge) return -Math.ceil(maxSpeed * Math.min(1, (top + edge - pointerY) / edge));
  if (pointerY > bottom - edge) return Math.ceil(maxSpeed * Math.min(1, (pointerY - (bottom - edge)) / edge));
  return 0;
}
