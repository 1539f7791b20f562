// The Library's photos, fetched page by page in display order (newest first) as the grid scrolls, and the selection.
// Only contiguous pages from the top are kept, so date groups above the viewport never shift.
import { create } from 'zustand';
import type { ApiError, PhotoSummary } from '../../src-preload/api';
import { getClient } from '../client/client';

export const LIBRARY_PAGE_SIZE = 200;

interface LibraryState {
  photos: PhotoSummary[];
  total: number;
  /** True until the first page has answered. */
  initialLoading: boolean;
  loadingMore: boolean;
  error: ApiError | null;
  selected: Set<number>;
  /** The last clicked photo, the anchor of a shift-click range. */
  anchorId: number | null;
  /** Bumped when photos change, so thumbnails that were still pending are fetched again. */
  revision: number;
  reload(): Promise<void>;
  loadMore(): Promise<void>;
  toggle(id: number): void;
  selectRange(toId: number): void;
  selectAll(): void;
  clearSelection(): void;
  forget(ids: number[]): void;
}

export const useLibrary = create<LibraryState>((set, get) => {
  async function fetchPage(page: number) {
    return getClient().invoke('gallery.page', { page, pageSize: LIBRARY_PAGE_SIZE, sort: 'taken', order: 'desc' });
  }

  return {
    photos: [],
    total: 0,
    initialLoading: true,
    loadingMore: false,
    error: null,
    selected: new Set(),
    anchorId: null,
    revision: 0,

    async reload() {
      // Re-fetches as many pages as are loaded, so a refresh after an import keeps the scroll position meaningful.
      const pages = Math.max(1, Math.ceil(get().photos.length / LIBRARY_PAGE_SIZE));
      const photos: PhotoSummary[] = [];
      let total = 0;
      for (let page = 1; page <= pages; page++) {
        const result = await fetchPage(page);
        if (!result.ok) {
          set({ error: result.error, initialLoading: false });
          return;
        }
        photos.push(...result.value.items);
        total = result.value.total;
        if (result.value.items.length < LIBRARY_PAGE_SIZE) break;
      }
      const known = new Set(photos.map((photo) => photo.id));
      const selected = new Set([...get().selected].filter((id) => known.has(id)));
      set({ photos, total, error: null, initialLoading: false, selected, revision: get().revision + 1 });
    },

    async loadMore() {
      const { photos, total, loadingMore } = get();
      if (loadingMore || photos.length >= total) return;
      set({ loadingMore: true });
      const result = await fetchPage(Math.floor(photos.length / LIBRARY_PAGE_SIZE) + 1);
      if (!result.ok) {
        set({ loadingMore: false, error: result.error });
        return;
      }
      const seen = new Set(get().photos.map((photo) => photo.id));
      const fresh = result.value.items.filter((photo) => !seen.has(photo.id));
      set({ photos: [...get().photos, ...fresh], total: result.value.total, loadingMore: false });
    },

    toggle(id) {
      const selected = new Set(get().selected);
      if (selected.has(id)) selected.delete(id);
      else selected.add(id);
      set({ selected, anchorId: id });
    },

    selectRange(toId) {
      const { photos, anchorId } = get();
      const from = photos.findIndex((photo) => photo.id === anchorId);
      const to = photos.findIndex((photo) => photo.id === toId);
      if (from < 0 || to < 0) return get().toggle(toId);
      const [lo, hi] = from < to ? [from, to] : [to, from];
      const selected = new Set(get().selected);
      for (const photo of photos.slice(lo, hi + 1)) selected.add(photo.id);
      set({ selected });
    },

    selectAll: () => set({ selected: new Set(get().photos.map((photo) => photo.id)) }),
    clearSelection: () => set({ selected: new Set(), anchorId: null }),

    forget(ids) {
      const gone = new Set(ids);
      const photos = get().photos.filter((photo) => !gone.has(photo.id));
      const removed = get().photos.length - photos.length;
      const selected = new Set([...get().selected].filter((id) => !gone.has(id)));
      set({ photos, total: Math.max(photos.length, get().total - removed), selected });
    },
  };
});
