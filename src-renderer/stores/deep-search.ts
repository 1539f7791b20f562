// Deep search's state: whether the search bar asks for it, and its last answer (words and image model fused).
// Kept apart from the normal search store so each view shows exactly what its own request returned.
import { create } from 'zustand';
import type { ApiError, DeepSearchResponse } from '../../src-preload/api';
import { getClient } from '../client/client';
import { searchWordsRequest } from './search-words';
import { useSearchHistory } from './search-history';

export const DEEP_SEARCH_LIMIT = 200;

interface DeepSearchState {
  enabled: boolean;
  status: 'idle' | 'loading' | 'done' | 'error';
  response: DeepSearchResponse | null;
  error: ApiError | null;
  setEnabled(on: boolean): void;
  /** `remember`: the person submitted this search, so it goes into the history. */
  run(query: string, filters: { folderId: number | null; from: string; to: string; personIds: number[] }, options?: { remember?: boolean }): Promise<void>;
  forget(ids: number[]): void;
}

let requestSerial = 0;

/** The person's expansion choices for this query (chips removed, "only my words"): deep search has no spelling step. */
function expansionChoices(query: string) {
  const { expand, withoutExpansions } = searchWordsRequest(query, false);
  return { ...(expand !== undefined ? { expand } : {}), ...(withoutExpansions ? { withoutExpansions } : {}) };
}

export const useDeepSearch = create<DeepSearchState>((set, get) => ({
  enabled: false,
  status: 'idle',
  response: null,
  error: null,
  setEnabled: (enabled) => set({ enabled }),

  async run(query, filters, options = {}) {
    const trimmed = query.trim();
    if (!trimmed) {
      set({ status: 'idle', response: null, error: null });
      return;
    }
    const serial = ++requestSerial;
    set({ status: 'loading', error: null });
    const result = await getClient().invoke('search.deep', {
      query: trimmed,
      limit: DEEP_SEARCH_LIMIT,
      ...(filters.folderId !== null ? { folderId: filters.folderId } : {}),
      ...(filters.from ? { from: filters.from } : {}),
      ...(filters.to ? { to: filters.to } : {}),
      ...(filters.personIds.length ? { personIds: filters.personIds } : {}),
      ...expansionChoices(trimmed),
      ...(options.remember ? { remember: true } : {}),
    });
    if (options.remember && result.ok) void useSearchHistory.getState().load();
    if (serial !== requestSerial) return;
    if (result.ok) set({ status: 'done', response: result.value });
    else set({ status: 'error', error: result.error });
  },

  forget(ids) {
    const response = get().response;
    if (!response) return;
    const gone = new Set(ids);
    set({ response: { ...response, hits: response.hits.filter((hit) => !gone.has(hit.photo.id)) } });
  },
}));
