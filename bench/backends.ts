// Backends benchmark: what PostgreSQL as the catalog costs a search beside SQLite (its reads, and a whole search; at
// 10k/100k photos, with Qdrant as the vectors when configured), import
// throughput with one and two indexers sharing one PostgreSQL, and the time to move 10k photos (catalog rows, vectors,
// face descriptors) between stores, with the vector part of a search on the store they were moved into.
// PostgreSQL rows need GLIMPSE_BENCH_POSTGRES_URL (or the test suite's GLIMPSE_TEST_POSTGRES_URL); Qdrant rows need
// GLIMPSE_QDRANT_URL. Without them those rows say why they are missing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Library } from '../src-main/library/library';
import { DEFAULT_RANKING, DEFAULT_RECALL_SIZE, rankCandidates } from '../src-main/search/ranking';
import { Catalog } from '../src-main/store/catalog';
import { copyCatalog } from '../src-main/store/catalog-copy';
import { openCatalogDatabase } from '../src-main/store/database';
import { openEmbeddedVectorStore } from '../src-main/store/vectors/embedded-vector-store';
import { QdrantFaceStore } from '../src-main/store/vectors/qdrant-face-store';
import { QdrantVectorStore } from '../src-main/store/vectors/qdrant-vector-store';
import { copyVectors } from '../src-main/store/vectors/vector-copy';
import type { VectorStore } from '../src-main/store/vectors/vector-store';
import { writePhoto } from '../tests/fixtures/photos';
import { makeTestConfig } from '../tests/library/library-harness';
import type { BenchModule } from './bench-module';
import { round, timeEach } from './measure';
import { clusteredSpace } from './synthetic-vectors';
import { qdrantCopy, searchLibrary, wholeSearchTimes } from './whole-search';

const postgresUrl = process.env.GLIMPSE_BENCH_POSTGRES_URL ?? process.env.GLIMPSE_TEST_POSTGRES_URL ?? null;
const NO_POSTGRES = 'skipped: set GLIMPSE_BENCH_POSTGRES_URL to a server where the user may CREATE DATABASE';

async function withDatabase<T>(prefix: string, body: (url: string) => Promise<T>): Promise<T> {
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: postgresUrl! });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(postgresUrl!);
  url.pathname = `/${name}`;
  try {
    return await body(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/** `size` ready photos, one in a hundred in a second folder. */
async function seedPhotos(catalog: Catalog, size: number) {
  const folder = await catalog.insertFolder(`/bench/${size}`);
  const other = await catalog.insertFolder(`/bench-other/${size}`);
  const now = new Date().toISOString();
  for (let start = 0; start < size; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, size - start) }, (_, i) => {
      const n = start + i;
      return {
        folder_id: n % 100 === 0 ? other.id : folder.id,
        path: `/bench/${size}/photo-${n}.jpg`,
        hash: `h${size}-${n}`,
        size_bytes: 1,
        mtime_ms: 1,
        added_at: now,
        updated_at: now,
        taken_at: new Date(Date.UTC(2020, 0, 1) + n * 60_000).toISOString(),
        status: 'ready' as const,
      };
    });
    await catalog.db.insertInto('images').values(rows).execute();
  }
  return { folder, other };
}

/** The catalog's share of one search: the 50 hits' rows, and the ids of a folder filter. */
async function catalogReads(catalog: Catalog, size: number) {
  const { other } = await seedPhotos(catalog, size);
  const ids = (await catalog.db.selectFrom('images').select('id').execute()).map((r) => r.id);
  const hits = await timeEach(300, async (i) => {
    const sample = Array.from({ length: 50 }, (_, k) => ids[(i * 7919 + k * 104729) % ids.length]);
    await catalog.photos(sample);
  });
  const filter = await timeEach(50, async () => {
    await catalog.idsMatching({ folderId: other.id });
  });
  return { hitRowsMs: hits, folderFilterMs: filter };
}

