// The vector store on a Qdrant server (single node or cluster), for libraries that outgrow the embedded index: the same
// VectorStore contract, with the global recall and the crop re-rank run inside Qdrant in one Query API call.
import { QdrantClient, QdrantClientTimeoutError } from '@qdrant/js-client-rest';
import {
  collectionMismatch,
  collectionNameFor,
  collectionSchema,
  allowsNothing,
  DEFAULT_QDRANT_COLLECTION_OPTIONS,
  PAYLOAD_INDEXES,
  payloadFields,
  payloadWrites,
  rankedQuery,
  RESCORED,
  vectorFilter,
  WITHOUT_PAYLOAD,
  type QdrantCollectionOptions,
  type RankedQueryOptions,
} from './qdrant-requests';
import {
  assertPhotoId,
  unitVector,
  VectorInputError,
  type CropUpsert,
  type GlobalUpsert,
  type PayloadWriter,
  type PhotoPayload,
  type PhotoVectors,
  type VectorFilter,
  type VectorMatch,
  type VectorStore,
} from './vector-store';

/**
 * Why the vector server could not answer, named so the Api can tell a person which server and what to do. `timeout`: it
 * took the connection but said nothing within the client's wait (a hung process, a stuck proxy).
 */
export class VectorServerError extends Error {
  override name = 'VectorServerError';
  constructor(
    message: string,
    readonly reason: 'unreachable' | 'timeout' | 'unauthorized' | 'mismatch' | 'failed',
  ) {
    super(message);
  }
}

/** A Qdrant URL a person typed, checked before any request: scheme, no path (the client adds its own), no credentials. */
export function parseQdrantUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new VectorServerError(`Qdrant URL "${raw}" is not a URL: give the server's address, like http://127.0.0.1:6333`, 'failed');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new VectorServerError(`Qdrant URL ${raw} uses ${url.protocol.slice(0, -1)}: Qdrant's REST API is http or https (like http://127.0.0.1:6333)`, 'failed');
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new VectorServerError(`Qdrant URL ${raw} has a path (${url.pathname}): give only the server's address, like ${url.protocol}//${url.host}`, 'failed');
  }
  if (url.username || url.password) {
    throw new VectorServerError(`Qdrant URL ${url.protocol}//${url.host} carries credentials: put the API key in GLIMPSE_QDRANT_API_KEY instead`, 'failed');
  }
  return url;
}

export interface QdrantStoreOptions {
  url: string;
  apiKey?: string | null;
  modelId: string;
  dimensions: number;
  collection?: Partial<Omit<QdrantCollectionOptions, 'dimensions'>>;
  /** Points per write request. */
  batchSize?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  /**
   * The catalog's filter fields of photos (folder, date, people), written on each point so filters run inside Qdrant.
   * Without it points carry no payload and the store filters by id only.
   */
  payloads?: (ids: number[]) => Promise<Map<number, PhotoPayload>>;
}

/** A point's vectors as the Query and Points APIs return them with `with_vector: true`. */
type StoredVectors = { global?: number[]; crops?: number[][] } | undefined;

function statusOf(error: unknown): number | null {
  // The client throws either its own "Unexpected Response: 403 …" error or the fetch layer's error carrying `status`.
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number') return status;
  const match = /Unexpected Response: (\d{3})/.exec(error instanceof Error ? error.message : '');
  return match ? Number(match[1]) : null;
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  // undici's own codes (UND_ERR_SOCKET, …) mean nothing to a person; its message ("other side closed") does.
  if (cause?.code?.startsWith('UND_ERR_') && cause.message) return cause.message;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message.split('\n')[0] : String(error));
}

export function clientFor(options: { url: string; apiKey?: string | null; timeoutMs?: number }): { client: QdrantClient; server: string } {
  const url = parseQdrantUrl(options.url);
  const server = `${url.protocol}//${url.host}`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const client = new QdrantClient({
    url: server,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    // Covers connecting, the headers and the whole body: the client aborts the request, so nothing waits longer.
    timeout: timeoutMs,
    checkCompatibility: false,
  });
  // The client's timeout error says only "This operation was aborted"; stamped with the wait, `guarded` can tell a
  // person how long the server stayed silent.
  const stamping = new Proxy(client, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.catch((error: unknown) => {
          if (error instanceof QdrantClientTimeoutError) Object.assign(error, { timeoutMs });
          throw error;
        });
      };
    },
  });
  return { client: stamping, server };
}

