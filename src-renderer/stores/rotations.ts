// How each photo is turned, for every view at once: fetched when the window opens and again when photos come into the
// library (a restored photo keeps its turn), and changed by the viewer's rotate buttons and keys.
import { create } from 'zustand';
import type { GlimpseEvent, PhotoRotation, QuarterTurns, RotateRequest } from '../../src-preload/api';
import type { GlimpseClient } from '../client/client';
import { getClient } from '../client/client';
import { turnedImageUrl } from '../viewer/rotation';
import { useToasts } from './toasts';

interface RotationsState {
  /** Quarter turns clockwise by photo id; photos shown upright are absent. */
  turns: Record<number, QuarterTurns>;
  load(): Promise<void>;
  rotate(ids: number[], change: Omit<RotateRequest, 'ids'>): Promise<PhotoRotation[] | null>;
}

function byId(rotations: PhotoRotation[]): Record<number, QuarterTurns> {
  return Object.fromEntries(rotations.filter((r) => r.rotation !== 0).map((r) => [r.id, r.rotation]));
}

export const useRotations = create<RotationsState>((set, get) => ({
  turns: {},
  async load() {
    const result = await getClient().invoke('photos.rotations', undefined);
    // Without the list every photo is shown upright, as the file says: nothing to tell the person.
    if (result.ok) set({ turns: byId(result.value) });
  },
  async rotate(ids, change) {
    const result = await getClient().invoke('photos.rotate', { ids, ...change } as RotateRequest);
    if (!result.ok) {
      useToasts.getState().push('error', `Could not rotate: ${result.error.message}`);
      return null;
    }
    const turns = { ...get().turns };
    for (const { id, rotation } of result.value) {
      if (rotation === 0) delete turns[id];
      else turns[id] = rotation;
    }
    set({ turns });
    return result.value;
  },
}));

/** The turns of one photo (0 when upright). */
export function useTurns(id: number | null | undefined): QuarterTurns {
  return useRotations((state) => (id == null ? 0 : (state.turns[id] ?? 0)));
}

const RELOAD_AFTER_MS = 1500;

/** Loads the rotations and follows photos added to the library, coalescing a burst of imports into one fetch. */
export function followRotations(client: GlimpseClient): () => void {
  void useRotations.getState().load();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const stop = client.subscribe((event: GlimpseEvent) => {
    if (event.type !== 'library' || event.added.length === 0 || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void useRotations.getState().load();
    }, RELOAD_AFTER_MS);
  });
  return () => {
    stop();
    if (timer) clearTimeout(timer);
  };
}

/** The address of a photo's grid or viewer picture as it is shown now (turned the way the person turned it). */
export function shownImageUrl(id: number, size: 'thumb' | 'view'): string {
  return turnedImageUrl(getClient().imageUrl(id, size), useRotations.getState().turns[id] ?? 0);
}
