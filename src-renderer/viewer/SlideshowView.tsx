// What the slideshow shows: the photo over the one before it, faded in (at once where the person asked for reduced
// motion), the older picture kept, opaque, until the newer is decoded and faded in — and a small bar to pause, pace, loop or stop.
import { useState } from 'react';
import { Close, Pause, Play } from 'pixelarticons/react';
import type { PhotoSummary } from '../../src-preload/api';
import { fileName } from '../components/PhotoTile';
import { shownImageUrl } from '../stores/rotations';
import '../styles/slideshow.css';
import { SLIDESHOW_INTERVALS_S, type Slideshow, type SlideshowInterval } from './slideshow';

interface Layer {
  id: number;
  src: string;
  name: string;
  /** Decoded and on screen: only then does it fade in, and only then may the picture under it go. */
  loaded: boolean;
}

export function SlideshowStage({ photo }: { photo: PhotoSummary }) {
  const [layers, setLayers] = useState<Layer[]>([]);
  const src = shownImageUrl(photo.id, 'view');
  const top = layers.at(-1);
  if (!top || top.id !== photo.id || top.src !== src) {
    // Under the new picture stays the newest one already showing (a jump past pictures still loading skips those).
    const showing = layers.filter((layer) => layer.loaded).slice(-1);
    setLayers([...showing, { id: photo.id, src, name: fileName(photo.path), loaded: false }]);
  }
  const markLoaded = (layer: Layer) => setLayers((now) => now.map((l) => (l === layer ? { ...l, loaded: true } : l)));
  return (
    <>
      {layers.map((layer, i) => {
        const isTop = i === layers.length - 1;
        return (
          <img
            key={`${layer.id}-${layer.src}`}
            // A first picture with nothing under it shows as it arrives: hiding it would only leave the stage empty longer.
            className={isTop ? (layer.loaded || layers.length === 1 ? 'slide entering' : 'slide pending') : 'slide under'}
            src={layer.src}
            alt={isTop ? layer.name : ''}
            draggable={false}
            onLoad={() => markLoaded(layer)}
            onError={() => markLoaded(layer)}
            onAnimationEnd={() => {
              // Only what lies under this picture goes: a newer one may already sit on top of it, still loading.
              if (!layer.loaded) return;
              setLayers((now) => {
                const at = now.findIndex((l) => l.id === layer.id && l.src === layer.src);
                return at > 0 ? now.slice(at) : now;
              });
            }}
          />
        );
      })}
    </>
  );
}

export function SlideshowControls({ slideshow, index, count }: { slideshow: Slideshow; index: number; count: number }) {
  const { playing, ended, intervalS, loop } = slideshow;
  return (
    <div className="slideshow-controls" role="toolbar" aria-label="Slideshow">
      <button type="button" className="btn icon-only" aria-label={playing ? 'Pause slideshow' : 'Play slideshow'} title={playing ? 'Pause (Space)' : 'Play (Space)'} onClick={slideshow.togglePlaying}>
        {playing ? <Pause className="icon small" aria-hidden="true" /> : <Play className="icon small" aria-hidden="true" />}
      </button>
      <span className="label" aria-live="polite" data-testid="slideshow-state">
        {ended ? 'End of the slideshow' : playing ? `${index + 1} / ${count}` : `Paused · ${index + 1} / ${count}`}
      </span>
      <label className="row">
        <span className="label">Every</span>
        <select value={intervalS} aria-label="Seconds per photo" onChange={(event) => slideshow.setIntervalS(Number(event.target.value) as SlideshowInterval)}>
          {SLIDESHOW_INTERVALS_S.map((seconds) => (
            <option key={seconds} value={seconds}>
              {seconds} s
            </option>
          ))}
        </select>
      </label>
      <label className="row">
        <input type="checkbox" checked={loop} onChange={(event) => slideshow.setLoop(event.target.checked)} />
        <span className="label">Loop</span>
      </label>
      <button type="button" className="btn small" onClick={slideshow.stop} title="Back to the viewer">
        <Close className="icon small" aria-hidden="true" /> Stop
      </button>
    </div>
  );
}
