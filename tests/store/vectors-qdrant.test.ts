// The Qdrant store against the shared VectorStore contract when GLIMPSE_QDRANT_URL points at a server (`docker compose
// up -d qdrant`); without one, only what needs no server runs here: unreachable servers, refused keys, wrong collections.
import fs from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusteredSpace } from '../../bench/synthetic-vectors';
import { openEmbeddedVectorStore } from '../../src-main/store/vectors/embedded-vector-store';
import { PAYLOAD_INDEXES } from '../../src-main/store/vectors/qdrant-requests';
import { clientFor, QdrantVectorStore, VectorServerError } from '../../src-main/store/vectors/qdrant-vector-store';
import { copyVectors, verifyCopy } from '../../src-main/store/vectors/vector-copy';
import { answering } from '../setup/answering-server';
import { silentServer } from '../setup/silent-server';
import { describeVectorStoreContract } from './vectors-contract';

const serverUrl = process.env.GLIMPSE_QDRANT_URL;

if (serverUrl) {
  let counter = 0;
  describeVectorStoreContract(`Qdrant at ${serverUrl}`, {
    async location(dimensions) {
      // A collection per test: the model id is what names it.
      const modelId = `contract-test-${process.pid}-${Date.now()}-${++counter}`;
      return { open: () => QdrantVectorStore.open({ url: serverUrl, apiKey: process.env.GLIMPSE_QDRANT_API_KEY ?? null, modelId, dimensions }) };
    },
  });

  describe(`moving vectors to Qdrant at ${serverUrl}`, () => {
    it('copies an embedded store and finds the same top 10 for sample photos', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-qdrant-copy-'));
      const space = clusteredSpace(32, 8, 3);
      const source = await openEmbeddedVectorStore({ dir, dimensions: 32 });
      const target = await QdrantVectorStore.open({ url: serverUrl, apiKey: process.env.GLIMPSE_QDRANT_API_KEY ?? null, modelId: `copy-test-${process.pid}-${Date.now()}`, dimensions: 32 });
      try {
        const globals = Array.from({ length: 200 }, (_, i) => ({ id: i + 1, vector: space.sample() }));
        await source.upsertGlobals(globals);
        await source.upsertCrops(globals.slice(0, 50).map((g) => ({ id: g.id, crops: [space.near(g.vector, 0.05)] })));
        expect(await copyVectors(source, target)).toEqual({ seen: 200, copied: 200, skipped: 0 });
        const check = await verifyCopy(source, target);
        expect(check.target).toEqual({ photos: 200, withCrops: 50 });
        expect(check.identicalTop10).toBe(check.sampled);
      } finally {
        await Promise.all([source.close(), target.close()]);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  // Over plain http only: through the proxy the address is 127.0.0.1, which a TLS certificate for the server does not name.
  describe.skipIf(new URL(serverUrl).protocol !== 'http:')(`Qdrant at ${serverUrl} going away after the store opened`, () => {
    it('search and writes reject as unreachable, naming the address the store was given', async () => {
      const apiKey = process.env.GLIMPSE_QDRANT_API_KEY ?? null;
      const proxy = await proxyTo(serverUrl);
      let store: QdrantVectorStore | undefined;
      try {
        store = await QdrantVectorStore.open({ url: proxy.url, apiKey, modelId: `away-test-${process.pid}-${Date.now()}`, dimensions: 8 });
        const space = clusteredSpace(8, 2, 7);
        const globals = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, vector: space.sample() }));
        await store.upsertGlobals(globals);
        expect((await store.search(globals[0].vector, 1)).map((match) => match.id)).toEqual([1]);

        await proxy.close();
        // The cause in brackets depends on when the client notices (a refused new connection or a reset pooled one).
        const away = { name: 'VectorServerError', reason: 'unreachable', message: expect.stringContaining(`Qdrant at ${proxy.url} is unreachable (`) };
        await expect(store.search(globals[0].vector, 3)).rejects.toMatchObject(away);
        await expect(store.upsertGlobals([{ id: 6, vector: space.sample() }])).rejects.toMatchObject(away);
      } finally {
        await proxy.close();
        if (store) await clientFor({ url: serverUrl, apiKey }).client.deleteCollection(store.collection);
      }
    });
  });
} else {
  describe('VectorStore contract: Qdrant', () => {
    // Reported as skipped, with why, rather than passed: there is no Qdrant server on this machine.
    it.skip('skipped: GLIMPSE_QDRANT_URL is not set (start one with `docker compose up -d qdrant` to run the contract against it)', () => {});
    it.skip('skipped: GLIMPSE_QDRANT_URL is not set, so there is no server to take away from an open store', () => {});
  });
}

/** A TCP proxy in front of a real server, so a test can take the server away from a store that already opened. */
async function proxyTo(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  // The client's own default port when the URL names none.
  const upstream = { host: hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(port || 6333) };
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // Either end failing ends the pair: the other side sees its connection closed, as with a server that went away.
    socket.on('error', () => socket.destroy());
  };
  const server = net.createServer((client) => {
    const onward = net.connect(upstream);
    track(client);
    track(onward);
    client.on('close', () => onward.destroy());
    onward.on('close', () => client.destroy());
    client.pipe(onward).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | null = null;
  return {
    url,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        // Stops new connections (they are refused from here on) and cuts the ones the client keeps alive.
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      })),
  };
}

