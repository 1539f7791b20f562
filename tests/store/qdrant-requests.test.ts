// What the Qdrant store asks of a server, checked without one: the collection schema, the two-stage ranked query and
// its filters against the shapes of Qdrant's published API, and the formula against the embedded ranking arithmetic.
import type { Schemas } from '@qdrant/js-client-rest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scorePhoto } from '../../src-main/search/ranking';
import { dot, maxSimilarity } from '../../src-main/search/similarity';
import {
  collectionMismatch,
  collectionNameFor,
  collectionSchema,
  DEFAULT_QDRANT_COLLECTION_OPTIONS,
  evaluateFormula,
  idFilter,
  PAYLOAD_INDEXES,
  payloadWrites,
  rankedQuery,
  WITHOUT_PAYLOAD,
} from '../../src-main/store/vectors/qdrant-requests';
import { parseQdrantUrl, VectorServerError } from '../../src-main/store/vectors/qdrant-vector-store';
import { unitVector } from '../../src-main/store/vectors/vector-store';

const D = 6;

describe('Qdrant request bodies', () => {
  it('creates one collection per model with a dense "global" and a max-sim "crops" multivector without a graph', () => {
    const schema = collectionSchema({ ...DEFAULT_QDRANT_COLLECTION_OPTIONS, dimensions: 768 });
    expect(schema.vectors).toEqual({
      global: { size: 768, distance: 'Cosine', hnsw_config: { m: 16, ef_construct: 128 } },
      crops: { size: 768, distance: 'Cosine', multivector_config: { comparator: 'max_sim' }, hnsw_config: { m: 0 } },
    });
    expect(schema.quantization_config).toEqual({ scalar: { type: 'int8', quantile: 0.99, always_ram: true } });
    expect(schema.shard_number).toBe(1);
    expect(collectionSchema({ ...DEFAULT_QDRANT_COLLECTION_OPTIONS, dimensions: 8, quantization: 'none' })).not.toHaveProperty('quantization_config');
    expect(collectionNameFor('Xenova/siglip-base-patch16-224')).toBe('glimpse_Xenova_siglip-base-patch16-224');
  });

  it('asks for the global recall and the crop re-rank in one query, rescored on the original vectors, with the default for a missing crop score set explicitly', () => {
    const query = new Float32Array([1, 0, 0, 0, 0, 0]);
    const body: Schemas['QueryRequest'] = rankedQuery(query, { recall: 50, limit: 10, globalWeight: 0.7, localWeight: 0.3, filter: new Set([4, 9]) });
    const rescored = { quantization: { rescore: true } };
    const globalStage = { query: [1, 0, 0, 0, 0, 0], using: 'global', limit: 50, params: rescored, filter: { must: [{ has_id: [4, 9] }] } };
    expect(body).toEqual({
      prefetch: [globalStage, { prefetch: globalStage, query: [[1, 0, 0, 0, 0, 0]], using: 'crops', limit: 50, params: rescored }],
      query: { formula: { sum: [{ mult: [0.7, '$score[0]'] }, { mult: [0.3, '$score[1]'] }] }, defaults: { '$score[1]': 0 } },
      limit: 10,
      with_payload: false,
    });
    expect(rankedQuery(query, { recall: 5, limit: 5, globalWeight: 1, localWeight: 0 }).prefetch[0]).not.toHaveProperty('filter');
    expect(idFilter(null)).toBeUndefined();
  });

  it('indexes every filter field, writes each photo its own payload in one batch, and finds points written without one', () => {
    const indexes: Schemas['CreateFieldIndex'][] = [...PAYLOAD_INDEXES];
    expect(indexes.map((index) => [index.field_name, index.field_schema])).toEqual([
      ['has_crops', 'bool'],
      ['photo_id', 'integer'],
      ['folder_id', 'integer'],
      ['taken_ms', 'integer'],
      ['person_ids', 'integer'],
    ]);
    const writes: Schemas['UpdateOperations'] = payloadWrites(
      new Map([
        [7, { folderId: 2, takenMs: 1_700_000_000_000, personIds: [3, 4] }],
        [8, { folderId: 5, takenMs: 0, personIds: [] }],
      ]),
    );
    expect(writes).toEqual({
      operations: [
        { set_payload: { payload: { folder_id: 2, taken_ms: 1_700_000_000_000, person_ids: [3, 4] }, points: [7] } },
        { set_payload: { payload: { folder_id: 5, taken_ms: 0, person_ids: [] }, points: [8] } },
      ],
    });
    const missing: Schemas['Filter'] = WITHOUT_PAYLOAD;
    expect(missing).toEqual({ must: [{ is_empty: { key: 'folder_id' } }] });
  });

  it('puts payload conditions on the global recall of the ranked query, where the filterable graph applies them', () => {
    const body: Schemas['QueryRequest'] = rankedQuery(new Float32Array([0, 1, 0, 0, 0, 0]), {
      recall: 50,
      limit: 10,
      globalWeight: 0.7,
      localWeight: 0.3,
      filter: { kind: 'payload', folderId: 4, personIds: [9] },
    });
    const filter = { must: [{ key: 'folder_id', match: { value: 4 } }, { key: 'person_ids', match: { value: 9 } }] };
    expect((body.prefetch as Array<{ filter?: unknown }>)[0].filter).toEqual(filter);
    expect((body.prefetch as Array<{ prefetch: { filter?: unknown } }>)[1].prefetch.filter).toEqual(filter);
  });

  it('fuses exactly as the embedded ranking does, for photos with crops and for photos still without them', () => {
    const vector = fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: D, maxLength: D }).filter((v) => v.some((x) => Math.abs(x) > 1e-3));
    const unit = (v: number[]) => unitVector(Float32Array.from(v), D, 'a test vector');
    fc.assert(
      fc.property(vector, vector, fc.option(fc.array(vector, { minLength: 1, maxLength: 5 })), fc.float({ min: 0, max: 1, noNaN: true }), (q, g, crops, w) => {
        const query = unit(q);
        const global = unit(g);
        const cropVectors = crops ? crops.map(unit) : null;
        const ranking = { globalWeight: w, localWeight: 1 - w, temperature: 1, cutoff: 0 };
        const embedded = scorePhoto(query, { global, crops: cropVectors }, ranking, { logitScale: 10, logitBias: -5 });
        // What Qdrant scores: cosine on `global`, max-sim on `crops` — which holds the global vector until crops exist.
        const stored = cropVectors ?? [global];
        const body = rankedQuery(query, { recall: 50, limit: 50, globalWeight: ranking.globalWeight, localWeight: ranking.localWeight });
        const fused = evaluateFormula(body.query.formula, [dot(query, global), maxSimilarity(query, stored)], body.query.defaults);
        expect(fused).toBeCloseTo(embedded.final, 5);
      }),
      { numRuns: 300 },
    );
  });
});

