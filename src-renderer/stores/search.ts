// The Search view's state: the query, its filters, the engine's answer (fetched with no cut-off, so the relevance
// slider can bring back hits it would have dropped) and the live temperature/cut-off applied on top of it.
import { create } from 'zustand';
import type { ApiError, SearchHit, SearchResponse } from '../../src-preload/api';
import { getClient } from '../client/client';
import { useDeepSearch } from './deep-search';
import { rescoreHits } from '../search/rescore';
import { useSearchHistory } from './search-history';
import { searchWordsRequest } from './search-words';

export const SEARCH_LIMIT = 200;
/** The most search.query returns in one answer. */
export const SEARCH_MAX_LIMIT = 500;

export interface SearchFiltersState {
  folderId: number | null;
  from: string;
  to: string;
  personIds: number[];
}

interface SearchState {
  query: string;
  filters: SearchFiltersState;
  status: 'idle' | 'loading' | 'done' | 'error';
  response: SearchResponse | null;
  error: ApiError | null;
  /** Live relevance controls; null until the first answer brings the engine's settings. */
  temperature: number | null;
  cutoff: number | null;
  explain: boolean;
  /** How many hits to ask for; "Show more" raises it. */
  limit: number;
  setQuery(query: string): void;
  more(): Promise<void>;
  setFilters(filters: Partial<SearchFiltersState>): void;
  setTemperature(value: number): void;
  setCutoff(value: number): void;
  setExplain(on: boolean): void;
  /** `remember`: the person submitted this search (Enter, a suggestion), so it goes into the history. */
  run(options?: { remember?: boolean }): Promise<void>;
  forget(ids: number[]): void;
}

let requestSerial = 0;
/** The last query the person submitted (Enter, a suggestion): a search of it run again is remembered too. */
let submittedQuery = '';
/** The query the latest run asked for, so the typing pause does not search again what was just searched. */
let lastRunQuery = '';

/** Whether `query` is what the latest search asked for (its answer is on screen or on its way). */
export function isLatestSearch(query: string): boolean {
  return query.trim() === lastRunQuery;
}

export const useSearch = create<SearchState>((set, get) => ({
  query: '',
  filters: { folderId: null, from: '', to: '', personIds: [] },
  status: 'idle',
  response: null,
  error: null,
  temperature: null,
  cutoff: null,
  explain: false,
  limit: SEARCH_LIMIT,
  setQuery: (query) => set({ query, limit: SEARCH_LIMIT }),
  async more() {
    set({ limit: Math.min(SEARCH_MAX_LIMIT, get().limit + SEARCH_LIMIT) });
    await get().run();
  },
  setFilters: (filters) => set({ filters: { ...get().filters, ...filters } }),
  setTemperature: (temperature) => set({ temperature }),
  setCutoff: (cutoff) => set({ cutoff }),
  setExplain: (explain) => set({ explain }),

  async run(options = {}) {
    const query = get().query.trim();
    lastRunQuery = query;
    if (!query) {
      set({ status: 'idle', response: null, error: null });
      return;
    }
    const serial = ++requestSerial;
    if (options.remember) submittedQuery = query;
    const { filters } = get();
    if (useDeepSearch.getState().enabled) return useDeepSearch.getState().run(query, filters, { remember: options.remember === true });
    set({ status: 'loading', error: null });
    const result = await getClient().invoke('search.query', {
      query,
      limit: get().limit,
      ranking: { cutoff: 0 },
      ...(filters.folderId !== null ? { folderId: filters.folderId } : {}),
      ...(filters.from ? { from: filters.from } : {}),
      ...(filters.to ? { to: filters.to } : {}),
      ...searchWordsRequest(query, options.remember === true),
      ...(filters.personIds.length ? { personIds: filters.personIds } : {}),
    });
    if (options.remember && result.ok) void useSearchHistory.getState().load();
    // A slower answer to an older query must not replace a newer one.
    if (serial !== requestSerial) return;
    if (!result.ok) {
      // The last answer belongs to another query: it must not stay on screen under this one's error.
      set({ status: 'error', error: result.error, response: null });
      return;
    }
    // The request asked for no cut-off; the person's saved cut-off is the slider's starting point.
    let cutoff = get().cutoff;
    if (cutoff === null) {
      const settings = await getClient().invoke('settings.get', undefined);
      if (serial !== requestSerial) return;
      cutoff = settings.ok ? settings.value.ranking.cutoff : 0;
    }
    set({
      status: 'done',
      response: result.value,
      temperature: get().temperature ?? result.value.ranking.temperature,
      cutoff,
    });
    if (result.value.spellingPending) void searchAgainOnceSpelled(query, serial);
  },

  forget(ids) {
    const response = get().response;
    if (!response) return;
    const gone = new Set(ids);
    set({ response: { ...response, hits: response.hits.filter((hit) => !gone.has(hit.photo.id)) } });
  },
}));

/**
 * A typo that found nothing while the spelling dictionary was still loading: spell check waits for the load, and
 * when it has a correction and the person has not searched for something else meanwhile, the search runs again.
 */
async function searchAgainOnceSpelled(query: string, serial: number): Promise<void> {
  const checked = await getClient().invoke('spell.check', { query });
  if (!checked.ok || checked.value.corrected === query) return;
  if (serial !== requestSerial || useSearch.getState().query.trim() !== query) return;
  await useSearch.getState().run({ remember: submittedQuery === query });
}

/** The hits to show: the engine's answer re-scored at the live temperature and filtered by the live cut-off. */
export function visibleHits(state: Pick<SearchState, 'response' | 'temperature' | 'cutoff'>): SearchHit[] {
  const { response } = state;
  if (!response) return [];
  return rescoreHits(
    response.hits,
    response.ranking.temperature,
    state.temperature ?? response.ranking.temperature,
    state.cutoff ?? 0,
  );
}
