// What the faces collection asks of a Qdrant server, checked without one: the bodies against the types of Qdrant's
// published OpenAPI schema (as the client ships them), and the order and batching of requests seen by a loopback server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Schemas } from '@qdrant/js-client-rest';
import { afterEach, describe, expect, it } from 'vitest';
import { GlimpseError } from '../../src-main/errors';
import { deferringWhileServerAway } from '../../src-main/api/embedding-stages';
import { faceVectorBackendCheck, vectorServerError } from '../../src-main/api/vector-backend';
import { loadConfig } from '../../src-main/config';
import { StageDeferredError, type StageContext } from '../../src-main/library/pipeline-stage';
import {
  faceCollectionMismatch,
  faceCollectionNameFor,
  faceCollectionSchema,
  faceNearestQuery,
  faceUpsert,
} from '../../src-main/store/vectors/qdrant-face-requests';
import { QdrantFaceStore } from '../../src-main/store/vectors/qdrant-face-store';
import { VectorServerError } from '../../src-main/store/vectors/qdrant-vector-store';
import { DEFAULT_QDRANT_COLLECTION_OPTIONS } from '../../src-main/store/vectors/qdrant-requests';
import type { ImageRow } from '../../src-main/store/schema';

describe('faces collection request bodies', () => {
  it('one named cosine "face" vector per point, with the collection settings photos use', () => {
    const schema: Schemas['CreateCollection'] = faceCollectionSchema({ ...DEFAULT_QDRANT_COLLECTION_OPTIONS, dimensions: 1024, shardNumber: 3 });
    expect(schema).toEqual({
      vectors: { face: { size: 1024, distance: 'Cosine', hnsw_config: { m: 16, ef_construct: 128 } } },
      shard_number: 3,
      replication_factor: 1,
      quantization_config: { scalar: { type: 'int8', quantile: 0.99, always_ram: true } },
    });
    expect(faceCollectionNameFor('human 3.3.6/faceres')).toBe('glimpse_faces_human_3_3_6_faceres');
  });

  it('point ids are face ids, and each carries only its photo: a person is the catalog\'s, which clustering and decisions change', () => {
    const body: Schemas['PointInsertOperations'] = faceUpsert([
      { id: 7, vector: [1, 0], placement: { photoId: 3 } },
      { id: 8, vector: [0, 1], placement: undefined },
    ]);
    expect(body).toEqual({
      wait: true,
      points: [
        { id: 7, vector: { face: [1, 0] }, payload: { face_id: 7, photo_id: 3 } },
        { id: 8, vector: { face: [0, 1] }, payload: { face_id: 8, photo_id: null } },
      ],
    });
  });

  it('nearest faces use the named vector, rescored on the original descriptors, restricted to given ids only when asked', () => {
    const restricted: Schemas['QueryRequest'] = faceNearestQuery([1, 0], 5, new Set([4, 9]));
    expect(restricted).toEqual({
      query: [1, 0],
      using: 'face',
      limit: 5,
      params: { quantization: { rescore: true } },
      with_payload: false,
      filter: { must: [{ has_id: [4, 9] }] },
    });
    expect(faceNearestQuery([1, 0], 5)).not.toHaveProperty('filter');
  });

  it('an existing collection of the wrong size or distance is one line naming both', () => {
    expect(faceCollectionMismatch('glimpse_faces_m', 1024, { face: { size: 1024, distance: 'Cosine' } })).toBeNull();
    expect(faceCollectionMismatch('glimpse_faces_m', 1024, { face: { size: 512, distance: 'Euclid' } })).toBe(
      'Qdrant collection glimpse_faces_m holds 512-dimensional Euclid vectors, but face descriptors need 1024-dimensional Cosine vectors',
    );
    expect(faceCollectionMismatch('glimpse_faces_m', 1024, { size: 1024, distance: 'Cosine' })).toMatch(/has no named vector "face": it was not made by Glimpse/);
  });
});

interface Seen {
  method: string;
  url: string;
  body: unknown;
}