describe('an existing collection is checked, never recreated', () => {
  const fits = {
    global: { size: 768, distance: 'Cosine' },
    crops: { size: 768, distance: 'Cosine', multivector_config: { comparator: 'max_sim' } },
  };

  it('accepts the collection Glimpse made', () => {
    expect(collectionMismatch('glimpse_m', 768, fits)).toBeNull();
  });

  it('names both sides when the size or distance differs', () => {
    expect(collectionMismatch('glimpse_m', 768, { ...fits, global: { size: 512, distance: 'Dot' } })).toBe(
      'Qdrant collection glimpse_m holds 512-dimensional Dot vectors, but this model needs 768-dimensional Cosine vectors',
    );
    expect(collectionMismatch('glimpse_m', 768, { size: 768, distance: 'Cosine' })).toMatch(/no named vector "global"/);
    expect(collectionMismatch('glimpse_m', 768, { global: fits.global })).toMatch(/no "crops" multivector of 768 Cosine dimensions/);
  });
});

describe('Qdrant URLs', () => {
  it('accepts a server address', () => {
    expect(parseQdrantUrl('http://127.0.0.1:6333').host).toBe('127.0.0.1:6333');
    expect(parseQdrantUrl('https://qdrant.example:443/').protocol).toBe('https:');
  });

  it.each([
    ['http://127.0.0.1:6333/collections', /has a path \(\/collections\): give only the server's address, like http:\/\/127\.0\.0\.1:6333/],
    ['postgres://127.0.0.1:6333', /uses postgres: Qdrant's REST API is http or https/],
    ['127.0.0.1:6333', /is not a URL: give the server's address, like http:\/\/127\.0\.0\.1:6333/],
    ['not a url', /is not a URL/],
    ['http://user:secret@127.0.0.1:6333', /carries credentials: put the API key in GLIMPSE_QDRANT_API_KEY/],
  ])('refuses %s with the reason', (raw, reason) => {
    expect(() => parseQdrantUrl(raw)).toThrow(VectorServerError);
    expect(() => parseQdrantUrl(raw)).toThrow(reason);
  });
});

describe('Qdrant collection settings', () => {
  it('come from the environment into the schema of a new collection', async () => {
    const { loadConfig } = await import('../../src-main/config');
    const config = loadConfig({
      env: { GLIMPSE_QDRANT_SHARDS: '6', GLIMPSE_QDRANT_REPLICAS: '2', GLIMPSE_QDRANT_QUANTIZATION: 'none', GLIMPSE_QDRANT_HNSW_M: '32', GLIMPSE_QDRANT_HNSW_EF_CONSTRUCT: '256' },
      overrides: { dataDir: '/tmp/glimpse-qdrant-settings' },
    });
    expect(config.qdrantCollection).toEqual({ shards: 6, replicas: 2, quantization: 'none', hnswM: 32, hnswEfConstruct: 256 });
    const schema = collectionSchema({ dimensions: 8, shardNumber: 6, replicationFactor: 2, quantization: 'none', hnswM: 32, hnswEfConstruct: 256 });
    expect(schema).toMatchObject({ shard_number: 6, replication_factor: 2, vectors: { global: { hnsw_config: { m: 32, ef_construct: 256 } } } });
    expect(loadConfig({ env: {}, overrides: { dataDir: '/tmp/glimpse-qdrant-settings' } }).qdrantCollection.hnswEfConstruct).toBe(128);
    expect(() => loadConfig({ env: { GLIMPSE_QDRANT_QUANTIZATION: 'pq' }, overrides: { dataDir: '/tmp/glimpse-qdrant-settings' } })).toThrow(/quantization/);
    expect(() => loadConfig({ env: { GLIMPSE_QDRANT_HNSW_EF_CONSTRUCT: '2' }, overrides: { dataDir: '/tmp/glimpse-qdrant-settings' } })).toThrow(/hnswEfConstruct/);
  });
});
