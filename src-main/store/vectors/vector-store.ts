// The vector store seam: every photo's global embedding and its crop embeddings, behind one small interface so
// the embedded store (usearch + SQLite in the data dir) and a Qdrant store are interchangeable and pass the same tests.

export interface PhotoVectors {
  /** Unit-length global embedding. */
  global: Float32Array;
  /** Unit-length crop embeddings (centre + 2×2 grid), or null while pass 2 has not embedded them yet. */
  crops: Float32Array[] | null;
}

export interface VectorMatch {
  id: number;
  /** Cosine similarity to the query. */
  similarity: number;
}

export interface GlobalUpsert {
  id: number;
  vector: Float32Array;
}

export interface CropUpsert {
  id: number;
  crops: Float32Array[];
}

/** Photo ids allowed in a result, or null/undefined for no restriction. */
export type IdFilter = ReadonlySet<number> | null | undefined;

/** What a photo's point carries beside its vectors on a store that filters by payload (Qdrant). */
export interface PhotoPayload {
  folderId: number;
  /** Date taken, or added when unknown, in ms since the epoch: what the date filters compare. */
  takenMs: number;
  /** Every person with a face in the photo. */
  personIds: number[];
}

/** The search filters as conditions on the points' payload, for stores whose payload the catalog keeps in step. */
export interface PayloadFilter {
  kind: 'payload';
  folderId?: number;
  /** Inclusive bounds on `takenMs`. */
  takenFromMs?: number;
  takenToMs?: number;
  /** Every one of these people appears. */
  personIds?: number[];
}

/** Either form a filter reaches a store in: the ids the catalog resolved, or payload conditions. */
export type VectorFilter = IdFilter | PayloadFilter;

export function isPayloadFilter(filter: VectorFilter): filter is PayloadFilter {
  return Boolean(filter) && !(filter instanceof Set) && (filter as PayloadFilter).kind === 'payload';
}

/** A store's side of keeping the catalog's filter fields on its points. */
export interface PayloadWriter {
  /** Writes the photos' payloads onto their points; returns the ids that had a point to write to. */
  write(payloads: ReadonlyMap<number, PhotoPayload>): Promise<Set<number>>;
  /** Up to `limit` ids, from `fromId` up in id order, of points that carry no payload yet (written by an older Glimpse). */
  withoutPayload(limit: number, fromId?: number): Promise<number[]>;
}

export interface VectorStore {
  readonly dimensions: number;
  /** One line for `glimpse doctor`: the kind of store and where it lives. */
  readonly description: string;
  /** Adds or replaces photos' global vectors (normalised on the way in); their crop vectors are kept. */
  upsertGlobals(items: GlobalUpsert[]): Promise<void>;
  /** Adds or replaces photos' crop vectors; each photo must already have a global vector. */
  upsertCrops(items: CropUpsert[]): Promise<void>;
  /** Removes photos' vectors; returns how many photos were present. */
  delete(ids: number[]): Promise<number>;
  get(id: number): Promise<PhotoVectors | null>;
  /** The stored vectors of the given photos; absent ids are simply missing from the map. */
  getMany(ids: number[]): Promise<Map<number, PhotoVectors>>;
  /**
   * Present on stores that filter by payload: then `search` and `rankedSearch` also take a PayloadFilter, which is only
   * correct while the catalog's payloads have all been written (see api/vector-payload-sync.ts).
   */
  readonly payloads?: PayloadWriter;
  /** The k photos whose global vectors are most similar to `query`, best first, restricted to `filter` when given. */
  search(query: Float32Array, k: number, filter?: VectorFilter): Promise<VectorMatch[]>;
  /** `search` for many queries at once (duplicate detection walks the whole library this way). */
  searchMany(queries: Float32Array[], k: number): Promise<VectorMatch[][]>;
  /**
   * Optional: recall on global vectors and crop re-rank in one step inside the store (Qdrant's prefetch + formula), the
   * same arithmetic as ranking.ts; each match's similarity is the fused score. Stores without it are re-ranked by the caller.
   */
  rankedSearch?(
    query: Float32Array,
    options: { recall: number; limit: number; globalWeight: number; localWeight: number; filter?: VectorFilter },
  ): Promise<VectorMatch[]>;
  /** Every stored photo's global vector, in id order, a page at a time. */
  scanGlobals(pageSize?: number): AsyncIterable<GlobalUpsert[]>;
  /** Photos with a global vector, and how many of them have crop vectors too. */
  count(): Promise<{ photos: number; withCrops: number }>;
  /** Makes everything written so far durable and fast to reopen. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Thrown for vectors or ids the store cannot accept; the message names the photo and the cause. */
export class VectorInputError extends Error {
  constructor(
    message: string,
    readonly photoId?: number,
  ) {
    super(message);
    this.name = 'VectorInputError';
  }
}

export function assertPhotoId(id: number): void {
  if (!Number.isSafeInteger(id) || id < 1) throw new VectorInputError(`photo id ${String(id)} is not a positive integer`);
}

/** A unit-length copy of `vector`, or a VectorInputError saying why it cannot be one (wrong size, NaN, all zeros). */
export function unitVector(vector: Float32Array, dimensions: number, what: string, photoId?: number): Float32Array {
  if (!(vector instanceof Float32Array)) throw new VectorInputError(`${what} is not a Float32Array`, photoId);
  if (vector.length !== dimensions) {
    throw new VectorInputError(`${what} has ${vector.length} dimensions; this store holds ${dimensions}-dimensional vectors`, photoId);
  }
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i] * vector[i];
  if (!Number.isFinite(norm)) throw new VectorInputError(`${what} contains NaN or infinite values`, photoId);
  if (norm === 0) throw new VectorInputError(`${what} is all zeros, so it has no direction to compare`, photoId);
  const out = new Float32Array(dimensions);
  const inverse = 1 / Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) out[i] = vector[i] * inverse;
  return out;
}
