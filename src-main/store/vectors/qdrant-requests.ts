// The request bodies the Qdrant store sends, built by pure functions so they can be checked against Qdrant's published
// API shapes and against the embedded ranking arithmetic without a server.
import { isPayloadFilter, type PayloadFilter, type PhotoPayload, type VectorFilter } from './vector-store';

/** What a collection is made with; part of it is checked against an existing collection on start. */
export interface QdrantCollectionOptions {
  dimensions: number;
  /** HNSW graph degree of the global vector (Qdrant's default is 16). */
  hnswM: number;
  hnswEfConstruct: number;
  /** Scalar int8 quantization of the global vector, with rescoring on the originals (Qdrant's documented safe choice). */
  quantization: 'none' | 'int8';
  /** Cluster layout; 1/1 on a single node. */
  shardNumber: number;
  replicationFactor: number;
}

export const DEFAULT_QDRANT_COLLECTION_OPTIONS: Omit<QdrantCollectionOptions, 'dimensions'> = {
  hnswM: 16,
  hnswEfConstruct: 128,
  quantization: 'int8',
  shardNumber: 1,
  replicationFactor: 1,
};

/**
 * Payload fields every point carries, and the indexes created for them right after the collection: the search filters
 * (folder, date taken, people) run as indexed payload conditions inside Qdrant's filterable HNSW.
 */
export const PAYLOAD_INDEXES = [
  { field_name: 'has_crops', field_schema: 'bool' },
  { field_name: 'photo_id', field_schema: 'integer' },
  { field_name: 'folder_id', field_schema: 'integer' },
  { field_name: 'taken_ms', field_schema: 'integer' },
  { field_name: 'person_ids', field_schema: 'integer' },
] as const;

/** A photo's filter fields as its point's payload. */
export function payloadFields(payload: PhotoPayload) {
  return { folder_id: payload.folderId, taken_ms: payload.takenMs, person_ids: payload.personIds };
}

/** One request writing many photos' payloads (each its own values), merged into what the points already carry. */
export function payloadWrites(payloads: ReadonlyMap<number, PhotoPayload>) {
  return { operations: [...payloads].map(([id, payload]) => ({ set_payload: { payload: payloadFields(payload), points: [id] } })) };
}

/** Points written before their payload existed (by an older Glimpse): they have no `folder_id`. */
export const WITHOUT_PAYLOAD = { must: [{ is_empty: { key: 'folder_id' } }] };

/** Collections are per model, like the embedded store's folders: vectors of different models never mix. */
export function collectionNameFor(modelId: string): string {
  return `glimpse_${modelId.replace(/[^\w-]+/g, '_')}`;
}

/**
 * `global`: the photo's dense vector, searched through HNSW. `crops`: its crop vectors as one multivector compared by
 * max-sim; it only re-scores the global candidates, so it gets no graph (`m: 0`).
 */
export function collectionSchema(options: QdrantCollectionOptions) {
  return {
    vectors: {
      global: { size: options.dimensions, distance: 'Cosine' as const, hnsw_config: { m: options.hnswM, ef_construct: options.hnswEfConstruct } },
      crops: {
        size: options.dimensions,
        distance: 'Cosine' as const,
        multivector_config: { comparator: 'max_sim' as const },
        hnsw_config: { m: 0 },
      },
    },
    shard_number: options.shardNumber,
    replication_factor: options.replicationFactor,
    ...(options.quantization === 'int8' ? { quantization_config: { scalar: { type: 'int8' as const, quantile: 0.99, always_ram: true } } } : {}),
  };
}

/** The part of a collection's stored config that decides whether our vectors fit in it. */
export interface VectorParamsSeen {
  size?: number;
  distance?: string;
  multivector_config?: { comparator?: string } | null;
}

/**
 * Why an existing collection cannot hold this model's vectors, in one line naming both sides, or null when it fits.
 * A mismatch is never "fixed" by recreating the collection: that would delete a library's vectors.
 */
export function collectionMismatch(name: string, expectedDimensions: number, vectors: unknown): string | null {
  const named = (vectors && typeof vectors === 'object' ? vectors : {}) as Record<string, VectorParamsSeen | undefined>;
  const global = named.global;
  const crops = named.crops;
  if (!global || typeof global.size !== 'number') {
    return `Qdrant collection ${name} has no named vector "global": it was not made by Glimpse; choose another model or remove that collection yourself`;
  }
  if (global.size !== expectedDimensions || global.distance !== 'Cosine') {
    return `Qdrant collection ${name} holds ${global.size}-dimensional ${global.distance ?? 'unknown-distance'} vectors, but this model needs ${expectedDimensions}-dimensional Cosine vectors`;
  }
  if (!crops || crops.size !== expectedDimensions || crops.distance !== 'Cosine' || crops.multivector_config?.comparator !== 'max_sim') {
    return `Qdrant collection ${name} has no "crops" multivector of ${expectedDimensions} Cosine dimensions compared by max_sim, which Glimpse's crop re-rank needs`;
  }
  return null;
}

