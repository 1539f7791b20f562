// The timeline's date scrubber on the right edge, as in Apple Photos and Immich: each year marked where its photos
// begin; click or drag to jump there. Positions come from the catalog's day counts, so any year is one move away.
import { useMemo, useRef, type PointerEvent } from 'react';
import type { GalleryDay } from '../../src-preload/api';

interface YearMark {
  year: string;
  position: number;
  fraction: number;
}

export function yearMarks(days: GalleryDay[]): YearMark[] {
  const total = days.reduce((n, day) => n + day.count, 0);
  const marks: YearMark[] = [];
  let position = 0;
  for (const day of days) {
    const year = day.day === 'unknown' ? '?' : day.day.slice(0, 4);
    if (marks[marks.length - 1]?.year !== year) marks.push({ year, position, fraction: total ? position / total : 0 });
    position += day.count;
  }
  return marks;
}

export function DateScrubber({ days, onJump }: { days: GalleryDay[]; onJump(position: number): void }) {
  const marks = useMemo(() => yearMarks(days), [days]);
  const total = useMemo(() => days.reduce((n, day) => n + day.count, 0), [days]);
  const ref = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);
  if (marks.length < 2) return null;

  const jumpToPointer = (event: PointerEvent<HTMLDivElement>) => {
    const box = ref.current?.getBoundingClientRect();
    if (!box || box.height === 0) return;
    const fraction = Math.max(0, Math.min(1, (event.clientY - box.top) / box.height));
    onJump(Math.round(fraction * (total - 1)));
  };

  return (
    <div
      ref={ref}
      className="scrubber"
      aria-label="Jump to a year"
      role="toolbar"
      aria-orientation="vertical"
      onPointerDown={(event) => {
        if ((event.target as HTMLElement).closest('button')) return;
        dragging.current = true;
        event.currentTarget.setPointerCapture?.(event.pointerId);
        jumpToPointer(event);
      }}
      onPointerMove={(event) => dragging.current && jumpToPointer(event)}
      onPointerUp={() => (dragging.current = false)}
    >
      {marks.map((mark, i) => {
        // Years closer than a label's height would overlap: the later one keeps its mark, the label goes.
        const crowded = i > 0 && mark.fraction - marks[i - 1].fraction < 0.04;
        return (
          <button
            key={mark.year}
            type="button"
            className={`year ${crowded ? 'crowded' : ''}`}
            style={{ top: `${mark.fraction * 100}%` }}
            onClick={() => onJump(mark.position)}
            aria-label={`Jump to ${mark.year}`}
            tabIndex={-1}
          >
            {crowded ? '' : mark.year}
          </button>
        );
      })}
    </div>
  );
}