/**
 * What `glimpse doctor` reports: the server's version and the model collection's size, creating nothing. It waits at
 * most 5 s for each answer (less when the library waits less), so a silent server does not hold up the whole report.
 */
export async function probeQdrant(options: { url: string; apiKey?: string | null; timeoutMs?: number; modelId: string; collection?: string }) {
  const { client, server } = clientFor({ ...options, timeoutMs: Math.min(options.timeoutMs ?? 5_000, 5_000) });
  const collection = options.collection ?? collectionNameFor(options.modelId);
  const version = await guarded(server, 'reading its version', () => client.versionInfo());
  const exists = await guarded(server, `looking up collection ${collection}`, () => client.collectionExists(collection));
  const points = exists.exists ? (await guarded(server, `counting ${collection}`, () => client.count(collection, { exact: true }))).count : null;
  return { server, version: version.version, collection, points };
}

export class QdrantVectorStore implements VectorStore {
  readonly description: string;
  readonly payloads?: PayloadWriter;
  private readonly batchSize: number;

  private constructor(
    private readonly client: QdrantClient,
    private readonly server: string,
    readonly collection: string,
    readonly dimensions: number,
    readonly serverVersion: string,
    batchSize: number,
    private readonly payloadSource: QdrantStoreOptions['payloads'],
  ) {
    this.description = `Qdrant ${serverVersion} at ${server}, collection ${collection}`;
    this.batchSize = batchSize;
    if (payloadSource) this.payloads = { write: (payloads) => this.writePayloads(payloads), withoutPayload: (limit, fromId) => this.idsWithoutPayload(limit, fromId) };
  }

  /** Connects, then creates the model's collection (and its payload indexes) or checks that the existing one fits. */
  static async open(options: QdrantStoreOptions): Promise<QdrantVectorStore> {
    const { client, server } = clientFor(options);
    const name = collectionNameFor(options.modelId);
    const version = await openCollection(client, server, name, {
      mismatch: (vectors) => collectionMismatch(name, options.dimensions, vectors),
      schema: () => collectionSchema({ ...DEFAULT_QDRANT_COLLECTION_OPTIONS, ...options.collection, dimensions: options.dimensions }),
      payloadIndexes: PAYLOAD_INDEXES,
    });
    return new QdrantVectorStore(client, server, name, options.dimensions, version, options.batchSize ?? 256, options.payloads);
  }

  private call<T>(what: string, run: () => Promise<T>): Promise<T> {
    return guarded(this.server, what, run);
  }

  async upsertGlobals(items: GlobalUpsert[]): Promise<void> {
    const units = items.map(({ id, vector }) => {
      assertPhotoId(id);
      return { id, vector: [...unitVector(vector, this.dimensions, `photo ${id}'s global vector`, id)] };
    });
    for (let start = 0; start < units.length; start += this.batchSize) {
      const batch = units.slice(start, start + this.batchSize);
      const hasCrops = await this.cropState(batch.map((item) => item.id));
      // Upserting a point replaces all its vectors, so photos that already have crops only get their global replaced.
      const fresh = batch.filter((item) => hasCrops.get(item.id) !== true);
      const kept = batch.filter((item) => hasCrops.get(item.id) === true);
      if (fresh.length > 0) {
        const ids = fresh.map((item) => item.id);
        const payloads = (await this.payloadSource?.(ids)) ?? new Map<number, PhotoPayload>();
        await this.call('storing global vectors', () =>
          this.client.upsert(this.collection, {
            wait: true,
            points: fresh.map(({ id, vector }) => {
              const payload = payloads.get(id);
              return {
                id,
                // Until pass 2 embeds its crops, a photo's one "crop" is its global vector: max-sim then equals the global
                // score and the fused score stays the global one, as in the embedded ranking.
                vector: { global: vector, crops: [vector] },
                payload: { photo_id: id, has_crops: false, ...(payload ? payloadFields(payload) : {}) },
              };
            }),
          }),
        );
        await this.rewriteChangedPayloads(ids, payloads);
      }
      if (kept.length > 0) {
        await this.call('replacing global vectors', () =>
          this.client.updateVectors(this.collection, { wait: true, points: kept.map(({ id, vector }) => ({ id, vector: { global: vector } })) }),
        );
      }
    }
  }