/** Restricts a query to the given photo ids (what the catalog's folder and date filters resolve to). */
export function idFilter(ids: ReadonlySet<number> | null | undefined) {
  if (!ids) return undefined;
  return { must: [{ has_id: [...ids] }] };
}

/**
 * The search filters as payload conditions, with the catalog's meaning: the photo's folder; its date taken (or added)
 * within inclusive bounds; and every listed person among its people — one `match` per person, since a match on an
 * array field holds when any element equals the value.
 */
export function payloadFilter(filter: PayloadFilter) {
  const must: object[] = [];
  if (filter.folderId !== undefined) must.push({ key: 'folder_id', match: { value: filter.folderId } });
  if (filter.takenFromMs !== undefined || filter.takenToMs !== undefined) {
    must.push({
      key: 'taken_ms',
      range: { ...(filter.takenFromMs !== undefined ? { gte: filter.takenFromMs } : {}), ...(filter.takenToMs !== undefined ? { lte: filter.takenToMs } : {}) },
    });
  }
  for (const person of new Set(filter.personIds ?? [])) must.push({ key: 'person_ids', match: { value: person } });
  return must.length > 0 ? { must } : undefined;
}

/** Either kind of filter as the body's `filter`. */
export function vectorFilter(filter: VectorFilter) {
  return isPayloadFilter(filter) ? payloadFilter(filter) : idFilter(filter);
}

/** An id filter that allows nothing: the query need not be sent. */
export function allowsNothing(filter: VectorFilter): boolean {
  return !isPayloadFilter(filter) && filter instanceof Set && filter.size === 0;
}

/**
 * Candidates found on int8 vectors are scored again on the originals, said outright rather than left to Qdrant's own
 * choice, so scores match the embedded path's (and ignored when the collection has no quantization).
 */
export const RESCORED = { quantization: { rescore: true } };

export interface RankedQueryOptions {
  /** Global candidates handed to the crop re-rank (the embedded path's recall size). */
  recall: number;
  limit: number;
  /** Already normalised to sum to 1 (ranking.resolveRanking). */
  globalWeight: number;
  localWeight: number;
  filter?: VectorFilter;
}

/**
 * The embedded path's two stages in one Query API call: prefetch the top `recall` photos on `global`, score the same
 * candidates by max-sim over `crops`, and fuse `globalWeight·global + localWeight·maxsim`. A photo without crop vectors
 * keeps its global vector as its one "crop" (see the store), so its fused score is its global score — exactly what the
 * embedded ranking does — and the explicit default only covers a point missing from the second prefetch.
 */
export function rankedQuery(query: Float32Array, options: RankedQueryOptions) {
  const vector = [...query];
  const filter = vectorFilter(options.filter);
  const globalStage = { query: vector, using: 'global', limit: options.recall, params: RESCORED, ...(filter ? { filter } : {}) };
  return {
    prefetch: [globalStage, { prefetch: globalStage, query: [vector], using: 'crops', limit: options.recall, params: RESCORED }],
    query: {
      formula: {
        sum: [{ mult: [options.globalWeight, '$score[0]'] }, { mult: [options.localWeight, '$score[1]'] }],
      },
      defaults: { '$score[1]': 0 },
    },
    limit: options.limit,
    with_payload: false,
  };
}

/** A Qdrant formula expression as `rankedQuery` writes them. */
type Expression = number | string | { sum: Expression[] } | { mult: Expression[] };

/**
 * Evaluates a formula the way Qdrant's reference defines `sum`, `mult` and `$score[i]` (used by the tests to prove the
 * formula is the embedded arithmetic, and by nothing at run time).
 */
export function evaluateFormula(expression: Expression, scores: (number | undefined)[], defaults: Record<string, number>): number {
  if (typeof expression === 'number') return expression;
  if (typeof expression === 'string') {
    const match = /^\$score\[(\d+)\]$/.exec(expression);
    if (!match) throw new Error(`formula variable ${expression} is not a prefetch score`);
    const value = scores[Number(match[1])] ?? defaults[expression];
    if (value === undefined) throw new Error(`${expression} has no score and no default`);
    return value;
  }
  if ('sum' in expression) return expression.sum.reduce<number>((total, part) => total + evaluateFormula(part, scores, defaults), 0);
  return expression.mult.reduce<number>((product, part) => product * evaluateFormula(part, scores, defaults), 1);
}
