// One Tab stop per grid of photos, arrow keys for the rest (as in Apple Photos): finds the tile a key moves to by
// where tiles are drawn, so it works for the packed timeline rows as well as plain grids.
import { useState, type KeyboardEvent } from 'react';

export const TILE_SELECTOR = 'button.tile';

export function neighbourTile(container: HTMLElement, from: HTMLElement, key: string): HTMLElement | null {
  const tiles = Array.from(container.querySelectorAll<HTMLElement>(TILE_SELECTOR));
  const index = tiles.indexOf(from);
  if (index < 0) return null;
  if (key === 'ArrowLeft') return tiles[index - 1] ?? null;
  if (key === 'ArrowRight') return tiles[index + 1] ?? null;
  if (key === 'Home') return tiles[0] ?? null;
  if (key === 'End') return tiles[tiles.length - 1] ?? null;
  if (key !== 'ArrowUp' && key !== 'ArrowDown') return null;
  const box = from.getBoundingClientRect();
  const centre = box.left + box.width / 2;
  let best: HTMLElement | null = null;
  let bestScore = Infinity;
  for (const tile of tiles) {
    if (tile === from) continue;
    const other = tile.getBoundingClientRect();
    const below = other.top >= box.bottom - 1;
    const above = other.bottom <= box.top + 1;
    if ((key === 'ArrowDown' && !below) || (key === 'ArrowUp' && !above)) continue;
    const rowDistance = key === 'ArrowDown' ? other.top - box.bottom : box.top - other.bottom;
    const score = rowDistance * 10_000 + Math.abs(other.left + other.width / 2 - centre);
    if (score < bestScore) {
      bestScore = score;
      best = tile;
    }
  }
  return best;
}

export const GRID_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End']);

/** Arrow keys between tiles of a plain grid, one Tab stop: shared by Search and Similar. */
export function useRovingTiles(): {
  active: number | null;
  isTabStop(id: number, index: number, ids: number[]): boolean;
  onKeyDown(event: KeyboardEvent<HTMLElement>): void;
  onFocus(event: { target: EventTarget }): void;
} {
  const [active, setActive] = useState<number | null>(null);
  return {
    active,
    /** Whether a tile is the grid's Tab stop: the last focused one, else the first. */
    isTabStop: (id: number, index: number, ids: number[]) => (active !== null && ids.includes(active) ? id === active : index === 0),
    onKeyDown(event) {
      if (!GRID_KEYS.has(event.key) || !(event.target instanceof HTMLElement) || !event.target.matches('button.tile')) return;
      const next = neighbourTile(event.currentTarget, event.target, event.key);
      event.preventDefault();
      if (!next) return;
      next.focus();
      next.scrollIntoView?.({ block: 'nearest' });
    },
    onFocus(event) {
      const id = event.target instanceof HTMLElement ? Number(event.target.dataset.photoId) : NaN;
      if (id) setActive(id);
    },
  };
}
