// Drag-select in a virtual grid: a rubber band from empty space (or from a photo with Shift, Ctrl/Cmd or Alt held)
// selects every tile it touches, scrolling when the pointer nears the top or bottom edge. Tiles are hit-tested where
// they are drawn; a tile scrolled out of the DOM keeps the answer it last had, so long drags keep what they covered.
import { useEffect, useRef, useState } from 'react';
import { useLibrary } from '../stores/library';
import { bandMode, bandRect, combineSelection, edgeScrollSpeed, intersects, type BandMode, type Point, type Rect } from './rubber-band';

/** Movement below this is a click, not a drag. */
const DRAG_THRESHOLD = 5;

interface Drag {
  pointerId: number;
  origin: Point;
  last: { clientX: number; clientY: number };
  mode: BandMode;
  before: Set<number>;
  covered: Map<number, boolean>;
  started: boolean;
  frame: number;
}

/**
 * `scroller` is the scrolling element and `content` the element the tiles are positioned in (its box moves as it
 * scrolls, so band coordinates in it stay put). Returns the band to draw, in `content`'s coordinates.
 */
export function useDragSelect(scroller: HTMLElement | null, content: HTMLElement | null): Rect | null {
  const [band, setBand] = useState<Rect | null>(null);
  const drag = useRef<Drag | null>(null);

  useEffect(() => {
    if (!scroller || !content) return;
    const toContent = (clientX: number, clientY: number): Point => {
      const box = content.getBoundingClientRect();
      return { x: clientX - box.left, y: clientY - box.top };
    };

    const update = (state: Drag) => {
      const rect = bandRect(state.origin, toContent(state.last.clientX, state.last.clientY));
      const box = content.getBoundingClientRect();
      for (const tile of content.querySelectorAll<HTMLElement>('button.tile[data-photo-id]')) {
        const r = tile.getBoundingClientRect();
        state.covered.set(Number(tile.dataset.photoId), intersects(rect, { left: r.left - box.left, top: r.top - box.top, width: r.width, height: r.height }));
      }
      const inBand = [...state.covered].filter(([, covered]) => covered).map(([id]) => id);
      useLibrary.setState({ selected: combineSelection(state.before, inBand, state.mode) });
      setBand(rect);
    };

    const autoScroll = () => {
      const state = drag.current;
      if (!state?.started) return;
      const box = scroller.getBoundingClientRect();
      const speed = edgeScrollSpeed(state.last.clientY, box.top, box.bottom);
      if (speed !== 0) {
        const before = scroller.scrollTop;
        scroller.scrollTop += speed;
        if (scroller.scrollTop !== before) update(state);
      }
      state.frame = requestAnimationFrame(autoScroll);
    };

    const down = (event: PointerEvent) => {
      if (event.button !== 0 || event.pointerType === 'touch') return;
      const target = event.target as HTMLElement;
      const onTile = target.closest('button.tile');
      // Other controls (a day's check, links) keep their own clicks; a tile starts a band only with a modifier.
      if ((!onTile && target.closest('button, a, input')) || (onTile && !(event.shiftKey || event.ctrlKey || event.metaKey || event.altKey))) return;
      // The scrollbar is part of the element but not of its content.
      if (event.clientX - scroller.getBoundingClientRect().left > scroller.clientWidth) return;
      const library = useLibrary.getState();
      drag.current = {
        pointerId: event.pointerId,
        origin: toContent(event.clientX, event.clientY),
        last: { clientX: event.clientX, clientY: event.clientY },
        mode: bandMode(event),
        before: new Set(library.selected),
        covered: new Map(),
        started: false,
        frame: 0,
      };
    };

    const move = (event: PointerEvent) => {
      const state = drag.current;
      if (!state || event.pointerId !== state.pointerId) return;
      state.last = { clientX: event.clientX, clientY: event.clientY };
      if (!state.started) {
        const point = toContent(event.clientX, event.clientY);
        if (Math.hypot(point.x - state.origin.x, point.y - state.origin.y) < DRAG_THRESHOLD) return;
        state.started = true;
        scroller.setPointerCapture?.(event.pointerId);
        scroller.classList.add('drag-selecting');
        window.getSelection()?.removeAllRanges(); // a drag over the headers would have started selecting their text
        state.frame = requestAnimationFrame(autoScroll);
      }
      update(state);
    };

    const end = (event: PointerEvent) => {
      const state = drag.current;
      if (!state || event.pointerId !== state.pointerId) return;
      drag.current = null;
      if (!state.started) {
        // A plain click on empty space clears the selection, as in every photo app.
        if (state.mode === 'replace' && !(event.target as HTMLElement).closest('button')) useLibrary.getState().clearSelection();
        return;
      }
      cancelAnimationFrame(state.frame);
      scroller.classList.remove('drag-selecting');
      scroller.releasePointerCapture?.(event.pointerId);
      setBand(null);
      // The click that ends a drag over a tile must not open or toggle it.
      const swallow = (click: Event) => click.stopPropagation();
      window.addEventListener('click', swallow, { capture: true, once: true });
      setTimeout(() => window.removeEventListener('click', swallow, { capture: true }), 0);
      // The roving Tab stop follows the last tile the band reached, without scrolling it.
      const lastTile = document.elementFromPoint(state.last.clientX, state.last.clientY)?.closest<HTMLElement>('button.tile');
      const anchorId = lastTile ? Number(lastTile.dataset.photoId) : null;
      useLibrary.setState({ anchorId });
      lastTile?.focus({ preventScroll: true });
    };

    scroller.addEventListener('pointerdown', down);
    scroller.addEventListener('pointermove', move);
    scroller.addEventListener('pointerup', end);
    scroller.addEventListener('pointercancel', end);
    return () => {
      scroller.removeEventListener('pointerdown', down);
      scroller.removeEventListener('pointermove', move);
      scroller.removeEventListener('pointerup', end);
      scroller.removeEventListener('pointercancel', end);
      if (drag.current) cancelAnimationFrame(drag.current.frame);
    };
  }, [scroller, content]);

  return band;
}
