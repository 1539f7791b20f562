// One photo in any grid: its thumbnail over a pixel placeholder, selection, and the gestures a photo app has —
// click to open, Ctrl/Cmd-click or Space to select, Shift-click for a range, right-click or the menu key for actions.
import { memo, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { Check, Image as ImageIcon, WarningDiamond } from 'pixelarticons/react';
import type { PhotoSummary } from '../../src-preload/api';
import { getClient } from '../client/client';
import { useTurns } from '../stores/rotations';
import { turnedImageUrl } from '../viewer/rotation';

export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** Keyed by status: a photo that becomes ready gets a fresh element, so its thumbnail is fetched again. */
function Thumbnail({ photo }: { photo: PhotoSummary }) {
  const [state, setState] = useState<'loading' | 'loaded' | 'failed'>('loading');
  const base = turnedImageUrl(getClient().imageUrl(photo.id, 'thumb'), useTurns(photo.id));
  const src = `${base}${base.includes('?') ? '&' : '?'}v=${photo.status}`;
  return (
    <>
      {state !== 'loaded' ? (
        <span className="tile-placeholder" aria-hidden="true">
          {state === 'failed' && photo.status === 'failed' ? <WarningDiamond className="icon" /> : <ImageIcon className="icon" />}
        </span>
      ) : null}
      <img
        src={src}
        alt=""
        loading="lazy"
        decoding="async"
        draggable={false}
        className={state === 'loaded' ? 'loaded' : ''}
        onLoad={() => setState('loaded')}
        onError={() => setState('failed')}
      />
    </>
  );
}

export interface PhotoTileProps {
  photo: PhotoSummary;
  selected?: boolean;
  onOpen(photo: PhotoSummary): void;
  onToggleSelect?(photo: PhotoSummary, range: boolean): void;
  onContextMenu(photo: PhotoSummary, x: number, y: number): void;
  /** In a grid with one Tab stop: whether this tile is it (the others are reached with the arrow keys). */
  tabStop?: boolean;
  /** The tile's place in its list, for keyboard moves that reach beyond the tiles drawn. */
  position?: number;
  children?: ReactNode;
}

export const PhotoTile = memo(function PhotoTile({ photo, selected = false, onOpen, onToggleSelect, onContextMenu, tabStop, position, children }: PhotoTileProps) {
  const name = fileName(photo.path);

  const click = (event: MouseEvent) => {
    if (onToggleSelect && (event.ctrlKey || event.metaKey || event.shiftKey)) {
      event.preventDefault();
      onToggleSelect(photo, event.shiftKey);
      return;
    }
    onOpen(photo);
  };
  const keyDown = (event: KeyboardEvent) => {
    if (event.key === ' ' && onToggleSelect) {
      event.preventDefault();
      onToggleSelect(photo, event.shiftKey);
    } else if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      event.preventDefault();
      const box = (event.currentTarget as HTMLElement).getBoundingClientRect();
      onContextMenu(photo, box.left + box.width / 2, box.top + box.height / 2);
    }
  };

  return (
    <button
      type="button"
      className={`tile ${selected ? 'selected' : ''}`}
      aria-label={`${name}${selected ? ', selected' : ''}`}
      data-photo-id={photo.id}
      data-position={position}
      tabIndex={tabStop === undefined ? undefined : tabStop ? 0 : -1}
      title={name}
      onClick={click}
      onKeyDown={keyDown}
      onContextMenu={(event) => {
        event.preventDefault();
        onContextMenu(photo, event.clientX, event.clientY);
      }}
    >
      <Thumbnail key={`${photo.id}-${photo.status}`} photo={photo} />
      {onToggleSelect ? (
        <span
          className="check"
          aria-hidden="true"
          onClick={(event) => {
            event.stopPropagation();
            onToggleSelect(photo, event.shiftKey);
          }}
        >
          {selected ? <Check className="icon small" /> : null}
        </span>
      ) : null}
      {children}
    </button>
  );
});
