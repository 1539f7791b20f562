// The viewer: one photo large and always whole (contain-fit at any window size, details open or not), ← → through
// the list it was opened from, zoom and pan (double-click, wheel, + − 0, drag), its details beside it, and Find similar
// / delete at hand. Esc closes and gives focus back to the photo's tile; i toggles the details, s finds similar.
import { useCallback, useEffect, useRef, useState, type PointerEvent, type WheelEvent } from 'react';
import { ChevronLeft, ChevronRight, Close, Heart, InfoBox, Play, Redo, Sparkles, Trash, Undo, ZoomIn, ZoomOut } from 'pixelarticons/react';
import type { ApiError, PhotoDetails } from '../../src-preload/api';
import { findSimilar, markFavourite } from '../actions/photo-actions';
import { getClient } from '../client/client';
import { FaceBoxes } from '../components/FaceBoxes';
import { ExportCopyButton } from '../export/ExportCopyButton';
import { fileName } from '../components/PhotoTile';
import { PhotoInfo } from '../components/PhotoInfo';
import { useNavigation } from '../stores/navigation';
import { useRotations, useTurns } from '../stores/rotations';
import { turnedImageUrl } from '../viewer/rotation';
import { FileActions } from '../viewer/FileActions';
import { useSlideshow } from '../viewer/slideshow';
import { SlideshowControls, SlideshowStage } from '../viewer/SlideshowView';

const MAX_ZOOM = 8;

interface View {
  scale: number;
  x: number;
  y: number;
}
const FIT: View = { scale: 1, x: 0, y: 0 };

function clampView(view: View): View {
  const scale = Math.max(1, Math.min(MAX_ZOOM, view.scale));
  return scale === 1 ? FIT : { scale, x: view.x, y: view.y };
}