  async upsertCrops(items: CropUpsert[]): Promise<void> {
    const units = items.map(({ id, crops }) => {
      assertPhotoId(id);
      if (!Array.isArray(crops) || crops.length === 0) throw new VectorInputError(`photo ${id} has no crop vectors to store`, id);
      return { id, crops: crops.map((crop, i) => [...unitVector(crop, this.dimensions, `photo ${id}'s crop ${i}`, id)]) };
    });
    for (let start = 0; start < units.length; start += this.batchSize) {
      const batch = units.slice(start, start + this.batchSize);
      const present = await this.cropState(batch.map((item) => item.id));
      const missing = batch.find((item) => !present.has(item.id));
      if (missing) throw new VectorInputError(`photo ${missing.id} has no global vector yet, so its crops cannot be stored`, missing.id);
      await this.call('storing crop vectors', () =>
        this.client.updateVectors(this.collection, { wait: true, points: batch.map(({ id, crops }) => ({ id, vector: { crops } })) }),
      );
      await this.call('marking photos with crops', () =>
        this.client.setPayload(this.collection, { wait: true, payload: { has_crops: true }, points: batch.map((item) => item.id) }),
      );
    }
  }

  async delete(ids: number[]): Promise<number> {
    ids.forEach(assertPhotoId);
    if (ids.length === 0) return 0;
    const present = await this.cropState(ids);
    if (present.size === 0) return 0;
    await this.call('removing vectors', () => this.client.delete(this.collection, { wait: true, points: [...present.keys()] }));
    return present.size;
  }

  async get(id: number): Promise<PhotoVectors | null> {
    return (await this.getMany([id])).get(id) ?? null;
  }

  async getMany(ids: number[]): Promise<Map<number, PhotoVectors>> {
    const out = new Map<number, PhotoVectors>();
    for (let start = 0; start < ids.length; start += this.batchSize) {
      const batch = ids.slice(start, start + this.batchSize).filter((id) => Number.isSafeInteger(id) && id > 0);
      if (batch.length === 0) continue;
      const points = await this.call('reading vectors', () =>
        this.client.retrieve(this.collection, { ids: batch, with_vector: ['global', 'crops'], with_payload: ['has_crops'] }),
      );
      for (const point of points) {
        const vectors = point.vector as StoredVectors;
        if (!vectors?.global) continue;
        const hasCrops = point.payload?.has_crops === true;
        out.set(Number(point.id), {
          global: Float32Array.from(vectors.global),
          crops: hasCrops && vectors.crops ? vectors.crops.map((crop) => Float32Array.from(crop)) : null,
        });
      }
    }
    return out;
  }

  async search(query: Float32Array, k: number, filter?: VectorFilter): Promise<VectorMatch[]> {
    if (allowsNothing(filter)) return [];
    const unit = unitVector(query, this.dimensions, 'the query vector');
    const result = await this.call('searching', () =>
      this.client.query(this.collection, { query: [...unit], using: 'global', limit: k, filter: vectorFilter(filter), params: RESCORED, with_payload: false }),
    );
    return result.points.map((point) => ({ id: Number(point.id), similarity: point.score }));
  }

  /** Recall on `global` and crop re-rank in one request; the similarity of each match is its fused score. */
  async rankedSearch(query: Float32Array, options: RankedQueryOptions): Promise<VectorMatch[]> {
    if (allowsNothing(options.filter)) return [];
    const unit = unitVector(query, this.dimensions, 'the query vector');
    const body = rankedQuery(unit, options);
    const result = await this.call('searching', () => this.client.query(this.collection, body as Parameters<QdrantClient['query']>[1]));
    return result.points.map((point) => ({ id: Number(point.id), similarity: point.score }));
  }

