// A whole search (query vector → recall → crop re-rank → catalog rows), unfiltered and on a 1% folder, with the
// catalog on SQLite or PostgreSQL and the vectors embedded or on Qdrant: the latency a person notices when a library
// moves to servers, at 10k and 100k photos.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VectorPayloadSync } from '../src-main/api/vector-payload-sync';
import { DEFAULT_RANKING } from '../src-main/search/ranking';
import type { SearchCatalog } from '../src-main/search/ports';
import { SearchService } from '../src-main/search/search-service';
import type { Catalog } from '../src-main/store/catalog';
import { VectorPayloads } from '../src-main/store/vector-payloads';
import { openEmbeddedVectorStore } from '../src-main/store/vectors/embedded-vector-store';
import { QdrantVectorStore } from '../src-main/store/vectors/qdrant-vector-store';
import { copyVectors } from '../src-main/store/vectors/vector-copy';
import type { VectorStore } from '../src-main/store/vectors/vector-store';
import { timeEach } from './measure';
import { precomputedTextEmbedder } from './search';
import { clusteredSpace } from './synthetic-vectors';

const DIMENSIONS = 768;
const QUERIES = 200;

export interface SearchLibrary {
  /** Embedded vectors for photo ids 1..size, kept for the life of the bench. */
  vectors: VectorStore;
  queries: Float32Array[];
  close(): Promise<void>;
}

export async function searchLibrary(size: number): Promise<SearchLibrary> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-whole-search-'));
  const space = clusteredSpace(DIMENSIONS, Math.max(100, size / 100), 42);
  const vectors = await openEmbeddedVectorStore({ dir, dimensions: DIMENSIONS });
  for (let start = 1; start <= size; start += 2000) {
    await vectors.upsertGlobals(Array.from({ length: Math.min(2000, size - start + 1) }, (_, i) => ({ id: start + i, vector: space.sample() })));
  }
  await vectors.flush();
  return {
    vectors,
    queries: Array.from({ length: QUERIES }, () => space.sample()),
    close: async () => {
      await vectors.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function searchCatalogOf(catalog: Catalog): SearchCatalog {
  return {
    photos: (ids) => catalog.photos(ids),
    idsMatching: (filters) => catalog.idsMatching(filters),
    idOfPath: async (file) => (await catalog.getImageByPath(file))?.id ?? null,
    exactDuplicates: () => catalog.exactDuplicateGroups(),
  };
}

/** p50/p95 of whole searches over `library`'s vectors (or `vectors` instead) with `catalog` holding the rows. */
export async function wholeSearchTimes(catalog: Catalog, library: SearchLibrary, folderId: number, vectors: VectorStore = library.vectors) {
  let searchCatalog = searchCatalogOf(catalog);
  if (vectors.payloads) {
    const sync = new VectorPayloadSync(new VectorPayloads(catalog.db), vectors.payloads);
    await sync.catchUp();
    const plain = searchCatalog;
    searchCatalog = { ...plain, vectorFilter: (filters) => sync.filterFor(filters, () => plain.idsMatching(filters)) };
  }
  const service = new SearchService({
    vectors,
    catalog: searchCatalog,
    textEmbedder: precomputedTextEmbedder(library.queries),
    settings: () => ({ ranking: DEFAULT_RANKING, nearDuplicateThreshold: 0.95 }),
  });
  const query = (q: number) => `q${q}`;
  for (let q = 0; q < 20; q++) await service.search({ query: query(q) });
  return {
    searchMs: await timeEach(QUERIES, async (q) => void (await service.search({ query: query(q) }))),
    searchFolder1PercentMs: await timeEach(QUERIES, async (q) => void (await service.search({ query: query(q), folderId }))),
  };
}

/** The library's vectors copied into a fresh Qdrant collection that reads its payloads from `catalog`. */
export async function qdrantCopy(url: string, catalog: Catalog, library: SearchLibrary): Promise<QdrantVectorStore> {
  const payloads = new VectorPayloads(catalog.db);
  const store = await QdrantVectorStore.open({
    url,
    apiKey: process.env.GLIMPSE_QDRANT_API_KEY ?? null,
    modelId: `bench-whole-search-${Date.now()}`,
    dimensions: DIMENSIONS,
    payloads: (ids) => payloads.of(ids),
  });
  await copyVectors(library.vectors, store);
  return store;
}
