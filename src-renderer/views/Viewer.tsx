// The viewer: one photo large, ← → through the list it was opened from, its details (EXIF, caption, where it lives)
// beside it, and Find similar / delete at hand. Esc closes, i toggles the details, s finds similar.
import { useEffect, useRef, useState } from 'react';
import { ChevronLeft, ChevronRight, Close, ExternalLink, Folder, InfoBox, Sparkles, Trash } from 'pixelarticons/react';
import type { ApiError, PhotoDetails } from '../../src-preload/api';
import { findSimilar, runShellAction } from '../actions/photo-actions';
import { getClient } from '../client/client';
import { FaceBoxes } from '../components/FaceBoxes';
import { fileName } from '../components/PhotoTile';
import { Spinner } from '../components/states';
import { formatBytes, formatDate } from '../format';
import { useNavigation } from '../stores/navigation';

function exposure(seconds: number | null): string | null {
  if (seconds === null) return null;
  return seconds >= 1 ? `${seconds} s` : `1/${Math.round(1 / seconds)} s`;
}

function DetailsPanel({ details, error }: { details: PhotoDetails | null; error: ApiError | null }) {
  if (error) return <div className="error-detail">{error.message}</div>;
  if (!details) return <Spinner label="Reading details…" />;
  const { exif } = details;
  const camera = [exif.cameraMake, exif.cameraModel].filter(Boolean).join(' ');
  const settings = [
    exif.focalLength ? `${exif.focalLength} mm` : null,
    exif.fNumber ? `ƒ/${exif.fNumber}` : null,
    exposure(exif.exposureTime),
    exif.iso ? `ISO ${exif.iso}` : null,
  ].filter(Boolean);
  const rows: [string, string | null][] = [
    ['Taken', details.takenAt ? formatDate(details.takenAt) : null],
    ['Added', formatDate(details.addedAt)],
    ['Size', details.width && details.height ? `${details.width} × ${details.height} · ${formatBytes(details.sizeBytes)}` : formatBytes(details.sizeBytes)],
    ['Format', details.format],
    ['Camera', camera || null],
    ['Lens', exif.lens],
    ['Exposure', settings.length ? settings.join(' · ') : null],
    ['Location', exif.gpsLatitude !== null && exif.gpsLongitude !== null ? `${exif.gpsLatitude.toFixed(5)}, ${exif.gpsLongitude.toFixed(5)}` : null],
    ['Path', details.path],
  ];
  return (
    <>
      {details.caption ? <p className="caption">“{details.caption}”</p> : null}
      <dl className="kv" data-testid="exif">
        {rows
          .filter(([, value]) => value)
          .map(([key, value]) => (
            <div key={key} style={{ display: 'contents' }}>
              <dt>{key}</dt>
              <dd className={key === 'Path' ? 'mono' : undefined}>{value}</dd>
            </div>
          ))}
      </dl>
      {details.duplicatePaths.length ? (
        <div className="stack">
          <h3>Identical copies</h3>
          {details.duplicatePaths.map((path) => (
            <span key={path} className="mono muted">
              {path}
            </span>
          ))}
        </div>
      ) : null}
      {details.status === 'failed' && details.error ? <div className="error-detail">{details.error}</div> : null}
      <div className="stack">
        <h3>Indexing</h3>
        <div className="row" style={{ flexWrap: 'wrap' }}>
          {Object.entries(details.stages).map(([stage, state]) => (
            <span key={stage} className={`badge ${state === 'done' ? 'good' : state === 'failed' ? 'bad' : state === 'pending' ? 'info' : ''}`}>
              {stage}
            </span>
          ))}
        </div>
      </div>
    </>
  );
}

export function Viewer() {
  const viewer = useNavigation((state) => state.viewer);
  const { stepViewer, closeViewer, askDelete } = useNavigation();
  const [showInfo, setShowInfo] = useState(true);
  const [loaded, setLoaded] = useState<{ id: number; details: PhotoDetails | null; error: ApiError | null } | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const photo = viewer ? viewer.photos[viewer.index] : null;
  const shell = getClient().shell;

  useEffect(() => {
    if (!photo) return;
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

  // Keys are read on the window while the viewer is open, so they keep working after a dialog returns focus.
  useEffect(() => {
    if (!viewer || !photo) return;
    const keyDown = (event: KeyboardEvent) => {
      const nav = useNavigation.getState();
      if (nav.pendingDelete || nav.contextMenu || event.ctrlKey || event.metaKey || event.altKey) return;
      const actions: Record<string, () => void> = {
        ArrowLeft: () => stepViewer(-1),
        ArrowRight: () => stepViewer(1),
        Home: () => stepViewer(-viewer.photos.length),
        End: () => stepViewer(viewer.photos.length),
        Escape: closeViewer,
        i: () => setShowInfo((shown) => !shown),
        s: () => findSimilar(photo),
        Delete: () => askDelete([photo]),
      };
      const action = actions[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', keyDown);
    return () => window.removeEventListener('keydown', keyDown);
  }, [viewer, photo, stepViewer, closeViewer, askDelete]);

  const isOpen = viewer !== null;
  useEffect(() => {
    if (isOpen) ref.current?.focus();
  }, [isOpen]);

  if (!viewer || !photo) return null;
  const current = loaded?.id === photo.id ? loaded : null;
  return (
    <div ref={ref} className="viewer" role="dialog" aria-modal="true" aria-label={`Viewer: ${fileName(photo.path)}`} tabIndex={-1}>
      <div className="viewer-bar">
        <span className="title">{fileName(photo.path)}</span>
        <span className="muted label">
          {viewer.index + 1} / {viewer.photos.length}
        </span>
        <button type="button" className="btn" onClick={() => findSimilar(photo)} title="Find similar (S)">
          <Sparkles className="icon small" aria-hidden="true" /> Find similar
        </button>
        {shell ? (
          <>
            <button type="button" className="btn icon-only" aria-label="Show in folder" title="Show in folder" onClick={() => void runShellAction('showInFolder', photo)}>
              <Folder className="icon small" aria-hidden="true" />
            </button>
            <button type="button" className="btn icon-only" aria-label="Open with system viewer" title="Open with system viewer" onClick={() => void runShellAction('openWithSystemViewer', photo)}>
              <ExternalLink className="icon small" aria-hidden="true" />
            </button>
          </>
        ) : null}
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
      <div className="viewer-stage" style={showInfo ? undefined : { gridColumn: '1 / span 2' }}>
        <img key={photo.id} src={getClient().imageUrl(photo.id, 'view')} alt={fileName(photo.path)} />
        <FaceBoxes key={`faces-${photo.id}`} photo={photo} />
        <button type="button" className="btn icon-only nav prev" aria-label="Previous photo" disabled={viewer.index === 0} onClick={() => stepViewer(-1)}>
          <ChevronLeft className="icon" aria-hidden="true" />
        </button>
        <button type="button" className="btn icon-only nav next" aria-label="Next photo" disabled={viewer.index === viewer.photos.length - 1} onClick={() => stepViewer(1)}>
          <ChevronRight className="icon" aria-hidden="true" />
        </button>
      </div>
      {showInfo ? (
        <aside className="viewer-info" aria-label="Photo details">
          <DetailsPanel details={current?.details ?? null} error={current?.error ?? null} />
        </aside>
      ) : null}
    </div>
  );
}