/** A loopback server answering with the response shapes of Qdrant's API reference, recording every request. */
async function qdrantLike(options: { existing?: unknown; failWrites?: boolean } = {}) {
  const seen: Seen[] = [];
  const ok = (result: unknown) => ({ status: 200, body: { result, status: 'ok', time: 0 } });
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const url = req.url ?? '';
      seen.push({ method: req.method ?? '', url, body: raw ? JSON.parse(raw) : null });
      let answer: { status: number; body: unknown };
      if (url === '/') answer = { status: 200, body: { title: 'qdrant - vector search engine', version: '1.19.0' } };
      else if (url.endsWith('/exists')) answer = ok({ exists: options.existing !== undefined });
      else if (url.endsWith('/points/count')) answer = ok({ count: 42 });
      else if (req.method === 'GET') answer = ok({ status: 'green', optimizer_status: 'ok', segments_count: 1, config: { params: { vectors: options.existing } }, payload_schema: {} });
      else if (options.failWrites && url.includes('/points')) {
        req.socket.destroy();
        return;
      } else answer = ok(req.method === 'PUT' && !url.includes('/points') && !url.includes('/index') ? true : { operation_id: seen.length, status: 'completed' });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    seen,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the faces collection on a server', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  it('is created, then its photo payload index, before any face is written; upserts go in batches', async () => {
    const server = await qdrantLike();
    close = server.close;
    const placements = async (ids: number[]) => new Map(ids.map((id) => [id, { photoId: 100 + Math.ceil(id / 2) }]));
    const store = await QdrantFaceStore.open({ url: server.url, faceModel: 'human-3.3.6', dimensions: 4, placements, batchSize: 2, collection: { quantization: 'none' } });
    await store.upsertGlobals([1, 2, 3, 4, 5].map((id) => ({ id, vector: new Float32Array([id, 0, 0, 0]) })));
    const writes = server.seen.filter((request) => request.method !== 'GET');
    expect(writes.map((request) => `${request.method} ${request.url.split('?')[0]}`)).toEqual([
      'PUT /collections/glimpse_faces_human-3_3_6',
      'PUT /collections/glimpse_faces_human-3_3_6/index',
      'PUT /collections/glimpse_faces_human-3_3_6/points',
      'PUT /collections/glimpse_faces_human-3_3_6/points',
      'PUT /collections/glimpse_faces_human-3_3_6/points',
    ]);
    expect(writes[0].body).toEqual({ vectors: { face: { size: 4, distance: 'Cosine', hnsw_config: { m: 16, ef_construct: 128 } } }, shard_number: 1, replication_factor: 1 });
    expect(writes[1].body).toEqual({ field_name: 'photo_id', field_schema: 'integer' });
    const points = writes.slice(2).map((request) => (request.body as { points: Array<{ id: number; payload: unknown; vector: { face: number[] } }> }).points);
    expect(points.map((batch) => batch.map((p) => p.id))).toEqual([[1, 2], [3, 4], [5]]);
    expect(points[0][0]).toEqual({ id: 1, vector: { face: [1, 0, 0, 0] }, payload: { face_id: 1, photo_id: 101 } });
    expect(points[2][0].payload).toEqual({ face_id: 5, photo_id: 103 });
  });

  it('an existing collection that does not fit is a one-line error naming both sides, and nothing is written', async () => {
    const server = await qdrantLike({ existing: { face: { size: 512, distance: 'Cosine' } } });
    close = server.close;
    await expect(QdrantFaceStore.open({ url: server.url, faceModel: 'human-3.3.6', dimensions: 1024 })).rejects.toThrow(
      `Qdrant collection glimpse_faces_human-3_3_6 holds 512-dimensional Cosine vectors, but face descriptors need 1024-dimensional Cosine vectors (Qdrant at ${server.url})`,
    );
    expect(server.seen.every((request) => request.method === 'GET')).toBe(true);
  });

  it('glimpse doctor names the faces collection, its server and size, or that it is not made yet', async () => {
    const server = await qdrantLike({ existing: { face: { size: 1024, distance: 'Cosine' } } });
    close = server.close;
    const config = loadConfig({ env: { GLIMPSE_QDRANT_URL: server.url }, overrides: { dataDir: '/tmp/glimpse-face-doctor' } });
    expect(await faceVectorBackendCheck(config, 'human-3.3.6')).toEqual({
      name: 'face vectors',
      ok: true,
      detail: `Qdrant 1.19.0 at ${server.url}, reachable; collection glimpse_faces_human-3_3_6: 42 face(s)`,
    });
    const fresh = await qdrantLike();
    try {
      const freshConfig = loadConfig({ env: { GLIMPSE_QDRANT_URL: fresh.url }, overrides: { dataDir: '/tmp/glimpse-face-doctor' } });
      expect((await faceVectorBackendCheck(freshConfig, 'human-3.3.6')).detail).toBe(`Qdrant 1.19.0 at ${fresh.url}, reachable; collection glimpse_faces_human-3_3_6 not created yet`);
      expect(fresh.seen.every((request) => request.method === 'GET')).toBe(true);
    } finally {
      await fresh.close();
    }
    const embedded = await faceVectorBackendCheck(loadConfig({ env: {}, overrides: { dataDir: '/tmp/glimpse-face-doctor' } }), 'human-3.3.6');
    expect(embedded.detail).toBe('embedded (usearch HNSW + SQLite) in /tmp/glimpse-face-doctor/vectors/faces__human-3.3.6');
  });

  it('a server that goes away mid-import defers the faces stage instead of failing the photo', async () => {
    const server = await qdrantLike({ failWrites: true });
    close = server.close;
    const store = await QdrantFaceStore.open({ url: server.url, faceModel: 'human-3.3.6', dimensions: 4, timeoutMs: 2_000 });
    const write = store.upsertGlobals([{ id: 1, vector: new Float32Array([1, 0, 0, 0]) }]);
    await expect(write).rejects.toMatchObject({ name: 'VectorServerError', reason: 'unreachable' });
    await expect(write).rejects.toThrow(`Qdrant at ${server.url} is unreachable`);
    const facesStage = deferringWhileServerAway({
      name: 'faces',
      pass: 2,
      version: 'human-3.3.6',
      run: async () => {
        await store.upsertGlobals([{ id: 1, vector: new Float32Array([1, 0, 0, 0]) }]);
        return 'done';
      },
    });
    const run = facesStage.run({ id: 1 } as ImageRow, {} as StageContext);
    await expect(run).rejects.toBeInstanceOf(StageDeferredError);
    await expect(run).rejects.toThrow(`Qdrant at ${server.url} is unreachable`);
  });

  it('a server that starts refusing the key or failing writes mid-import defers the stage too: no photo is at fault', async () => {
    for (const failure of [
      new VectorServerError('Qdrant at http://127.0.0.1:6333 refused the API key while storing face descriptors (HTTP 403): check GLIMPSE_QDRANT_API_KEY', 'unauthorized'),
      new VectorServerError('Qdrant at http://127.0.0.1:6333 failed while storing face descriptors: HTTP 503', 'failed'),
    ]) {
      const stage = deferringWhileServerAway({ name: 'faces', pass: 2, version: 'v', run: () => Promise.reject(failure) });
      const run = stage.run({ id: 1 } as ImageRow, {} as StageContext);
      await expect(run).rejects.toBeInstanceOf(StageDeferredError);
      await expect(run).rejects.toThrow(failure.message);
    }
  });

  it('a collection that does not fit the model defers the stage as lasting (glimpse index is told), a server that is away does not', async () => {
    const mismatch = new VectorServerError('collection glimpse_faces holds 512-d cosine vectors but human-3.3.6 makes 1024-d ones (Qdrant at http://127.0.0.1:6333)', 'mismatch');
    const away = new VectorServerError('Qdrant at http://127.0.0.1:6333 is unreachable (ECONNREFUSED) while opening: is the server running?', 'unreachable');
    // The store's open wraps the server's error for the Api (vectorServerError); the kind must survive that.
    for (const [failure, lasting] of [[mismatch, true], [vectorServerError(mismatch), true], [away, false], [vectorServerError(away), false]] as const) {
      const stage = deferringWhileServerAway({ name: 'faces', pass: 2, version: 'v', run: () => Promise.reject(failure) });
      const run = stage.run({ id: 1 } as ImageRow, {} as StageContext);
      await expect(run).rejects.toBeInstanceOf(StageDeferredError);
      await expect(run).rejects.toMatchObject({ lasting, message: (failure as Error).message });
    }
  });

  it('a photo that is bad still fails its faces stage: only a server that is away defers it', async () => {
    const failing = deferringWhileServerAway({
      name: 'faces',
      pass: 2,
      version: 'v',
      run: () => Promise.reject(new GlimpseError('INVALID_INPUT', 'not a picture')),
    });
    await expect(failing.run({ id: 1 } as ImageRow, {} as StageContext)).rejects.toThrow('not a picture');
    await expect(failing.run({ id: 1 } as ImageRow, {} as StageContext)).rejects.not.toBeInstanceOf(StageDeferredError);
    const skipping = deferringWhileServerAway({ name: 'faces', pass: 2, version: 'v', run: () => Promise.resolve('skipped' as const) });
    expect(await skipping.run({ id: 1 } as ImageRow, {} as StageContext)).toBe('skipped');
  });
});
