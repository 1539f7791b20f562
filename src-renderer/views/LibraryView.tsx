// The Library: every photo, newest first, under month and day headers laid out from the catalog's day counts, in a
// virtualized grid (only the rows on screen exist in the DOM, so 100k photos scroll like 100). Small days share a row;
// one Tab stop with arrow keys; Home/End and the date scrubber jump anywhere without the layout shifting.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { FolderPlus, Images } from 'pixelarticons/react';
import type { PhotoSummary } from '../../src-preload/api';
import { plural } from '../actions/photo-actions';
import { ErrorState, LoadingState, StateCard } from '../components/states';
import { PhotoTile } from '../components/PhotoTile';
import { GRID_KEYS, neighbourTile } from '../components/roving-grid';
import { DateScrubber } from '../library/DateScrubber';
import { buildGridRows, positionsOf, rowOfPosition, type GridRow } from '../library/grid-rows';
import { useGridLayout } from '../library/grid-layout';
import { buildJustifiedRows } from '../library/justified-rows';
import { LayoutToggle } from '../library/LayoutToggle';
import { DayCheck } from '../selection/DayCheck';
import { SelectionBar } from '../selection/SelectionBar';
import { useDragSelect } from '../selection/use-drag-select';
import { runCommand } from '../shortcuts';
import { useLibrary } from '../stores/library';
import { useNavigation } from '../stores/navigation';
import { useRotations } from '../stores/rotations';

export const TILE_SIZES = [112, 168, 240] as const;
const GAP = 10;
const MONTH_HEIGHT = 52;
const HEADER_HEIGHT = 44;
const PACKED_LABEL_HEIGHT = 34;

export function gridColumns(width: number, tileMin: number = TILE_SIZES[1]): number {
  return Math.max(1, Math.floor((width + GAP) / (tileMin + GAP)));
}

