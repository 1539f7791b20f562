// The Library's timeline: every day with its photo count from the catalog (so the whole layout, and any jump in it,
// is known from the first answer), and the photos in slots by position, fetched page by page where the person looks.
import { create } from 'zustand';
import type { ApiError, GalleryDay, PhotoSummary } from '../../src-preload/api';
import { getClient } from '../client/client';

export const LIBRARY_PAGE_SIZE = 200;

interface LibraryState {
  days: GalleryDay[];
  /** One slot per photo in display order (newest first); undefined until its page has been fetched. */
  slots: (PhotoSummary | undefined)[];
  /** The photos fetched so far, in display order. */
  photos: PhotoSummary[];
  total: number;
  /** True until the first answer. */
  initialLoading: boolean;
  error: ApiError | null;
  selected: Set<number>;
  /** The last clicked photo, the anchor of a shift-click range. */
  anchorId: number | null;
  /** Positions the grid last showed, so a refresh fetches what is on screen. */
  visible: [number, number];
  reload(): Promise<void>;
  /** Fetches the pages holding positions from..to (inclusive) that are not loaded yet. */
  ensureLoaded(from: number, to: number): Promise<void>;
  toggle(id: number): void;
  selectRange(toId: number): void;
  selectAll(): void;
  clearSelection(): void;
  forget(ids: number[]): void;
}

const inFlight = new Map<number, Promise<void>>();
let generation = 0;

function loadedPhotos(slots: (PhotoSummary | undefined)[]): PhotoSummary[] {
  return slots.filter((slot): slot is PhotoSummary => slot !== undefined);
}

export const useLibrary = create<LibraryState>((set, get) => {
  function fetchPage(page: number) {
    return getClient().invoke('gallery.page', { page, pageSize: LIBRARY_PAGE_SIZE, sort: 'taken', order: 'desc' });
  }

  function pagesFor(from: number, to: number, slots: (PhotoSummary | undefined)[]): number[] {
    const pages: number[] = [];
    const last = Math.min(to, slots.length - 1);
    for (let page = Math.floor(Math.max(0, from) / LIBRARY_PAGE_SIZE); page * LIBRARY_PAGE_SIZE <= last; page++) {
      const start = page * LIBRARY_PAGE_SIZE;
      const end = Math.min(slots.length, start + LIBRARY_PAGE_SIZE);
      for (let i = start; i < end; i++) {
        if (!slots[i]) {
          pages.push(page + 1);
          break;
        }
      }
    }
    return pages;
  }

  async function loadPage(page: number): Promise<void> {
    const running = inFlight.get(page);
    if (running) return running;
    const mine = generation;
    const work = (async () => {
      const result = await fetchPage(page);
      if (mine !== generation) return;
      if (!result.ok) {
        set({ error: result.error });
        return;
      }
      const slots = [...get().slots];
      result.value.items.forEach((photo, i) => {
        const at = (page - 1) * LIBRARY_PAGE_SIZE + i;
        if (at < slots.length) slots[at] = photo;
      });
      set({ slots, photos: loadedPhotos(slots) });
    })().finally(() => inFlight.delete(page));
    inFlight.set(page, work);
    return work;
  }

  return {
    days: [],
    slots: [],
    photos: [],
    total: 0,
    initialLoading: true,
    error: null,
    selected: new Set(),
    anchorId: null,
    visible: [0, 0],

    async reload() {
      const client = getClient();
      // Every photo's shape comes with the days, so the justified layout places photos before their pages arrive.
      const [days, first] = await Promise.all([client.invoke('gallery.days', { aspects: true }), fetchPage(1)]);
      if (!days.ok || !first.ok) {
        set({ error: !first.ok ? first.error : !days.ok ? days.error : null, initialLoading: false });
        return;
      }
      generation++;
      inFlight.clear();
      const total = first.value.total;
      const slots: (PhotoSummary | undefined)[] = new Array(total);
      first.value.items.forEach((photo, i) => {
        if (i < total) slots[i] = photo;
      });
      const known = new Set(loadedPhotos(slots).map((photo) => photo.id));
      const selected = new Set([...get().selected].filter((id) => known.has(id) || get().photos.some((p) => p.id === id)));
      set({ days: days.value, slots, photos: loadedPhotos(slots), total, error: null, initialLoading: false, selected });
      const [from, to] = get().visible;
      await get().ensureLoaded(from, to);
    },

    async ensureLoaded(from, to) {
      set({ visible: [from, to] });
      await Promise.all(pagesFor(from, to, get().slots).map(loadPage));
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
      const { slots, days } = get();
      const kept: (PhotoSummary | undefined)[] = [];
      const nextDays = days.map((day) => ({ ...day, ...(day.aspects ? { aspects: [] as number[] } : {}) }));
      let dayIndex = 0;
      let dayEnd = nextDays[0]?.count ?? 0;
      for (let i = 0; i < slots.length; i++) {
        while (dayIndex < nextDays.length - 1 && i >= dayEnd) dayEnd += days[++dayIndex].count;
        const slot = slots[i];
        if (slot && gone.has(slot.id)) {
          if (nextDays[dayIndex]) nextDays[dayIndex].count--;
          continue;
        }
        // A day's shapes are by position within the day: the kept photos keep theirs, in order.
        nextDays[dayIndex]?.aspects?.push(days[dayIndex].aspects?.[i - (dayEnd - days[dayIndex].count)] ?? 0);
        kept.push(slot);
      }
      const selected = new Set([...get().selected].filter((id) => !gone.has(id)));
      set({ slots: kept, photos: loadedPhotos(kept), total: kept.length, days: nextDays.filter((day) => day.count > 0), selected });
    },
  };
});
