// Typing a query, refining it, paging back: the same text is embedded again and again, and the text tower costs
// ~90 ms on a CPU. An LRU of recent query embeddings, keyed by model, makes repeats free.
import { LRUCache } from 'lru-cache';
import type { TextEmbedder } from './ports';

export const DEFAULT_TEXT_CACHE_SIZE = 512;

export class CachedTextEmbedder {
  private readonly cache: LRUCache<string, Promise<Float32Array>>;

  constructor(
    readonly embedder: TextEmbedder,
    capacity = DEFAULT_TEXT_CACHE_SIZE,
  ) {
    this.cache = new LRUCache({ max: capacity });
  }

  /** The query's embedding; concurrent requests for the same text share one model run, and failures are not kept. */
  embed(query: string): Promise<Float32Array> {
    const key = `${this.embedder.modelId}\u0000${query}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const pending = this.embedder.embedText(query);
    this.cache.set(key, pending);
    pending.catch(() => {
      if (this.cache.get(key) === pending) this.cache.delete(key);
    });
    return pending;
  }

  get size(): number {
    return this.cache.size;
  }
}
