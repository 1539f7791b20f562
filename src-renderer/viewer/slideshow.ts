// The viewer's slideshow: it advances through the list the viewer was opened on at a chosen interval, only once the
// next picture is decoded (so no empty frame between photos), pauses and resumes with Space, and ends on the last
// photo or starts over when looping. Esc leaves it and the viewer, back to the tile of the photo it stopped on.
import { useCallback, useEffect, useState } from 'react';
import { useNavigation } from '../stores/navigation';
import { shownImageUrl } from '../stores/rotations';

export const SLIDESHOW_INTERVALS_S = [2, 3, 5, 10] as const;
export type SlideshowInterval = (typeof SLIDESHOW_INTERVALS_S)[number];

export interface Slideshow {
  active: boolean;
  playing: boolean;
  /** It reached the last photo without looping: Play starts over from the first. */
  ended: boolean;
  intervalS: SlideshowInterval;
  loop: boolean;
  start(): void;
  /** Back to the ordinary viewer, on the photo shown. */
  stop(): void;
  togglePlaying(): void;
  setIntervalS(seconds: SlideshowInterval): void;
  setLoop(loop: boolean): void;
}

/** Where the slideshow goes after `index` of `count` photos: the next, the first again when looping, or nowhere. */
export function nextSlide(index: number, count: number, loop: boolean): number | null {
  if (index < count - 1) return index + 1;
  return loop && count > 1 ? 0 : null;
}

/** Fetches and decodes a picture before it is shown; a picture that cannot be decoded is shown anyway (its error state). */
function decoded(url: string): Promise<void> {
  const image = new Image();
  image.src = url;
  return image.decode().catch(() => undefined);
}

export function useSlideshow(): Slideshow {
  const viewer = useNavigation((state) => state.viewer);
  const [active, setActive] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [ended, setEnded] = useState(false);
  const [intervalS, setIntervalS] = useState<SlideshowInterval>(3);
  const [loop, setLoop] = useState(false);
  const isOpen = viewer !== null;
  const index = viewer?.index ?? 0;
  const photos = viewer?.photos;

  // A closed viewer ends the slideshow, so opening the viewer again shows an ordinary viewer.
  const [wasOpen, setWasOpen] = useState(isOpen);
  if (wasOpen !== isOpen) {
    setWasOpen(isOpen);
    if (!isOpen) {
      setActive(false);
      setPlaying(false);
      setEnded(false);
    }
  }

  // A dialog or menu over the slideshow (delete, shortcut help) holds it: the photo does not change under the question.
  const held = useNavigation((state) => Boolean(state.pendingDelete || state.contextMenu || state.shortcutsOpen));

  useEffect(() => {
    if (!active || !playing || held || !photos) return;
    const next = nextSlide(index, photos.length, loop);
    let cancelled = false;
    const ready = next === null ? Promise.resolve() : decoded(shownImageUrl(photos[next].id, 'view'));
    const timer = setTimeout(() => {
      void ready.then(() => {
        if (cancelled) return;
        if (next === null) {
          setPlaying(false);
          setEnded(true);
        } else {
          useNavigation.getState().stepViewer(next - index);
        }
      });
    }, intervalS * 1000);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [active, playing, held, index, photos, loop, intervalS]);

  const start = useCallback(() => {
    setActive(true);
    setPlaying(true);
    setEnded(false);
  }, []);
  const stop = useCallback(() => {
    setActive(false);
    setPlaying(false);
    setEnded(false);
  }, []);
  const togglePlaying = useCallback(() => {
    if (ended) {
      useNavigation.getState().stepViewer(-Number.MAX_SAFE_INTEGER);
      setEnded(false);
      setPlaying(true);
      return;
    }
    setPlaying((now) => !now);
  }, [ended]);

  // Read before the viewer's own keys (capture phase), so Space and Esc mean "pause" and "leave" while it runs.
  useEffect(() => {
    if (!active) return;
    const keyDown = (event: KeyboardEvent) => {
      const nav = useNavigation.getState();
      if (nav.pendingDelete || nav.contextMenu || nav.shortcutsOpen || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === ' ' || event.key === 'p' || event.key === 'P') {
        if (event.target instanceof HTMLSelectElement) return;
        event.preventDefault();
        event.stopPropagation();
        togglePlaying();
      } else if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        stop();
        nav.closeViewer();
      }
    };
    window.addEventListener('keydown', keyDown, true);
    return () => window.removeEventListener('keydown', keyDown, true);
  }, [active, togglePlaying, stop]);

  return { active, playing, ended, intervalS, loop, start, stop, togglePlaying, setIntervalS, setLoop };
}
