// The search engine the Api calls: text search (recall → crop re-rank → calibrate → cut-off), find similar and
// duplicates, wired over the vector store, the catalog and the model's embedders, all passed in.
import type {
  DuplicateGroup,
  PhotoSummary,
  RankingSettings,
  SearchFilters,
  SearchHit,
  SearchRequest,
  SearchResponse,
  SimilarRequest,
  SimilarResponse,
  TuneReport,
} from '../../src-preload/api';
import { unitVector, VectorInputError, type VectorFilter, type VectorStore } from '../store/vectors/vector-store';
import { findNearDuplicateGroups } from './near-duplicates';
import type { ImageEmbedder, SearchCatalog, TextEmbedder } from './ports';
import { applyCutoff, DEFAULT_RECALL_SIZE, rankCandidates, resolveRanking, type Calibration } from './ranking';
import { SearchError } from './search-error';
import { CachedTextEmbedder, DEFAULT_TEXT_CACHE_SIZE } from './text-embedding-cache';
import { tuneTable, type TuneOptions } from './tune';

export const DEFAULT_SEARCH_LIMIT = 50;
export const DEFAULT_SIMILAR_LIMIT = 50;
const MAX_LIMIT = 1000;

export interface SearchSettings {
  ranking: RankingSettings;
  nearDuplicateThreshold: number;
}

export interface SearchServiceOptions {
  vectors: VectorStore;
  catalog: SearchCatalog;
  textEmbedder: TextEmbedder;
  /** Needed only for "find similar" on a file outside the library. */
  imageEmbedder?: ImageEmbedder;
  /** Read on every call, so a settings change applies to the next search. */
  settings: () => SearchSettings;
  recallSize?: number;
  textCacheSize?: number;
}

export class SearchService {
  private readonly texts: CachedTextEmbedder;
  private readonly recallSize: number;

  constructor(private readonly options: SearchServiceOptions) {
    this.texts = new CachedTextEmbedder(options.textEmbedder, options.textCacheSize ?? DEFAULT_TEXT_CACHE_SIZE);
    this.recallSize = options.recallSize ?? DEFAULT_RECALL_SIZE;
  }

  get model(): string {
    return this.options.textEmbedder.modelId;
  }

  /** `queryVector` replaces the query's own embedding (an expanded query: see expansion-search.ts). */
  async search(request: SearchRequest, options: { queryVector?: Float32Array } = {}): Promise<SearchResponse> {
    const started = performance.now();
    const query = normalizeQuery(request.query);
    const limit = checkedLimit(request.limit, DEFAULT_SEARCH_LIMIT);
    const ranking = resolveRanking(request.ranking, this.options.settings().ranking);
    const [embedding, filter] = await Promise.all([options.queryVector ?? this.texts.embed(query), this.vectorFilterFor(request)]);
    // A query made only of words the model has no direction for matches nothing; that is an answer, not a fault.
    if (embedding.every((value) => value === 0)) {
      return { query, hits: [], candidates: 0, ranking, model: this.model, tookMs: performance.now() - started };
    }
    const queryVector = this.checkedQueryVector(embedding);
    const { candidates, ranked } = await this.recallAndRank(queryVector, Math.max(this.recallSize, limit), filter, ranking);
    const kept = applyCutoff(ranked, ranking.cutoff, limit);
    const rows = await this.options.catalog.photos(kept.map((candidate) => candidate.id));
    const hits: SearchHit[] = [];
    for (const { id, globalOnly, ...parts } of kept) {
      const photo = rows.get(id);
      if (photo) hits.push({ photo, ...parts, score: parts.calibrated, globalOnly });
    }
    return { query, hits, candidates, ranking, model: this.model, tookMs: performance.now() - started };
  }

  /** The model's embedding of each text, through the query cache; a text the model knows nothing of may be zero. */
  embedTexts(texts: string[]): Promise<Float32Array[]> {
    return Promise.all(texts.map((text) => this.texts.embed(text)));
  }

  /** Photos like a library photo (by id, or by a path inside the library) or like an outside image file. */
  async similar(request: SimilarRequest): Promise<SimilarResponse> {
    const started = performance.now();
    const limit = checkedLimit(request.limit, DEFAULT_SIMILAR_LIMIT);
    let sourceId: number | null = 'id' in request ? request.id : await this.options.catalog.idOfPath(request.path);
    let sourcePath = 'path' in request ? request.path : '';
    let vector: Float32Array;
    if (sourceId !== null) {
      const stored = await this.options.vectors.get(sourceId);
      const row = (await this.options.catalog.photos([sourceId])).get(sourceId);
      if (!row) throw new SearchError('NOT_FOUND', `photo ${sourceId} is not in the library`, String(sourceId));
      if (!stored) {
        throw new SearchError('NOT_FOUND', `photo ${sourceId} has no image embedding yet: it is still being indexed`, String(sourceId));
      }
      vector = stored.global;
      sourcePath = row.path;
    } else {
      if (!this.options.imageEmbedder) {
        throw new SearchError('MODEL_MISSING', 'finding photos similar to an outside file needs the image model, which is not loaded');
      }
      vector = await this.options.imageEmbedder.embedImageFile(sourcePath);
      sourceId = null;
    }
    const hits = await this.similarToVector(vector, { filters: request, limit, excludeId: sourceId ?? undefined });
    return { source: { id: sourceId, path: sourcePath }, hits, tookMs: performance.now() - started };
  }

