// The Library: every photo, newest first, grouped by day, in a virtualized grid (only the rows on screen exist in the
// DOM, so 100k photos scroll like 100), with placeholders for pages not fetched yet, multi-select and delete.
import { useCallback, useEffect, useLayoutEffect, useMemo, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Close, FolderPlus, Images, Trash } from 'pixelarticons/react';
import type { PhotoSummary } from '../../src-preload/api';
import { plural } from '../actions/photo-actions';
import { ErrorState, LoadingState, StateCard } from '../components/states';
import { PhotoTile } from '../components/PhotoTile';
import { buildGridRows } from '../library/grid-rows';
import { useLibrary } from '../stores/library';
import { useNavigation } from '../stores/navigation';

const TILE_MIN = 168;
const GAP = 10;
const HEADER_HEIGHT = 44;

export function gridColumns(width: number): number {
  return Math.max(1, Math.floor((width + GAP) / (TILE_MIN + GAP)));
}

/** The element's inner width, followed as the window resizes; the element arrives once the first page has loaded. */
function useWidth(element: HTMLElement | null): number {
  const [width, setWidth] = useState(1000);
  useLayoutEffect(() => {
    if (!element) return;
    const measure = () => setWidth(element.clientWidth || 1000);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return width;
}

export function LibraryView() {
  const { photos, total, initialLoading, error, selected, loadMore, reload, toggle, selectRange, clearSelection } = useLibrary();
  const openViewer = useNavigation((state) => state.openViewer);
  const openContextMenu = useNavigation((state) => state.openContextMenu);
  const askDelete = useNavigation((state) => state.askDelete);
  const show = useNavigation((state) => state.show);
  const [scrollElement, setScrollElement] = useState<HTMLDivElement | null>(null);
  const width = useWidth(scrollElement);
  const columns = gridColumns(width);
  const tileSize = (width - GAP * (columns - 1)) / columns;
  const rows = useMemo(() => buildGridRows(photos, columns, total), [photos, columns, total]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollElement,
    estimateSize: (index) => (rows[index]?.kind === 'header' ? HEADER_HEIGHT : tileSize + GAP),
    overscan: 6,
    initialRect: { width: 1000, height: 800 },
    getItemKey: (index) => rows[index]?.key ?? index,
  });

  useEffect(() => virtualizer.measure(), [virtualizer, columns, tileSize]);

  const items = virtualizer.getVirtualItems();
  const lastVisible = items.length ? items[items.length - 1].index : 0;
  useEffect(() => {
    if (rows[lastVisible]?.kind === 'placeholder') void loadMore();
  }, [lastVisible, rows, loadMore]);

  const open = useCallback((photo: PhotoSummary) => {
    const list = useLibrary.getState().photos;
    openViewer(list, list.findIndex((p) => p.id === photo.id));
  }, [openViewer]);
  const select = useCallback((photo: PhotoSummary, range: boolean) => (range ? selectRange(photo.id) : toggle(photo.id)), [selectRange, toggle]);
  const menu = useCallback((photo: PhotoSummary, x: number, y: number) => openContextMenu({ x, y, photo, list: useLibrary.getState().photos }), [openContextMenu]);

  let body;
  if (initialLoading) body = <LoadingState label="Loading your library…" />;
  else if (error && photos.length === 0) {
    body = <ErrorState error={error} actions={<button type="button" className="btn" onClick={() => void reload()}>Try again</button>} />;
  } else if (total === 0) {
    body = (
      <StateCard
        icon={<Images className="icon" aria-hidden="true" />}
        title="No photos yet"
        actions={
          <button type="button" className="btn primary" onClick={() => show('folders')}>
            <FolderPlus className="icon small" aria-hidden="true" /> Add a folder
          </button>
        }
      >
        <p>Add a folder of photos, or drop photos and folders anywhere on this window. Glimpse indexes them on this computer.</p>
      </StateCard>
    );
  }

  const selectedPhotos = () => photos.filter((photo) => selected.has(photo.id));
  return (
    <section className="view" aria-labelledby="library-title">
      <div className="view-header">
        <h2 id="library-title" style={{ margin: 0 }}>Library</h2>
        <span className="sub">{total ? `${total.toLocaleString()} photos` : ''}</span>
      </div>
      {body ?? (
        <div ref={setScrollElement} className={`scroll ${selected.size ? 'selecting' : ''}`} data-testid="library-grid">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const row = rows[item.index];
              return (
                <div
                  key={item.key}
                  data-index={item.index}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
                >
                  {row.kind === 'header' ? (
                    <div className="grid-header">
                      <h3>{row.label}</h3>
                      <span>{plural(row.count, 'photo')}</span>
                    </div>
                  ) : (
                    <div className="tile-row" style={{ gridTemplateColumns: `repeat(${columns}, 1fr)`, columnGap: GAP }}>
                      {row.kind === 'photos'
                        ? row.photos.map((photo) => (
                            <PhotoTile
                              key={photo.id}
                              photo={photo}
                              selected={selected.has(photo.id)}
                              onOpen={open}
                              onToggleSelect={select}
                              onContextMenu={menu}
                            />
                          ))
                        : Array.from({ length: row.tiles }, (_, i) => <div key={i} className="tile-placeholder-box" aria-hidden="true" />)}
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      )}
      {selected.size ? (
        <div className="selection-bar panel" role="toolbar" aria-label="Selection">
          <span className="label">{plural(selected.size, 'photo')} selected</span>
          <button type="button" className="btn danger" onClick={() => askDelete(selectedPhotos())}>
            <Trash className="icon small" aria-hidden="true" /> Delete
          </button>
          <button type="button" className="btn ghost icon-only" aria-label="Clear selection" onClick={clearSelection}>
            <Close className="icon small" aria-hidden="true" />
          </button>
        </div>
      ) : null}
    </section>
  );
}
