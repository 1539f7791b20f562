// The Similar view: the photo right-click → Find similar was asked about (pinned) and the photos like it.
import { create } from 'zustand';
import type { ApiError, PhotoSummary, SimilarResponse } from '../../src-preload/api';
import { getClient } from '../client/client';

interface SimilarState {
  source: PhotoSummary | null;
  status: 'idle' | 'loading' | 'done' | 'error';
  response: SimilarResponse | null;
  error: ApiError | null;
  find(source: PhotoSummary): Promise<void>;
  forget(ids: number[]): void;
}

let requestSerial = 0;

export const useSimilar = create<SimilarState>((set, get) => ({
  source: null,
  status: 'idle',
  response: null,
  error: null,
  async find(source) {
    const serial = ++requestSerial;
    set({ source, status: 'loading', response: null, error: null });
    const result = await getClient().invoke('search.similar', { id: source.id, limit: 100 });
    if (serial !== requestSerial) return;
    if (result.ok) set({ status: 'done', response: result.value });
    else set({ status: 'error', error: result.error });
  },
  forget(ids) {
    const gone = new Set(ids);
    const { source, response } = get();
    if (source && gone.has(source.id)) {
      set({ source: null, response: null, status: 'idle' });
      return;
    }
    if (response) set({ response: { ...response, hits: response.hits.filter((hit) => !gone.has(hit.photo.id)) } });
  },
}));