  async searchMany(queries: Float32Array[], k: number): Promise<VectorMatch[][]> {
    const out: VectorMatch[][] = [];
    for (let start = 0; start < queries.length; start += this.batchSize) {
      const batch = queries.slice(start, start + this.batchSize).map((q) => ({
        query: [...unitVector(q, this.dimensions, 'a query vector')],
        using: 'global',
        limit: k,
        params: RESCORED,
        with_payload: false,
      }));
      const results = await this.call('searching', () => this.client.queryBatch(this.collection, { searches: batch }));
      for (const result of results) out.push(result.points.map((point) => ({ id: Number(point.id), similarity: point.score })));
    }
    return out;
  }

  async *scanGlobals(pageSize = 1000): AsyncIterable<GlobalUpsert[]> {
    let offset: number | string | null | undefined;
    do {
      const page = await this.call('reading vectors', () =>
        this.client.scroll(this.collection, { limit: pageSize, with_vector: ['global'], with_payload: false, ...(offset !== undefined && offset !== null ? { offset } : {}) }),
      );
      const items = page.points
        .map((point) => ({ id: Number(point.id), vector: Float32Array.from((point.vector as StoredVectors)?.global ?? []) }))
        .filter((item) => item.vector.length === this.dimensions)
        .sort((a, b) => a.id - b.id);
      if (items.length > 0) yield items;
      offset = page.next_page_offset as number | string | null | undefined;
    } while (offset !== undefined && offset !== null);
  }

  async count(): Promise<{ photos: number; withCrops: number }> {
    const [all, cropped] = await Promise.all([
      this.call('counting vectors', () => this.client.count(this.collection, { exact: true })),
      this.call('counting vectors', () => this.client.count(this.collection, { exact: true, filter: { must: [{ key: 'has_crops', match: { value: true } }] } })),
    ]);
    return { photos: all.count, withCrops: cropped.count };
  }

  /** Every write waits for Qdrant to apply it, so there is nothing left to flush. */
  async flush(): Promise<void> {}

  async close(): Promise<void> {}

  /** Writes each photo's payload onto its point; photos without a point are left out and reported as such. */
  private async writePayloads(payloads: ReadonlyMap<number, PhotoPayload>): Promise<Set<number>> {
    const written = new Set<number>();
    const entries = [...payloads];
    for (let start = 0; start < entries.length; start += this.batchSize) {
      const batch = entries.slice(start, start + this.batchSize);
      // set_payload on a missing point fails the whole batch, so only points that exist are written.
      const present = await this.cropState(batch.map(([id]) => id));
      const writable = new Map(batch.filter(([id]) => present.has(id)));
      if (writable.size > 0) {
        await this.call('writing photo payloads', () => this.client.batchUpdate(this.collection, { wait: true, ...payloadWrites(writable) }));
      }
      for (const id of writable.keys()) written.add(id);
    }
    return written;
  }

  /**
   * The catalog may change between reading the payloads and the points landing (a face named meanwhile): reading them
   * again afterwards catches that, and any later change reaches the catalog's queue with the point already there.
   */
  private async rewriteChangedPayloads(ids: number[], written: Map<number, PhotoPayload>): Promise<void> {
    if (!this.payloadSource) return;
    const now = await this.payloadSource(ids);
    const changed = new Map([...now].filter(([id, payload]) => JSON.stringify(payload) !== JSON.stringify(written.get(id))));
    if (changed.size > 0) await this.writePayloads(changed);
  }

  private async idsWithoutPayload(limit: number, fromId?: number): Promise<number[]> {
    const page = await this.call('looking for points without payload', () =>
      this.client.scroll(this.collection, {
        limit,
        filter: WITHOUT_PAYLOAD,
        with_payload: false,
        with_vector: false,
        ...(fromId !== undefined ? { offset: fromId } : {}),
      }),
    );
    return page.points.map((point) => Number(point.id)).sort((a, b) => a - b);
  }

