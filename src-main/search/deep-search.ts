// Deep search: photos found by words (what people wrote, text printed in them, captions, file and folder names)
// and by the image model, the two candidate lists fused into one. Each hit says which part found it and why, and
// the whole works with no model at all (words only) and with no caption yet.
import type { DeepSearchHit, DeepSearchRequest, DeepSearchResponse, QueryExpansion, SearchHit, SearchRequest, SearchResponse } from '../../src-preload/api';
import { queryTerms, type TextIndex } from '../store/text-index';
import { textAlternatives } from './deep-search-expansion';
import { DEFAULT_FUSION, DEFAULT_FUSION_WEIGHTS, fuse, type FusionMethod, type FusionWeights, type RankedEntry } from './fusion';
import type { SearchCatalog } from './ports';
import { SearchError } from './search-error';

export const DEFAULT_DEEP_LIMIT = 50;
const TEXT_CANDIDATES = 200;
/** The vector side takes the same query as a normal search, whose limit is this. */
const VECTOR_QUERY_CHARS = 500;

export interface VectorSearcher {
  readonly model: string;
  search(request: SearchRequest): Promise<SearchResponse>;
}

export interface DeepSearchOptions {
  textIndex: TextIndex;
  catalog: SearchCatalog;
  /** The image model's search, or null (with the reason) when there is none to use. */
  vectors: () => Promise<{ searcher: VectorSearcher | null; reason: string | null }>;
  fusion?: FusionMethod;
  weights?: FusionWeights;
  /** The related words a query would use under its switches (the `words.expand` setting, chips removed); none if absent. */
  expansions?: (request: Pick<DeepSearchRequest, 'query' | 'expand' | 'withoutExpansions'>) => Promise<QueryExpansion[]>;
}

export class DeepSearch {
  constructor(private readonly options: DeepSearchOptions) {}

  async search(request: DeepSearchRequest): Promise<DeepSearchResponse> {
    const started = performance.now();
    const query = typeof request.query === 'string' ? request.query.trim().replace(/\s+/g, ' ') : '';
    if (query === '') throw new SearchError('INVALID_INPUT', 'the search query is empty: type words or describe the photo', 'query');
    const limit = request.limit ?? DEFAULT_DEEP_LIMIT;
    const fusion = request.fusion ?? this.options.fusion ?? DEFAULT_FUSION;
    const notes: string[] = [];
    const filters = { folderId: request.folderId, from: request.from, to: request.to, personIds: request.personIds };

    const { terms, stopWords } = queryTerms(query);
    if (terms.length === 0) {
      notes.push(
        stopWords.length > 0
          ? `the words "${stopWords.join(' ')}" are too common to search the text for: only the image model ranked these photos`
          : 'the query has no words to search the text for: only the image model ranked these photos',
      );
    }
    const expanded = async () => {
      const related = terms.length > 0 && this.options.expansions
        ? await this.options.expansions({ query, expand: request.expand, withoutExpansions: request.withoutExpansions })
        : [];
      const { alternatives, used } = textAlternatives(terms, related);
      return { used, matches: await this.options.textIndex.search(terms, Math.max(TEXT_CANDIDATES, limit), alternatives) };
    };
    const [{ used: expansions, matches: textMatches }, allowed, vectorPart] = await Promise.all([
      expanded(),
      this.options.catalog.idsMatching(filters),
      this.vectorCandidates(query, filters, limit, notes),
    ]);
    const passes = (id: number) => allowed === null || allowed.has(id);
    const text: Array<RankedEntry & { alternative: number | null }> = textMatches
      .filter((m) => passes(m.id))
      .map((m, i) => ({ id: m.id, rank: i + 1, score: m.score, alternative: m.alternative }));
    const vectorHits = vectorPart.hits;
    const vector: RankedEntry[] = vectorHits.map((h, i) => ({ id: h.photo.id, rank: i + 1, score: h.score }));

    const fused = fuse(text, vector, fusion, this.options.weights ?? DEFAULT_FUSION_WEIGHTS);
    const rows = await this.options.catalog.photos(fused.slice(0, limit * 2).map((f) => f.id));
    const kept = fused.filter((f) => rows.get(f.id)?.status !== 'failed' && rows.has(f.id)).slice(0, limit);
    const textById = new Map(text.map((t) => [t.id, t]));
    const vectorById = new Map(vectorHits.map((h, i) => [h.photo.id, { hit: h, rank: i + 1 }]));
    const fields = await this.options.textIndex.matchedFields(
      terms,
      kept.filter((f) => textById.has(f.id)).map((f) => f.id),
      expansions.flatMap((e) => queryTerms(e.term).terms),
    );

    const hits: DeepSearchHit[] = kept.map(({ id, score }) => {
      const t = textById.get(id);
      const v = vectorById.get(id);
      return {
        photo: rows.get(id)!,
        score,
        text: t
          ? { rank: t.rank, score: t.score, fields: fields.get(id) ?? [], ...(t.alternative !== null ? { expansion: expansions[t.alternative]!.term } : {}) }
          : null,
        vector: v ? { rank: v.rank, score: v.hit.score, global: v.hit.global, local: v.hit.local } : null,
      };
    });
    return {
      query,
      hits,
      fusion,
      terms,
      expansions,
      textCandidates: text.length,
      vectorCandidates: vector.length,
      model: vectorPart.model,
      notes,
      tookMs: performance.now() - started,
    };
  }

  private async vectorCandidates(
    query: string,
    filters: Pick<SearchRequest, 'folderId' | 'from' | 'to' | 'personIds'>,
    limit: number,
    notes: string[],
  ): Promise<{ hits: SearchHit[]; model: string | null }> {
    const { searcher, reason } = await this.options.vectors();
    if (!searcher) {
      notes.push(reason ?? 'no image model is loaded: photos were found by their words alone');
      return { hits: [], model: null };
    }
    const defined = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
    try {
      const response = await searcher.search({ query: query.slice(0, VECTOR_QUERY_CHARS), limit, ...defined });
      return { hits: response.hits, model: searcher.model };
    } catch (error) {
      // The words still answer when the image side cannot (a query the model has no embedding for, a broken store).
      const why = error instanceof SearchError ? '' : ` (${error instanceof Error ? error.message : String(error)})`;
      notes.push(`the image model found nothing to compare with this query${why}: photos were found by their words alone`);
      return { hits: [], model: searcher.model };
    }
  }
}