async function searchCatalogRows() {
  const rows: Record<string, unknown> = {};
  const qdrantUrl = process.env.GLIMPSE_QDRANT_URL;
  for (const size of [10_000, 100_000]) {
    const library = await searchLibrary(size);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-catalog-'));
    const sqlite = new Catalog(await openCatalogDatabase({ dataDir: dir, databaseUrl: null }));
    const row: Record<string, unknown> = { sqlite: await catalogReads(sqlite, size) };
    const sqliteOther = await sqlite.getFolderByPath(`/bench-other/${size}`);
    row.wholeSearchSqliteEmbedded = await wholeSearchTimes(sqlite, library, sqliteOther!.id);
    await sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
    if (postgresUrl) {
      await withDatabase('glimpse_bench_catalog', async (url) => {
        const catalog = new Catalog(await openCatalogDatabase({ dataDir: os.tmpdir(), databaseUrl: url }));
        try {
          row.postgres = await catalogReads(catalog, size);
          const other = (await catalog.getFolderByPath(`/bench-other/${size}`))!.id;
          row.wholeSearchPostgresEmbedded = await wholeSearchTimes(catalog, library, other);
          if (qdrantUrl) {
            const qdrant = await qdrantCopy(qdrantUrl, catalog, library);
            row.wholeSearchPostgresQdrant = await wholeSearchTimes(catalog, library, other, qdrant);
            await qdrant.close();
          } else {
            row.wholeSearchPostgresQdrant = 'skipped: set GLIMPSE_QDRANT_URL to a Qdrant server';
          }
        } finally {
          await catalog.close();
        }
      });
    } else {
      row.postgres = NO_POSTGRES;
    }
    await library.close();
    rows[String(size)] = row;
  }
  return rows;
}

/** Photos per second through pass 1 (hash, decode, EXIF, thumbnails) with `indexers` processes on one PostgreSQL. */
async function sharedImport(photos: number, indexers: number) {
  return withDatabase('glimpse_bench_import', async (url) => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-import-')));
    try {
      const folder = path.join(root, 'photos');
      for (let i = 0; i < photos; i++) await writePhoto(path.join(folder, `photo-${i}.jpg`), { seed: 3000 + i, width: 1600, height: 1200 });
      const setupDir = path.join(root, 'setup');
      const catalog = new Catalog(await openCatalogDatabase({ dataDir: setupDir, databaseUrl: url }));
      const library = await Library.open({ config: makeTestConfig(setupDir), catalog });
      await library.addFolder(folder);
      await library.close();
      await catalog.close();
      const child = path.resolve(import.meta.dirname, '../tests/library/shared-catalog-child.ts');
      const started = performance.now();
      await Promise.all(
        Array.from({ length: indexers }, (_, i) =>
          new Promise<void>((resolve, reject) => {
            const proc = spawn(process.execPath, ['--import', 'tsx', child, path.join(root, `data-${i}`), url, '60000'], { stdio: 'ignore' });
            proc.once('error', reject);
            proc.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`indexer ${i} exited with ${code}`))));
          }),
        ),
      );
      const seconds = (performance.now() - started) / 1000;
      return { photos, indexers, seconds: round(seconds, 1), photosPerSecond: round(photos / seconds, 1) };
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
}

/**
 * The vector part of one search as search-service runs it: recall 50 (with the crop re-rank inside the store where it
 * has one, Qdrant's prefetch + formula), the candidates' vectors, and the re-rank arithmetic over them.
 */
export async function vectorSearchTimes(store: VectorStore, queries: Float32Array[]) {
  const calibration = { logitScale: 10, logitBias: -10 };
  const { globalWeight, localWeight } = DEFAULT_RANKING;
  return timeEach(queries.length, async (i) => {
    const query = queries[i];
    const matches = store.rankedSearch
      ? await store.rankedSearch(query, { recall: DEFAULT_RECALL_SIZE, limit: DEFAULT_RECALL_SIZE, globalWeight, localWeight })
      : await store.search(query, DEFAULT_RECALL_SIZE);
    rankCandidates(query, await store.getMany(matches.map((match) => match.id)), DEFAULT_RANKING, calibration);
  });
}