/**
 * A loopback server answering what opening a store asks (GET /, the collection's existence and config, in the shapes
 * of Qdrant's API reference) and handing every later request to `later`: to stay silent, or to drop the connection.
 */
function openingThen(later: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const server = http.createServer((req, res) => {
    req.resume();
    const body = (result: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    if (req.method !== 'GET') return later(req, res);
    if (req.url === '/') return body({ title: 'qdrant - vector search engine', version: '1.19.0' });
    if (req.url?.endsWith('/exists')) return body({ result: { exists: true }, status: 'ok', time: 0 });
    const vectors = { global: { size: 8, distance: 'Cosine' }, crops: { size: 8, distance: 'Cosine', multivector_config: { comparator: 'max_sim' } } };
    // A collection Glimpse made holds every payload index it creates, so opening it creates none.
    const payloadSchema = Object.fromEntries(PAYLOAD_INDEXES.map((index) => [index.field_name, { data_type: index.field_schema, points: 0 }]));
    return body({ result: { status: 'green', config: { params: { vectors } }, payload_schema: payloadSchema }, status: 'ok', time: 0 });
  });
  return {
    async start() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const unitX = () => Float32Array.from({ length: 8 }, (_, i) => (i === 0 ? 1 : 0));

describe('Qdrant servers that cannot be used', () => {
  it('an unreachable server is named, with the cause', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const opening = QdrantVectorStore.open({ url: `http://127.0.0.1:${port}`, modelId: 'm', dimensions: 8, timeoutMs: 2_000 });
    await expect(opening).rejects.toThrow(VectorServerError);
    await expect(opening).rejects.toThrow(`Qdrant at http://127.0.0.1:${port} is unreachable (ECONNREFUSED) while reading its version: is the server running?`);
  });

  it('a port Node\'s fetch never connects to is named as such, not as a server that is down', async () => {
    const opening = QdrantVectorStore.open({ url: 'http://127.0.0.1:6666', modelId: 'm', dimensions: 8, timeoutMs: 2_000 });
    await expect(opening).rejects.toMatchObject({ name: 'VectorServerError', reason: 'unreachable' });
    await expect(opening).rejects.toThrow(
      "Qdrant at http://127.0.0.1:6666 cannot be reached while reading its version: Node's fetch refuses port 6666, which the Fetch standard keeps for other protocols; run Qdrant on another port, like 6333",
    );
  });

  it('a server that takes the connection but never answers is named, with how long it was given', async () => {
    const silent = await silentServer();
    try {
      const opening = QdrantVectorStore.open({ url: `http://${silent.url}`, modelId: 'm', dimensions: 8, timeoutMs: 500 });
      await expect(opening).rejects.toMatchObject({ name: 'VectorServerError', reason: 'timeout' });
      await expect(opening).rejects.toThrow(
        `Qdrant at http://${silent.url} did not answer within 0.5 s while reading its version: is the server overloaded or stuck? (GLIMPSE_QDRANT_TIMEOUT_MS sets how long to wait)`,
      );
    } finally {
      await silent.close();
    }
  });

  describe('a server that falls silent after the store opened', () => {
    const fake = openingThen(() => {});
    let url = '';
    let store: QdrantVectorStore;
    beforeAll(async () => {
      url = await fake.start();
      store = await QdrantVectorStore.open({ url, modelId: 'm', dimensions: 8, timeoutMs: 500 });
    });
    afterAll(() => fake.close());

    it('a search rejects saying the server did not answer in time, rather than finding nothing', async () => {
      const searching = store.search(unitX(), 10);
      await expect(searching).rejects.toMatchObject({ name: 'VectorServerError', reason: 'timeout' });
      await expect(searching).rejects.toThrow(`Qdrant at ${url} did not answer within 0.5 s while searching`);
    });

    it('a write rejects the same way, so indexing waits instead of hanging', async () => {
      await expect(store.upsertGlobals([{ id: 1, vector: unitX() }])).rejects.toThrow(
        new RegExp(`^Qdrant at ${url} did not answer within 0\\.5 s while reading points`),
      );
    });
  });

  it('a server that drops the connection after the store opened is unreachable, in words rather than a driver code', async () => {
    const fake = openingThen((req) => req.socket.destroy());
    const url = await fake.start();
    try {
      const store = await QdrantVectorStore.open({ url, modelId: 'm', dimensions: 8, timeoutMs: 2_000 });
      const searching = store.search(unitX(), 10);
      await expect(searching).rejects.toMatchObject({ name: 'VectorServerError', reason: 'unreachable' });
      await expect(searching).rejects.toThrow(`Qdrant at ${url} is unreachable (other side closed) while searching: is the server running?`);
    } finally {
      await fake.close();
    }
  });

  describe('a wrong API key', () => {
    const fake = answering(() => ({ status: 403, body: { status: { error: 'Invalid api-key' }, time: 0 } }));
    let url = '';
    beforeAll(async () => {
      url = await fake.start();
    });
    afterAll(() => fake.close());

    it('says the key was refused and where to set it', async () => {
      await expect(QdrantVectorStore.open({ url, apiKey: 'wrong', modelId: 'm', dimensions: 8 })).rejects.toThrow(
        `Qdrant at ${url} refused the API key while reading its version (HTTP 403): check GLIMPSE_QDRANT_API_KEY`,
      );
    });
  });

  describe('a collection of the wrong size', () => {
    // The response shapes of GET /, GET /collections/{name}/exists and GET /collections/{name} in Qdrant's API reference.
    const fake = answering((req) => {
      if (req.url === '/') return { status: 200, body: { title: 'qdrant - vector search engine', version: '1.19.0' } };
      if (req.url?.endsWith('/exists')) return { status: 200, body: { result: { exists: true }, status: 'ok', time: 0 } };
      return {
        status: 200,
        body: {
          result: {
            status: 'green',
            optimizer_status: 'ok',
            segments_count: 1,
            config: {
              params: { vectors: { global: { size: 512, distance: 'Cosine' }, crops: { size: 512, distance: 'Cosine', multivector_config: { comparator: 'max_sim' } } } },
              hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000 },
              optimizer_config: {},
              wal_config: {},
            },
            payload_schema: {},
          },
          status: 'ok',
          time: 0,
        },
      };
    });
    let url = '';
    beforeAll(async () => {
      url = await fake.start();
    });
    afterAll(() => fake.close());

    it('is a one-line error naming both sizes, and nothing is created or deleted', async () => {
      const opening = QdrantVectorStore.open({ url, modelId: 'Xenova/siglip-base-patch16-224', dimensions: 768 });
      await expect(opening).rejects.toThrow(
        `Qdrant collection glimpse_Xenova_siglip-base-patch16-224 holds 512-dimensional Cosine vectors, but this model needs 768-dimensional Cosine vectors (Qdrant at ${url})`,
      );
      expect(fake.requests.every((request) => request.startsWith('GET '))).toBe(true);
    });
  });

  describe('a collection an older Glimpse made', () => {
    // It has the vectors, and payload indexes only on has_crops and photo_id (GET /collections/{name}'s payload_schema).
    const fake = answering((req) => {
      if (req.url === '/') return { status: 200, body: { title: 'qdrant - vector search engine', version: '1.19.0' } };
      if (req.url?.endsWith('/exists')) return { status: 200, body: { result: { exists: true }, status: 'ok', time: 0 } };
      if (req.method === 'PUT') return { status: 200, body: { result: { operation_id: 1, status: 'completed' }, status: 'ok', time: 0 } };
      const vectors = { global: { size: 8, distance: 'Cosine' }, crops: { size: 8, distance: 'Cosine', multivector_config: { comparator: 'max_sim' } } };
      const payloadSchema = { has_crops: { data_type: 'bool', points: 3 }, photo_id: { data_type: 'integer', points: 3 } };
      return { status: 200, body: { result: { status: 'green', config: { params: { vectors } }, payload_schema: payloadSchema }, status: 'ok', time: 0 } };
    });
    let url = '';
    beforeAll(async () => {
      url = await fake.start();
    });
    afterAll(() => fake.close());

    it('gets the filter indexes it lacks, and nothing else is created', async () => {
      await QdrantVectorStore.open({ url, modelId: 'm', dimensions: 8 });
      expect(fake.requests.filter((request) => !request.startsWith('GET '))).toEqual([
        'PUT /collections/glimpse_m/index?wait=true',
        'PUT /collections/glimpse_m/index?wait=true',
        'PUT /collections/glimpse_m/index?wait=true',
      ]);
      expect(fake.bodies.map((body) => (body as { field_name: string }).field_name)).toEqual(['folder_id', 'taken_ms', 'person_ids']);
    });
  });
});