  /**
   * Nearest photos to an image vector. Image-to-image cosine has no learned calibration, so every score part
   * is the cosine itself (clamped to 0..1 for `calibrated`/`score`) and `local` is null.
   */
  async similarToVector(
    vector: Float32Array,
    options: { filters?: SearchFilters; limit?: number; excludeId?: number } = {},
  ): Promise<SearchHit[]> {
    const limit = checkedLimit(options.limit, DEFAULT_SIMILAR_LIMIT);
    const unit = this.checkedQueryVector(vector);
    const filter = await this.vectorFilterFor(options.filters ?? {});
    const matches = (await this.options.vectors.search(unit, limit + 1, filter))
      .filter((match) => match.id !== options.excludeId)
      .slice(0, limit);
    const rows = await this.options.catalog.photos(matches.map((match) => match.id));
    const hits: SearchHit[] = [];
    for (const { id, similarity } of matches) {
      const photo = rows.get(id);
      if (!photo) continue;
      const score = Math.min(1, Math.max(0, similarity));
      hits.push({ photo, global: similarity, local: null, final: similarity, calibrated: score, score, globalOnly: false });
    }
    return hits;
  }

  /** Exact groups (same content under several paths) first, then near-duplicate groups, closest first. */
  async duplicates(options: { threshold?: number } = {}): Promise<DuplicateGroup[]> {
    const threshold = options.threshold ?? this.options.settings().nearDuplicateThreshold;
    const [exact, near] = await Promise.all([
      this.options.catalog.exactDuplicates(),
      findNearDuplicateGroups(this.options.vectors, threshold),
    ]);
    const rows = await this.options.catalog.photos(near.flatMap((group) => group.ids));
    const groups: DuplicateGroup[] = exact.map(({ photo, copies }) => ({ kind: 'exact', photos: [photo], copies, similarity: 1 }));
    for (const group of near) {
      const photos = group.ids.map((id) => rows.get(id)).filter((row): row is PhotoSummary => row !== undefined);
      if (photos.length > 1) groups.push({ kind: 'near', photos, copies: [], similarity: group.similarity });
    }
    return groups;
  }

  /** The score table of `glimpse tune`: the recalled candidates under several weightings and temperatures. */
  async tune(queryText: string, options: TuneOptions = {}): Promise<TuneReport> {
    const query = normalizeQuery(queryText);
    const current = resolveRanking(undefined, this.options.settings().ranking);
    const queryVector = await this.embedQuery(query);
    const matches = await this.options.vectors.search(queryVector, this.recallSize);
    const candidates = await this.options.vectors.getMany(matches.map((match) => match.id));
    const rows = await this.options.catalog.photos([...candidates.keys()]);
    const paths = new Map([...rows].map(([id, row]) => [id, row.path]));
    return tuneTable({ query, model: this.model, queryVector, candidates, paths, current, calibration: this.calibration(), options });
  }

  private calibration(): Calibration {
    const { logitScale, logitBias } = this.options.textEmbedder;
    return { logitScale, logitBias };
  }

  private async recallAndRank(
    queryVector: Float32Array,
    recall: number,
    filter: VectorFilter,
    ranking: RankingSettings,
  ) {
    const { vectors } = this.options;
    // A store that re-ranks inside itself hands back the same candidates the re-rank below would keep, best first.
    const matches = vectors.rankedSearch
      ? await vectors.rankedSearch(queryVector, { recall, limit: recall, globalWeight: ranking.globalWeight, localWeight: ranking.localWeight, filter })
      : await vectors.search(queryVector, recall, filter);
    const stored = await this.options.vectors.getMany(matches.map((match) => match.id));
    return { candidates: stored.size, ranked: rankCandidates(queryVector, stored, ranking, this.calibration()) };
  }

  private async embedQuery(query: string): Promise<Float32Array> {
    return this.checkedQueryVector(await this.texts.embed(query));
  }

  private checkedQueryVector(vector: Float32Array): Float32Array {
    try {
      return unitVector(vector, this.options.vectors.dimensions, `the ${this.model} embedding`);
    } catch (error) {
      if (error instanceof VectorInputError) throw new SearchError('INTERNAL', `${error.message} (model and vector store disagree)`);
      throw error;
    }
  }

  private async vectorFilterFor(filters: SearchFilters): Promise<VectorFilter> {
    const { folderId, from, to, personIds } = filters;
    if (folderId === undefined && from === undefined && to === undefined && !personIds?.length) return null;
    if (folderId !== undefined && (!Number.isSafeInteger(folderId) || folderId < 1)) {
      throw new SearchError('INVALID_INPUT', `folderId must be a positive integer, got ${String(folderId)}`, 'folderId');
    }
    for (const [field, value] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (value !== undefined && Number.isNaN(Date.parse(value))) {
        throw new SearchError('INVALID_INPUT', `${field} must be an ISO date such as 2024-06-30, got "${value}"`, field);
      }
    }
    if (from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to)) {
      throw new SearchError('INVALID_INPUT', `the date range starts (${from}) after it ends (${to})`, 'from');
    }
    const checked = { folderId, from, to, ...(personIds?.length ? { personIds } : {}) };
    const { catalog } = this.options;
    return catalog.vectorFilter ? catalog.vectorFilter(checked) : catalog.idsMatching(checked);
  }
}

function normalizeQuery(query: string): string {
  const normalized = typeof query === 'string' ? query.trim().replace(/\s+/g, ' ') : '';
  if (normalized === '') throw new SearchError('INVALID_INPUT', 'the search query is empty: describe what the photo shows', 'query');
  return normalized;
}

function checkedLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new SearchError('INVALID_INPUT', `limit must be a whole number from 1 to ${MAX_LIMIT}, got ${String(limit)}`, 'limit');
  }
  return limit;
}
