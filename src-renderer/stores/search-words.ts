// What a person said about the words of the current query: expansions they removed (chips), expansion switched off
// for it, or "search instead for" what they typed. It belongs to one query text and is forgotten when that changes.
import { create } from 'zustand';
import type { SearchRequest } from '../../src-preload/api';

interface SearchWordsState {
  /** The query these choices were made for. */
  forQuery: string;
  withoutExpansions: string[];
  expand: boolean | null;
  exact: boolean;
  removeExpansion(query: string, term: string): void;
  setExpand(query: string, expand: boolean): void;
  searchExactly(query: string): void;
}

export const useSearchWords = create<SearchWordsState>((set, get) => {
  const forQuery = (query: string) => (get().forQuery === query ? get() : { withoutExpansions: [], expand: null, exact: false });
  return {
    forQuery: '',
    withoutExpansions: [],
    expand: null,
    exact: false,
    removeExpansion: (query, term) => set({ ...forQuery(query), forQuery: query, withoutExpansions: [...forQuery(query).withoutExpansions, term] }),
    setExpand: (query, expand) => set({ ...forQuery(query), forQuery: query, expand }),
    searchExactly: (query) => set({ ...forQuery(query), forQuery: query, exact: true }),
  };
});

/** The request fields for `query`: the person's choices if they were made for this very text, else the defaults. */
export function searchWordsRequest(query: string, remember: boolean): Pick<SearchRequest, 'withoutExpansions' | 'expand' | 'correctSpelling' | 'remember'> {
  const state = useSearchWords.getState();
  const own = state.forQuery === query;
  return {
    ...(own && state.withoutExpansions.length ? { withoutExpansions: state.withoutExpansions } : {}),
    ...(own && state.expand !== null ? { expand: state.expand } : {}),
    ...(own && state.exact ? { correctSpelling: false } : {}),
    ...(remember ? { remember: true } : {}),
  };
}