/** Seconds to copy 10k photos × (1 global + 5 crops) of 768-d vectors into `target`, then the search times on it. */
async function migrateTime(target: () => Promise<VectorStore>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-migrate-'));
  const space = clusteredSpace(768, 64, 11);
  const source = await openEmbeddedVectorStore({ dir: path.join(dir, 'source'), dimensions: 768 });
  const into = await target();
  try {
    const globals = Array.from({ length: 10_000 }, (_, i) => ({ id: i + 1, vector: space.sample() }));
    for (let start = 0; start < globals.length; start += 1000) {
      const batch = globals.slice(start, start + 1000);
      await source.upsertGlobals(batch);
      await source.upsertCrops(batch.map((g) => ({ id: g.id, crops: Array.from({ length: 5 }, () => space.near(g.vector, 0.02)) })));
    }
    await source.flush();
    const started = performance.now();
    const copied = await copyVectors(source, into);
    const secondsPer10k = round((performance.now() - started) / 1000, 1);
    const searchMs = await vectorSearchTimes(into, Array.from({ length: 200 }, () => space.sample()));
    return { photos: copied.copied, secondsPer10k, searchMs, target: into.description };
  } finally {
    await Promise.all([source.close(), into.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Seconds to copy a 10k-photo SQLite catalog (photo rows and their eight indexing stages each) into an empty PostgreSQL. */
async function catalogMigrateTime() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-catalog-copy-'));
  const database = await openCatalogDatabase({ dataDir: dir, databaseUrl: null });
  const catalog = new Catalog(database);
  try {
    await seedPhotos(catalog, 10_000);
    const ids = (await catalog.db.selectFrom('images').select('id').execute()).map((r) => r.id);
    const stages = ['decode', 'exif', 'thumbnail', 'embed', 'words', 'crops', 'faces', 'ocr'].map((name, i) => ({ name, pass: i < 5 ? (1 as const) : (2 as const), version: 'v1' }));
    await catalog.ensureStages(ids, stages);
    return await withDatabase('glimpse_bench_catalog_copy', async (url) => {
      const target = await openCatalogDatabase({ dataDir: dir, databaseUrl: url });
      try {
        const started = performance.now();
        const report = await copyCatalog(database, target);
        const rows = report.tables.reduce((n, t) => n + t.target, 0);
        return { photos: ids.length, rows, countsMatch: report.countsMatch, secondsPer10k: round((performance.now() - started) / 1000, 1) };
      } finally {
        await target.close();
      }
    });
  } finally {
    await catalog.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Seconds to copy 10k face descriptors (1024-d, Human's faceres) into `target`: about a 7k-photo library's faces. */
async function faceMigrateTime(target: () => Promise<VectorStore>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-faces-'));
  const space = clusteredSpace(1024, 200, 13);
  const source = await openEmbeddedVectorStore({ dir: path.join(dir, 'source'), dimensions: 1024 });
  const into = await target();
  try {
    for (let start = 0; start < 10_000; start += 1000) {
      await source.upsertGlobals(Array.from({ length: 1000 }, (_, i) => ({ id: start + i + 1, vector: space.sample() })));
    }
    await source.flush();
    const started = performance.now();
    const copied = await copyVectors(source, into);
    return { faces: copied.copied, secondsPer10k: round((performance.now() - started) / 1000, 1), target: into.description };
  } finally {
    await Promise.all([source.close(), into.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const backendsBench: BenchModule = {
  name: 'backends',
  async run() {
    const qdrantUrl = process.env.GLIMPSE_QDRANT_URL;
    return {
      searchCatalog: await searchCatalogRows(),
      importSharedPostgres: postgresUrl ? [await sharedImport(120, 1), await sharedImport(120, 2)] : NO_POSTGRES,
      migrate10k: {
        embeddedToEmbedded: await migrateTime(async () =>
          openEmbeddedVectorStore({ dir: fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-migrate-target-')), dimensions: 768 }),
        ),
        embeddedToQdrant: qdrantUrl
          ? await migrateTime(() => QdrantVectorStore.open({ url: qdrantUrl, apiKey: process.env.GLIMPSE_QDRANT_API_KEY ?? null, modelId: `bench-${Date.now()}`, dimensions: 768 }))
          : 'skipped: set GLIMPSE_QDRANT_URL to a Qdrant server',
        catalogSqliteToPostgres: postgresUrl ? await catalogMigrateTime() : NO_POSTGRES,
        faceDescriptorsEmbeddedToEmbedded: await faceMigrateTime(async () =>
          openEmbeddedVectorStore({ dir: fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-faces-target-')), dimensions: 1024 }),
        ),
        faceDescriptorsEmbeddedToQdrant: qdrantUrl
          ? await faceMigrateTime(() => QdrantFaceStore.open({ url: qdrantUrl, apiKey: process.env.GLIMPSE_QDRANT_API_KEY ?? null, faceModel: `bench-${Date.now()}`, dimensions: 1024 }))
          : 'skipped: set GLIMPSE_QDRANT_URL to a Qdrant server',
      },
    };
  },
};