/** The element's inner width, followed as the window resizes; the element arrives once the first page has loaded. */
function useWidth(element: HTMLElement | null): number {
  const [width, setWidth] = useState(1000);
  useLayoutEffect(() => {
    if (!element) return;
    const measure = () => {
      // A hidden view (another one is showing) measures 0: keep the last width so nothing is re-laid out.
      if (element.clientWidth > 0) setWidth(element.clientWidth);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return width;
}

/** Justified rows are sized in pixels, so they need the width inside the grid's padding (grid tracks find it alone). */
function horizontalPadding(element: HTMLElement | null): number {
  if (!element) return 0;
  const style = getComputedStyle(element);
  return (parseFloat(style.paddingLeft) || 0) + (parseFloat(style.paddingRight) || 0);
}

function rowHeight(row: GridRow | undefined, tileSize: number): number {
  if (!row) return tileSize + GAP;
  if (row.kind === 'month') return MONTH_HEIGHT;
  if (row.kind === 'header') return HEADER_HEIGHT;
  if (row.kind === 'packed') return PACKED_LABEL_HEIGHT + (row.justified?.height ?? tileSize) + GAP;
  if (row.justified) return row.justified.height + GAP;
  return tileSize + GAP;
}

export function LibraryView() {
  const { days, slots, total, initialLoading, error, selected, ensureLoaded, reload, toggle, selectRange, clearSelection } = useLibrary();
  const openViewer = useNavigation((state) => state.openViewer);
  const openContextMenu = useNavigation((state) => state.openContextMenu);
  const zoom = useNavigation((state) => state.gridZoom);
  const zoomGrid = useNavigation((state) => state.zoomGrid);
  const [scrollElement, setScrollElement] = useState<HTMLDivElement | null>(null);
  const [contentElement, setContentElement] = useState<HTMLDivElement | null>(null);
  const band = useDragSelect(scrollElement, contentElement);
  const [focused, setFocused] = useState(0);
  const pendingFocus = useRef<number | null>(null);
  const width = useWidth(scrollElement);
  const columns = gridColumns(width, TILE_SIZES[zoom]);
  const tileSize = (width - GAP * (columns - 1)) / columns;
  const layout = useGridLayout((state) => state.layout);
  // Justified rows depend on each photo's shape, so they are laid out again as pages arrive.
  const layoutSlots = layout === 'justified' ? slots : null;
  const turns = useRotations((state) => state.turns);
  const rows = useMemo(
    () => (layoutSlots ? buildJustifiedRows(days, layoutSlots, width - horizontalPadding(scrollElement), TILE_SIZES[zoom], GAP, turns) : buildGridRows(days, columns)),
    [days, columns, layoutSlots, width, zoom, scrollElement, turns],
  );

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollElement,
    estimateSize: (index) => rowHeight(rows[index], tileSize),
    overscan: 6,
    initialRect: { width: 1000, height: 800 },
    getItemKey: (index) => rows[index]?.key ?? index,
  });

  useEffect(() => virtualizer.measure(), [virtualizer, columns, tileSize, rows]);

  // A pinch on a trackpad arrives as a wheel event with ctrlKey, as does Ctrl+wheel: bigger or smaller tiles, once per
  // gesture step, instead of zooming the whole page. It needs a non-passive listener to keep the page's own zoom out.
  useEffect(() => {
    if (!scrollElement) return;
    let last = 0;
    const wheel = (event: WheelEvent) => {
      if (!event.ctrlKey) return;
      event.preventDefault();
      if (event.timeStamp - last < 250) return;
      last = event.timeStamp;
      zoomGrid(event.deltaY < 0 ? 1 : -1);
    };
    scrollElement.addEventListener('wheel', wheel, { passive: false });
    return () => scrollElement.removeEventListener('wheel', wheel);
  }, [scrollElement, zoomGrid]);

  const items = virtualizer.getVirtualItems();
  const shownRows = items.map((item) => rows[item.index]).filter(Boolean);
  const range = positionsOf(shownRows);
  const rangeKey = range ? `${range[0]}-${range[1]}` : '';
  useEffect(() => {
    if (range) void ensureLoaded(range[0], range[1]);
    // The range's key is what matters: a new array with the same positions must not fetch again.
  }, [rangeKey]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (pendingFocus.current === null || !scrollElement) return;
    const tile = scrollElement.querySelector<HTMLElement>(`[data-position="${pendingFocus.current}"]`);
    if (tile) {
      pendingFocus.current = null;
      tile.focus();
    }
  });

  const open = useCallback(
    (photo: PhotoSummary) => {
      const list = useLibrary.getState().photos;
      openViewer(list, list.findIndex((p) => p.id === photo.id));
    },
    [openViewer],
  );
  const select = useCallback((photo: PhotoSummary, range: boolean) => (range ? selectRange(photo.id) : toggle(photo.id)), [selectRange, toggle]);
  const menu = useCallback((photo: PhotoSummary, x: number, y: number) => openContextMenu({ x, y, photo, list: useLibrary.getState().photos }), [openContextMenu]);

  const jumpTo = useCallback(
    (position: number) => {
      const target = Math.max(0, Math.min(total - 1, position));
      const row = rowOfPosition(rows, target);
      if (row >= 0) virtualizer.scrollToIndex(row, { align: target === total - 1 ? 'end' : 'center' });
      pendingFocus.current = target;
      setFocused(target);
    },
    [rows, total, virtualizer],
  );

  const keyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!GRID_KEYS.has(event.key) || !(event.target instanceof HTMLElement) || !event.target.matches('button.tile') || !scrollElement) return;
    event.preventDefault();
    if (event.key === 'Home' || event.key === 'End') {
      jumpTo(event.key === 'Home' ? 0 : total - 1);
      return;
    }
    const next = neighbourTile(scrollElement, event.target, event.key);
    if (next) {
      next.focus();
      next.scrollIntoView?.({ block: 'nearest' });
    }
  };

  let body;
  if (initialLoading) body = <LoadingState label="Loading your library…" />;
  else if (error && total === 0) {
    body = <ErrorState error={error} actions={<button type="button" className="btn" onClick={() => void reload()}>Try again</button>} />;
  } else if (total === 0) {
    body = (
      <StateCard
        icon={<Images className="icon" aria-hidden="true" />}
        title="No photos yet"
        actions={
          <button type="button" className="btn primary" onClick={() => void runCommand('add-folder')}>
            <FolderPlus className="icon small" aria-hidden="true" />
            <span>Add a folder</span>
          </button>
        }
      >
        <p>Add a folder of photos, or drop photos and folders anywhere on this window. Glimpse indexes them on this computer.</p>
      </StateCard>
    );
  }

  const tile = (position: number) => {
    const photo = slots[position];
    if (!photo) return <div key={`x-${position}`} className="tile-placeholder-box" aria-hidden="true" />;
    return (
      <PhotoTile
        key={photo.id}
        photo={photo}
        position={position}
        tabStop={position === Math.min(focused, total - 1)}
        selected={selected.has(photo.id)}
        onOpen={open}
        onToggleSelect={select}
        onContextMenu={menu}
      />
    );
  };
  const positions = (start: number, end: number) => Array.from({ length: end - start }, (_, i) => tile(start + i));

  const selectedPhotos = () => useLibrary.getState().photos.filter((photo) => selected.has(photo.id));
  return (
    <section className="view" aria-labelledby="library-title">
      <div className="view-header">
        <h2 id="library-title" style={{ margin: 0 }}>Library</h2>
        <span className="sub">{total ? plural(total, 'photo') : ''}</span>
        {total ? <LayoutToggle /> : null}
      </div>
      {body ?? (
        <div className="timeline">
          <div
            ref={setScrollElement}
            className={`scroll grid-scroll ${selected.size ? 'selecting' : ''}`}
            data-testid="library-grid"
            aria-label="Photos by date"
            onKeyDown={keyDown}
            onFocus={(event) => {
              const position = (event.target as HTMLElement).dataset.position;
              if (position !== undefined) setFocused(Number(position));
            }}
          >
            <div ref={setContentElement} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {band ? <div className="drag-band" data-testid="drag-band" style={band} /> : null}
              {items.map((item) => {
                const row = rows[item.index];
                return (
                  <div
                    key={item.key}
                    data-index={item.index}
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
                  >
                    {row.kind === 'month' ? (
                      <h2 className="month-header">{row.label}</h2>
                    ) : row.kind === 'header' ? (
                      <div className="grid-header">
                        <DayCheck start={row.start} end={row.start + row.count} label={row.label} />
                        <h3>{row.label}</h3>
                        <span>{plural(row.count, 'photo')}</span>
                      </div>
                    ) : row.kind === 'packed' && row.justified ? (
                      <div className="tile-row packed justified" style={{ columnGap: GAP }}>
                        {row.segments.map((segment, i) => (
                          <div key={segment.start} className="day-segment" style={{ width: row.justified!.widths[i].reduce((n, w) => n + w, 0) + GAP * (segment.count - 1) }}>
                            <div className="grid-header compact" title={`${segment.label} · ${plural(segment.count, 'photo')}`}>
                              <DayCheck start={segment.start} end={segment.end} label={segment.label} />
                              <h3>{segment.label}</h3>
                              <span>{segment.count}</span>
                            </div>
                            <div className="segment-tiles justified" style={{ height: row.justified!.height, columnGap: GAP }}>
                              {row.justified!.widths[i].map((tileWidth, j) => (
                                <div key={segment.start + j} className="justified-cell" style={{ width: tileWidth }}>
                                  {tile(segment.start + j)}
                                </div>
                              ))}
                            </div>
                          </div>
                        ))}
                      </div>
                    ) : row.kind === 'packed' ? (
                      <div className="tile-row packed" style={{ gridTemplateColumns: `repeat(${columns}, 1fr)`, columnGap: GAP }}>
                        {row.segments.map((segment, i) => (
                          <div
                            key={segment.start}
                            className="day-segment"
                            style={{ gridColumn: `${row.segments.slice(0, i).reduce((n, s) => n + s.count, 1)} / span ${segment.count}` }}
                          >
                            <div className="grid-header compact" title={`${segment.label} · ${plural(segment.count, 'photo')}`}>
                              <DayCheck start={segment.start} end={segment.end} label={segment.label} />
                              <h3>{segment.label}</h3>
                              <span>{segment.count}</span>
                            </div>
                            <div className="segment-tiles" style={{ gridTemplateColumns: `repeat(${segment.count}, 1fr)`, columnGap: GAP }}>
                              {positions(segment.start, segment.end)}
                            </div>
                          </div>
                        ))}
                      </div>
                    ) : row.justified ? (
                      <div className="tile-row justified" style={{ height: row.justified.height, columnGap: GAP }}>
                        {row.justified.widths.map((tileWidth, i) => (
                          <div key={row.start + i} className="justified-cell" style={{ width: tileWidth }}>
                            {tile(row.start + i)}
                          </div>
                        ))}
                      </div>
                    ) : (
                      <div className="tile-row" style={{ gridTemplateColumns: `repeat(${columns}, 1fr)`, columnGap: GAP }}>
                        {positions(row.start, row.end)}
                      </div>
                    )}
                  </div>
                );
              })}
            </div>
          </div>
          <DateScrubber days={days} onJump={jumpTo} />
        </div>
      )}
      <SelectionBar count={selected.size} selectedPhotos={selectedPhotos} onClear={clearSelection} />
    </section>
  );
}
