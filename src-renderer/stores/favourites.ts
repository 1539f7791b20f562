// The Favourites view's photos, fetched when the view shows and again after any ♥ changes elsewhere.
import { create } from 'zustand';
import type { ApiError, PhotoSummary } from '../../src-preload/api';
import { getClient } from '../client/client';

interface FavouritesState {
  photos: PhotoSummary[] | null;
  error: ApiError | null;
  /** Bumped by every ♥ change, so a shown Favourites view fetches again. */
  revision: number;
  load(): Promise<void>;
  changed(): void;
}

export const useFavourites = create<FavouritesState>((set, get) => ({
  photos: null,
  error: null,
  revision: 0,
  async load() {
    const result = await getClient().invoke('gallery.favourites', undefined);
    if (result.ok) set({ photos: result.value, error: null });
    else set({ error: result.error });
  },
  changed: () => set({ revision: get().revision + 1 }),
}));
