// Face descriptors on a Qdrant server, for libraries whose vectors live there: the same VectorStore contract the embedded
// faces index keeps (one vector per face, no crops), with the face's photo as indexed payload.
import type { QdrantClient } from '@qdrant/js-client-rest';
import {
  FACE_PAYLOAD_INDEXES,
  FACE_VECTOR,
  faceCollectionMismatch,
  faceCollectionNameFor,
  faceCollectionSchema,
  faceNearestQuery,
  faceUpsert,
  type FacePlacement,
} from './qdrant-face-requests';
import { DEFAULT_QDRANT_COLLECTION_OPTIONS, type QdrantCollectionOptions } from './qdrant-requests';
import { clientFor, guarded, openCollection } from './qdrant-vector-store';
import {
  assertPhotoId,
  unitVector,
  VectorInputError,
  type GlobalUpsert,
  type IdFilter,
  type PhotoVectors,
  type VectorMatch,
  type VectorStore,
} from './vector-store';

export interface QdrantFaceStoreOptions {
  url: string;
  apiKey?: string | null;
  /** The face model's version: it names the collection. */
  faceModel: string;
  dimensions: number;
  collection?: Partial<Omit<QdrantCollectionOptions, 'dimensions'>>;
  /** The photo each face was found in, for the payload; the catalog knows, the store does not. */
  placements?: (faceIds: number[]) => Promise<Map<number, FacePlacement>>;
  /** Points per write request. */
  batchSize?: number;
  timeoutMs?: number;
}

type StoredFace = Record<string, number[] | undefined> | undefined;

export class QdrantFaceStore implements VectorStore {
  readonly description: string;

  private constructor(
    private readonly client: QdrantClient,
    private readonly server: string,
    readonly collection: string,
    readonly dimensions: number,
    private readonly placements: QdrantFaceStoreOptions['placements'],
    private readonly batchSize: number,
    serverVersion: string,
  ) {
    this.description = `Qdrant ${serverVersion} at ${server}, collection ${collection}`;
  }

  /** Connects, then creates the faces collection and its payload indexes, or checks that the existing one fits. */
  static async open(options: QdrantFaceStoreOptions): Promise<QdrantFaceStore> {
    const { client, server } = clientFor(options);
    const name = faceCollectionNameFor(options.faceModel);
    const version = await openCollection(client, server, name, {
      mismatch: (vectors) => faceCollectionMismatch(name, options.dimensions, vectors),
      schema: () => faceCollectionSchema({ ...DEFAULT_QDRANT_COLLECTION_OPTIONS, ...options.collection, dimensions: options.dimensions }),
      payloadIndexes: FACE_PAYLOAD_INDEXES,
    });
    return new QdrantFaceStore(client, server, name, options.dimensions, options.placements, options.batchSize ?? 256, version);
  }

  private call<T>(what: string, run: () => Promise<T>): Promise<T> {
    return guarded(this.server, what, run);
  }

  async upsertGlobals(items: GlobalUpsert[]): Promise<void> {
    const units = items.map(({ id, vector }) => {
      assertPhotoId(id);
      return { id, vector: [...unitVector(vector, this.dimensions, `face ${id}'s descriptor`, id)] };
    });
    for (let start = 0; start < units.length; start += this.batchSize) {
      const batch = units.slice(start, start + this.batchSize);
      const placed = (await this.placements?.(batch.map((item) => item.id))) ?? new Map<number, FacePlacement>();
      const body = faceUpsert(batch.map((item) => ({ ...item, placement: placed.get(item.id) })));
      await this.call('storing face descriptors', () => this.client.upsert(this.collection, body));
    }
  }

  upsertCrops(items: { id: number }[]): Promise<void> {
    return Promise.reject(new VectorInputError(`face ${items[0]?.id ?? '?'}: face descriptors have no crop vectors`, items[0]?.id));
  }

  async delete(ids: number[]): Promise<number> {
    ids.forEach(assertPhotoId);
    let removed = 0;
    for (let start = 0; start < ids.length; start += this.batchSize) {
      const batch = ids.slice(start, start + this.batchSize);
      const present = await this.call('reading faces', () => this.client.retrieve(this.collection, { ids: batch, with_vector: false, with_payload: false }));
      if (present.length === 0) continue;
      await this.call('removing face descriptors', () => this.client.delete(this.collection, { wait: true, points: present.map((p) => p.id) }));
      removed += present.length;
    }
    return removed;
  }

  async get(id: number): Promise<PhotoVectors | null> {
    return (await this.getMany([id])).get(id) ?? null;
  }

  async getMany(ids: number[]): Promise<Map<number, PhotoVectors>> {
    const out = new Map<number, PhotoVectors>();
    const valid = ids.filter((id) => Number.isSafeInteger(id) && id > 0);
    for (let start = 0; start < valid.length; start += this.batchSize) {
      const batch = valid.slice(start, start + this.batchSize);
      const points = await this.call('reading face descriptors', () =>
        this.client.retrieve(this.collection, { ids: batch, with_vector: [FACE_VECTOR], with_payload: false }),
      );
      for (const point of points) {
        const vector = (point.vector as StoredFace)?.[FACE_VECTOR];
        if (vector) out.set(Number(point.id), { global: Float32Array.from(vector), crops: null });
      }
    }
    return out;
  }

  async search(query: Float32Array, k: number, filter?: IdFilter): Promise<VectorMatch[]> {
    if (filter && filter.size === 0) return [];
    const body = faceNearestQuery([...unitVector(query, this.dimensions, 'the query descriptor')], k, filter);
    const result = await this.call('finding similar faces', () => this.client.query(this.collection, body));
    return result.points.map((point) => ({ id: Number(point.id), similarity: point.score }));
  }

  async searchMany(queries: Float32Array[], k: number): Promise<VectorMatch[][]> {
    const out: VectorMatch[][] = [];
    for (let start = 0; start < queries.length; start += this.batchSize) {
      const searches = queries.slice(start, start + this.batchSize).map((q) => faceNearestQuery([...unitVector(q, this.dimensions, 'a query descriptor')], k));
      const results = await this.call('finding similar faces', () => this.client.queryBatch(this.collection, { searches }));
      for (const result of results) out.push(result.points.map((point) => ({ id: Number(point.id), similarity: point.score })));
    }
    return out;
  }

  async *scanGlobals(pageSize = 1000): AsyncIterable<GlobalUpsert[]> {
    let offset: number | string | null | undefined;
    do {
      const page = await this.call('reading face descriptors', () =>
        this.client.scroll(this.collection, { limit: pageSize, with_vector: [FACE_VECTOR], with_payload: false, ...(offset !== undefined && offset !== null ? { offset } : {}) }),
      );
      const items = page.points
        .map((point) => ({ id: Number(point.id), vector: Float32Array.from((point.vector as StoredFace)?.[FACE_VECTOR] ?? []) }))
        .filter((item) => item.vector.length === this.dimensions)
        .sort((a, b) => a.id - b.id);
      if (items.length > 0) yield items;
      offset = page.next_page_offset as number | string | null | undefined;
    } while (offset !== undefined && offset !== null);
  }

  async count(): Promise<{ photos: number; withCrops: number }> {
    const all = await this.call('counting face descriptors', () => this.client.count(this.collection, { exact: true }));
    return { photos: all.count, withCrops: 0 };
  }

  /** Every write waits for Qdrant to apply it, so there is nothing left to flush. */
  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
