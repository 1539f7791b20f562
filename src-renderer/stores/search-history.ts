// Recent and pinned searches as the dropdown and the sidebar show them, refreshed after every change so both agree.
import { create } from 'zustand';
import type { ApiError, SearchHistoryEntry } from '../../src-preload/api';
import { getClient } from '../client/client';

interface SearchHistoryState {
  entries: SearchHistoryEntry[];
  error: ApiError | null;
  load(): Promise<void>;
  pin(query: string, pinned: boolean): Promise<void>;
  remove(query: string): Promise<void>;
  clear(includingPinned: boolean): Promise<void>;
}

export const useSearchHistory = create<SearchHistoryState>((set) => {
  const apply = (result: { ok: true; value: SearchHistoryEntry[] } | { ok: false; error: ApiError }) =>
    set(result.ok ? { entries: result.value, error: null } : { error: result.error });
  return {
    entries: [],
    error: null,
    load: async () => apply(await getClient().invoke('history.list', undefined)),
    pin: async (query, pinned) => apply(await getClient().invoke('history.pin', { query, pinned })),
    remove: async (query) => apply(await getClient().invoke('history.remove', { query })),
    clear: async (includingPinned) => apply(await getClient().invoke('history.clear', { includingPinned })),
  };
});
