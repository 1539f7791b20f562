// The viewer's details panel in a person's words: when and where (a town name and the coordinates as a map link),
// the camera without its make repeated, exposure settings that never break mid-value, paths that break only at
// separators — and the indexing internals behind a "Technical details" disclosure.
import { Fragment, type ReactNode } from 'react';
import type { ApiError, PhotoDetails } from '../../src-preload/api';
import { PhotoCaptionPanel } from '../captions/PhotoCaptionPanel';
import { formatBytes, formatDate } from '../format';
import { mapLink } from '../viewer/map-link';
import { turnedSize } from '../viewer/rotation';
import { PhotoWords } from './PhotoWords';
import { Spinner } from './states';

function exposure(seconds: number | null): string | null {
  if (seconds === null) return null;
  return seconds >= 1 ? `${seconds} s` : `1/${Math.round(1 / seconds)} s`;
}

/** "Canon EOS 5D Mark II", not "Canon Canon EOS 5D Mark II": the make goes when the model already names it. */
export function cameraName(make: string | null, model: string | null): string | null {
  const cleanMake = make?.trim() || null;
  const cleanModel = model?.trim() || null;
  if (!cleanModel) return cleanMake;
  if (!cleanMake) return cleanModel;
  const makeWord = cleanMake.split(/\s+/)[0].toLowerCase();
  if (cleanModel.toLowerCase().startsWith(makeWord)) return cleanModel;
  return `${cleanMake} ${cleanModel}`;
}

/** A path with a break opportunity after every separator, so it wraps between folder names, not inside them. */
export function BreakablePath({ path }: { path: string }) {
  const parts = path.split(/(?<=[\\/])/);
  return (
    <span className="path-text">
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 ? <wbr /> : null}
        </Fragment>
      ))}
    </span>
  );
}

function settingsOf(details: PhotoDetails): string[] {
  const { exif } = details;
  return [
    exif.focalLength ? `${Math.round(exif.focalLength * 10) / 10} mm` : null,
    exif.fNumber ? `ƒ/${exif.fNumber}` : null,
    exposure(exif.exposureTime),
    exif.iso ? `ISO ${exif.iso}` : null,
  ].filter((part): part is string => part !== null);
}

function Location({ details }: { details: PhotoDetails }) {
  const { gpsLatitude: lat, gpsLongitude: lon } = details.exif;
  if (lat === null || lon === null) return null;
  const coordinates = `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
  return (
    <span className="stack tight">
      {details.place ? <span>{details.place}</span> : null}
      <a href={mapLink(lat, lon)} target="_blank" rel="noreferrer noopener" className="mono">
        {coordinates}
      </a>
    </span>
  );
}

/** Width × height as the photo is shown (a quarter turn swaps them), and that it is turned, since the file is not. */
function shownSize(details: PhotoDetails): string {
  const turns = details.rotation ?? 0;
  const { width, height } = turnedSize(details.width ?? 0, details.height ?? 0, turns);
  return `${width} × ${height}${turns ? ` (turned ${turns === 3 ? 'left' : turns === 1 ? 'right' : 'upside down'})` : ''}`;
}

export function PhotoInfo({ details, error }: { details: PhotoDetails | null; error: ApiError | null }) {
  if (error) return <div className="error-detail">{error.message}</div>;
  if (!details) return <Spinner label="Reading details…" />;
  const { exif } = details;
  const settings = settingsOf(details);
  const rows: [string, ReactNode | null][] = [
    ['Taken', details.takenAt ? formatDate(details.takenAt) : null],
    ['Place', exif.gpsLatitude !== null && exif.gpsLongitude !== null ? <Location details={details} /> : null],
    ['Camera', cameraName(exif.cameraMake, exif.cameraModel)],
    ['Lens', exif.lens],
    [
      'Exposure',
      settings.length ? (
        <span className="exposure">
          {settings.map((part, i) => (
            <Fragment key={part}>
              {i > 0 ? ' · ' : null}
              <span className="nowrap">{part}</span>
            </Fragment>
          ))}
        </span>
      ) : null,
    ],
    ['Size', details.width && details.height ? `${shownSize(details)} · ${formatBytes(details.sizeBytes)}` : formatBytes(details.sizeBytes)],
    ['Added', formatDate(details.addedAt)],
    ['Path', <BreakablePath key="path" path={details.path} />],
  ];
  return (
    <>
      <PhotoCaptionPanel key={details.id} photoId={details.id} />
      <PhotoWords details={details} />
      <dl className="kv info" data-testid="exif">
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
              <BreakablePath path={path} />
            </span>
          ))}
        </div>
      ) : null}
      {details.status === 'failed' && details.error ? <div className="error-detail">{details.error}</div> : null}
      <details className="disclosure">
        <summary>Technical details</summary>
        <dl className="kv">
          <dt>Format</dt>
          <dd>{details.format ?? '—'}</dd>
          <dt>Modified</dt>
          <dd>{formatDate(details.mtime)}</dd>
          <dt>Content hash</dt>
          <dd className="mono">{details.hash.slice(0, 16)}…</dd>
          <dt>Indexing</dt>
          <dd>
            <span className="row wrap">
              {Object.entries(details.stages).map(([stage, state]) => (
                <span key={stage} className={`badge ${state === 'done' ? 'good' : state === 'failed' ? 'bad' : state === 'pending' ? 'info' : ''}`}>
                  {stage} {state}
                </span>
              ))}
            </span>
          </dd>
        </dl>
      </details>
    </>
  );
}