export function Viewer() {
  const viewer = useNavigation((state) => state.viewer);
  const { stepViewer, closeViewer, askDelete } = useNavigation();
  const [showInfo, setShowInfo] = useState(true);
  // Zoom belongs to one photo: stepping to the next shows it whole again.
  const [zoomOf, setZoomOf] = useState<{ id: number; view: View } | null>(null);
  const [loaded, setLoaded] = useState<{ id: number; details: PhotoDetails | null; error: ApiError | null } | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; from: View } | null>(null);
  /** The photo last shown, whose tile gets focus back when the viewer closes. */
  const lastShown = useRef<number | null>(null);
  const opener = useRef<Element | null>(null);
  const photo = viewer ? viewer.photos[viewer.index] : null;
  const zoom = photo && zoomOf?.id === photo.id ? zoomOf.view : FIT;
  const photoId = photo?.id ?? null;
  const turns = useTurns(photoId);
  const slideshow = useSlideshow();
  const setZoom = useCallback(
    (next: View | ((current: View) => View)) => {
      if (photoId === null) return;
      setZoomOf((current) => ({ id: photoId, view: typeof next === 'function' ? next(current?.id === photoId ? current.view : FIT) : next }));
    },
    [photoId],
  );

  useEffect(() => {
    if (!photo) return;
    lastShown.current = photo.id;
    let cancelled = false;
    void getClient()
      .invoke('photos.get', { id: photo.id })
      .then((result) => {
        if (cancelled) return;
        setLoaded({ id: photo.id, details: result.ok ? result.value : null, error: result.ok ? null : result.error });
      });
    return () => {
      cancelled = true;
    };
  }, [photo]);

  const rotate = useCallback(
    (by: -1 | 1) => {
      if (photoId === null) return;
      setZoom(FIT);
      void useRotations.getState().rotate([photoId], { by });
    },
    [photoId, setZoom],
  );

  const toggleFavourite = useCallback(async () => {
    if (!photo || loaded?.id !== photo.id || !loaded.details) return;
    const next = !loaded.details.favourite;
    if (!(await markFavourite([photo], next))) return;
    setLoaded((now) => (now && now.id === photo.id && now.details ? { ...now, details: { ...now.details, favourite: next } } : now));
  }, [photo, loaded]);

  // Keys are read on the window while the viewer is open, so they keep working after a dialog returns focus.
  useEffect(() => {
    if (!viewer || !photo) return;
    const keyDown = (event: KeyboardEvent) => {
      const nav = useNavigation.getState();
      if (nav.pendingDelete || nav.contextMenu || nav.shortcutsOpen || event.ctrlKey || event.metaKey || event.altKey) return;
      const actions: Record<string, () => void> = {
        ArrowLeft: () => stepViewer(-1),
        ArrowRight: () => stepViewer(1),
        Home: () => stepViewer(-viewer.photos.length),
        End: () => stepViewer(viewer.photos.length),
        Escape: closeViewer,
        i: () => setShowInfo((shown) => !shown),
        s: () => findSimilar(photo),
        Delete: () => askDelete([photo]),
        '+': () => setZoom((z) => clampView({ ...z, scale: z.scale * 1.5 })),
        '=': () => setZoom((z) => clampView({ ...z, scale: z.scale * 1.5 })),
        '-': () => setZoom((z) => clampView({ ...z, scale: z.scale / 1.5 })),
        '0': () => setZoom(FIT),
        '?': () => nav.setShortcutsOpen(true),
        f: () => void toggleFavourite(),
        r: () => rotate(1),
        R: () => rotate(-1),
        p: slideshow.start,
      };
      const action = actions[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', keyDown);
    return () => window.removeEventListener('keydown', keyDown);
  }, [viewer, photo, stepViewer, closeViewer, askDelete, setZoom, toggleFavourite, rotate, slideshow.start]);

  const isOpen = viewer !== null;
  useEffect(() => {
    if (!isOpen) return;
    opener.current = document.activeElement;
    ref.current?.focus();
    return () => {
      // Back to the tile of the photo last viewed (it may not be the one that opened the viewer).
      const tile = lastShown.current === null ? null : document.querySelector<HTMLElement>(`.main button.tile[data-photo-id="${lastShown.current}"]`);
      const target = tile ?? (opener.current instanceof HTMLElement && opener.current.isConnected ? opener.current : null);
      target?.focus();
      target?.scrollIntoView?.({ block: 'nearest' });
    };
  }, [isOpen]);

  if (!viewer || !photo) return null;
  const current = loaded?.id === photo.id ? loaded : null;
  const favourite = current?.details?.favourite ?? false;

  const wheel = (event: WheelEvent<HTMLDivElement>) => {
    const factor = event.deltaY < 0 ? 1.2 : 1 / 1.2;
    setZoom((z) => clampView({ ...z, scale: z.scale * factor }));
  };
  const pointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (zoom.scale === 1 || (event.target as HTMLElement).closest('button')) return;
    drag.current = { x: event.clientX, y: event.clientY, from: zoom };
    event.currentTarget.setPointerCapture?.(event.pointerId);
  };
  const pointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const start = drag.current;
    if (!start) return;
    setZoom({ ...start.from, x: start.from.x + (event.clientX - start.x) / start.from.scale, y: start.from.y + (event.clientY - start.y) / start.from.scale });
  };

  return (
    <div
      ref={ref}
      className={`viewer ${showInfo ? 'with-info' : ''} ${slideshow.active ? 'slideshow' : ''}`}
      role="dialog"
      aria-modal="true"
      aria-label={`Viewer: ${fileName(photo.path)}`}
      tabIndex={-1}
    >
      <div className="viewer-bar">
        <span className="title">{fileName(photo.path)}</span>
        <span className="muted label">
          {viewer.index + 1} / {viewer.photos.length}
        </span>
        <button type="button" className="btn icon-only" aria-label="Zoom out" title="Zoom out (−)" disabled={zoom.scale === 1} onClick={() => setZoom((z) => clampView({ ...z, scale: z.scale / 1.5 }))}>
          <ZoomOut className="icon small" aria-hidden="true" />
        </button>
        <button type="button" className="btn icon-only" aria-label="Zoom in" title="Zoom in (+)" disabled={zoom.scale >= MAX_ZOOM} onClick={() => setZoom((z) => clampView({ ...z, scale: z.scale * 1.5 }))}>
          <ZoomIn className="icon small" aria-hidden="true" />
        </button>
        <button type="button" className="btn icon-only" aria-label="Rotate left" title="Rotate left (Shift R)" onClick={() => rotate(-1)}>
          <Undo className="icon small" aria-hidden="true" />
        </button>
        <button type="button" className="btn icon-only" aria-label="Rotate right" title="Rotate right (R)" onClick={() => rotate(1)}>
          <Redo className="icon small" aria-hidden="true" />
        </button>
        <button type="button" className="btn icon-only" aria-label="Slideshow" title="Slideshow (P)" onClick={slideshow.start}>
          <Play className="icon small" aria-hidden="true" />
        </button>
        <button
          type="button"
          className={`btn icon-only ${favourite ? 'favourite' : ''}`}
          aria-label="Favourite"
          title="Favourite (F)"
          aria-pressed={favourite}
          disabled={!current?.details}
          onClick={() => void toggleFavourite()}
        >
          <Heart className="icon small" aria-hidden="true" />
        </button>
        <button type="button" className="btn" onClick={() => findSimilar(photo)} title="Find similar (S)">
          <Sparkles className="icon small" aria-hidden="true" /> Find similar
        </button>
        <FileActions photo={photo} />
        <ExportCopyButton photo={photo} />
        <button type="button" className="btn icon-only" aria-label="Details" title="Details (I)" aria-pressed={showInfo} onClick={() => setShowInfo(!showInfo)}>
          <InfoBox className="icon small" aria-hidden="true" />
        </button>
        <button type="button" className="btn danger icon-only" aria-label="Delete photo" title="Delete (Del)" onClick={() => askDelete([photo])}>
          <Trash className="icon small" aria-hidden="true" />
        </button>
        <button type="button" className="btn icon-only" aria-label="Close viewer" title="Close (Esc)" onClick={closeViewer}>
          <Close className="icon small" aria-hidden="true" />
        </button>
      </div>
      <div
        className={`viewer-stage ${zoom.scale > 1 ? 'zoomed' : ''}`}
        data-testid="viewer-stage"
        onWheel={wheel}
        onDoubleClick={(event) => {
          if ((event.target as HTMLElement).closest('button')) return;
          setZoom((z) => (z.scale > 1 ? FIT : { scale: 2.5, x: 0, y: 0 }));
        }}
        onPointerDown={pointerDown}
        onPointerMove={pointerMove}
        onPointerUp={() => (drag.current = null)}
      >
        {slideshow.active ? (
          <>
            <SlideshowStage photo={photo} />
            <SlideshowControls slideshow={slideshow} index={viewer.index} count={viewer.photos.length} />
          </>
        ) : (
          <>
            <img
              key={photo.id}
              src={turnedImageUrl(getClient().imageUrl(photo.id, 'view'), turns)}
              alt={fileName(photo.path)}
              draggable={false}
              style={zoom.scale > 1 ? { transform: `scale(${zoom.scale}) translate(${zoom.x}px, ${zoom.y}px)` } : undefined}
            />
            {zoom.scale === 1 ? <FaceBoxes key={`faces-${photo.id}-${turns}`} photo={photo} turns={turns} /> : null}
            <button type="button" className="btn icon-only nav prev" aria-label="Previous photo" disabled={viewer.index === 0} onClick={() => stepViewer(-1)}>
              <ChevronLeft className="icon" aria-hidden="true" />
            </button>
            <button type="button" className="btn icon-only nav next" aria-label="Next photo" disabled={viewer.index === viewer.photos.length - 1} onClick={() => stepViewer(1)}>
              <ChevronRight className="icon" aria-hidden="true" />
            </button>
          </>
        )}
      </div>
      {showInfo ? (
        <aside className="viewer-info" aria-label="Photo details">
          <PhotoInfo details={current?.details ? { ...current.details, rotation: turns } : null} error={current?.error ?? null} />
        </aside>
      ) : null}
    </div>
  );
}