  /** For each id Qdrant holds: whether it has real crop vectors. */
  private async cropState(ids: number[]): Promise<Map<number, boolean>> {
    const points = await this.call('reading points', () =>
      this.client.retrieve(this.collection, { ids, with_vector: false, with_payload: ['has_crops'] }),
    );
    return new Map(points.map((point) => [Number(point.id), point.payload?.has_crops === true]));
  }
}

/**
 * Reads the server's version, then checks an existing collection against what the store needs (a one-line error
 * naming both when it does not fit: never recreated, which would drop the person's vectors) or creates it with its
 * payload indexes straight away — filterable HNSW only covers graph segments built after an index exists.
 */
export async function openCollection(
  client: QdrantClient,
  server: string,
  name: string,
  spec: {
    mismatch: (vectors: unknown) => string | null;
    schema: () => Parameters<QdrantClient['createCollection']>[1];
    payloadIndexes: ReadonlyArray<Parameters<QdrantClient['createPayloadIndex']>[1]>;
  },
): Promise<string> {
  const call = <T>(what: string, run: () => Promise<T>) => guarded(server, what, run);
  const version = await call('reading its version', () => client.versionInfo());
  const exists = await call(`looking up collection ${name}`, () => client.collectionExists(name));
  if (exists.exists) {
    const info = await call(`reading collection ${name}`, () => client.getCollection(name));
    const mismatch = spec.mismatch(info.config.params.vectors);
    if (mismatch) throw new VectorServerError(`${mismatch} (Qdrant at ${server})`, 'mismatch');
    // A collection made by an older Glimpse lacks the newer filter indexes; they cover segments built from now on.
    const indexed = new Set(Object.keys(info.payload_schema ?? {}));
    for (const index of spec.payloadIndexes.filter((candidate) => !indexed.has(candidate.field_name))) {
      await call(`indexing ${index.field_name} in ${name}`, () => client.createPayloadIndex(name, { ...index, wait: true }));
    }
  } else {
    const schema = spec.schema();
    await call(`creating collection ${name}`, () => client.createCollection(name, schema));
    for (const index of spec.payloadIndexes) {
      await call(`indexing ${index.field_name} in ${name}`, () => client.createPayloadIndex(name, { ...index, wait: true }));
    }
  }
  return version.version;
}

/** Runs one request, turning the client's failures into a VectorServerError naming the server, what it was doing and why. */
export async function guarded<T>(server: string, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof VectorServerError || error instanceof VectorInputError) throw error;
    if (error instanceof QdrantClientTimeoutError) {
      // Every client comes from clientFor, which stamps the wait on its timeout errors.
      const { timeoutMs } = error as QdrantClientTimeoutError & { timeoutMs: number };
      throw new VectorServerError(
        `Qdrant at ${server} did not answer within ${timeoutMs / 1000} s while ${what}: is the server overloaded or stuck? (GLIMPSE_QDRANT_TIMEOUT_MS sets how long to wait)`,
        'timeout',
      );
    }
    const status = statusOf(error);
    if (status === 401 || status === 403) {
      throw new VectorServerError(`Qdrant at ${server} refused the API key while ${what} (HTTP ${status}): check GLIMPSE_QDRANT_API_KEY`, 'unauthorized');
    }
    if (status !== null) {
      throw new VectorServerError(`Qdrant at ${server} failed while ${what}: HTTP ${status}`, 'failed');
    }
    const cause = causeOf(error);
    if (cause === 'bad port') {
      // Node's fetch never connects to ports the Fetch standard keeps for other protocols (6000, 6666, 10080, …).
      throw new VectorServerError(
        `Qdrant at ${server} cannot be reached while ${what}: Node's fetch refuses port ${new URL(server).port}, which the Fetch standard keeps for other protocols; run Qdrant on another port, like 6333`,
        'unreachable',
      );
    }
    throw new VectorServerError(`Qdrant at ${server} is unreachable (${cause}) while ${what}: is the server running?`, 'unreachable');
  }
}
