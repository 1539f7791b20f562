// Faces benchmark: the face stage's photos/s and ms/photo on the real fixture photos (two Human workers, ~1024 px
// inputs), the clustering cost per new face at 10k and 100k synthetic faces, the clustering threshold sweep on the
// fixture photos, person-filtered search p50 at 100k photos, and peak memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { PhotoSummary } from '../src-preload/api';
import { FACE_INDEX_HNSW } from '../src-main/api/faces-runtime';
import type { FaceDetection } from '../src-main/ml/faces/face-detector';
import { FacePool } from '../src-main/ml/faces/face-pool';
import { bcubed } from '../src-main/people/bcubed';
import { PeopleClusterer, type FaceVectors } from '../src-main/people/people-clusterer';
import { DEFAULT_RANKING } from '../src-main/search/ranking';
import { SearchService } from '../src-main/search/search-service';
import { openCatalogDatabase, type CatalogDatabase } from '../src-main/store/database';
import { FaceStore } from '../src-main/store/faces-store';
import { openEmbeddedVectorStore } from '../src-main/store/vectors/embedded-vector-store';
import type { VectorStore } from '../src-main/store/vectors/vector-store';
import { isKnownPerson, labelFaces, labelledPhotos } from '../tests/faces/labelled-photos';
import { InMemoryCatalog, photoRow } from '../tests/search/support/in-memory-catalog';
import type { BenchModule } from './bench-module';
import { tilingMeasurement } from './face-tiling';
import { round, timeEach } from './measure';
import { clusteredSpace, normalizeInPlace, seededRandom } from './synthetic-vectors';

const FACE_DIMENSIONS = 1024;
const PHOTO_DIMENSIONS = 768;
const FACES_PER_PERSON = 25;
const NEW_FACES = 200;
const SEARCHES = 200;
/** Per-axis noise giving same-person cosine ≈ 0.7 at 1024-d (the measured median for real faces). */
const PERSON_SPREAD = Math.sqrt(0.43 / FACE_DIMENSIONS);

function faceVectorsOf(vectors: VectorStore): FaceVectors {
  return {
    getMany: async (ids) => new Map([...(await vectors.getMany(ids))].map(([id, v]) => [id, v.global])),
    nearest: (vector, k) => vectors.search(vector, k),
  };
}

async function freshCatalog(dir: string): Promise<{ database: CatalogDatabase; folderId: number }> {
  const database = await openCatalogDatabase({ dataDir: dir, databaseUrl: null });
  const folder = await database.db.insertInto('folders').values({ path: dir, added_at: '2024-01-01', managed: 0 }).returning('id').executeTakeFirstOrThrow();
  return { database, folderId: folder.id };
}

async function insertImages(database: CatalogDatabase, folderId: number, count: number, offset = 0): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < count; start += 500) {
    const rows = Array.from({ length: Math.min(500, count - start) }, (_, i) => {
      const n = offset + start + i;
      return { folder_id: folderId, path: `/bench/${n}.jpg`, hash: `h${n}`, size_bytes: 1, mtime_ms: 1, added_at: '2024-01-01', updated_at: '2024-01-01', status: 'ready' as const };
    });
    ids.push(...(await database.db.insertInto('images').values(rows).returning('id').execute()).map((r) => r.id));
  }
  return ids;
}

/** Photos per second and ms per photo through the face workers, on the fixture photos shrunk to ≤ 1024 px. */
async function stageThroughput(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-faces-'));
  try {
    const files: string[] = [];
    for (const photo of labelledPhotos()) {
      const file = path.join(dir, `${path.parse(photo.file).name}.jpg`);
      await sharp(photo.path).rotate().resize(1024, 1024, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toFile(file);
      files.push(file);
    }
    const workers = 2;
    const pool = new FacePool(workers);
    const loadStarted = performance.now();
    await Promise.all(Array.from({ length: workers }, (_, i) => pool.detect({ source: files[i] })));
    const warmUpSeconds = (performance.now() - loadStarted) / 1000;
    const rounds = Number(process.env.GLIMPSE_BENCH_FACE_ROUNDS ?? 3);
    const latencies: number[] = [];
    let faces = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: rounds }, () => files)
        .flat()
        .map(async (file) => {
          const t = performance.now();
          const found = (await pool.detect({ source: file })).faces.length;
          latencies.push(performance.now() - t);
          faces += found;
        }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    await pool.close();
    const photos = files.length * rounds;
    const cpuMsPerPhoto = (cpu.user + cpu.system) / 1000 / photos;
    return {
      photos,
      faces,
      workers,
      warmUpSeconds: round(warmUpSeconds),
      photosPerSecond: round(photos / seconds),
      msPerPhoto: round((seconds * 1000) / photos),
      cpuMsPerPhoto: round(cpuMsPerPhoto),
      // CPU time of every thread (workers, sharp) barely depends on other processes: what two idle cores would reach.
      photosPerSecondOnTwoIdleCores: round(2000 / cpuMsPerPhoto),
      loadAverage: round(os.loadavg()[0]),
      note: 'latency includes queueing behind the other photos in flight; msPerPhoto is wall time / photos with two workers',
      queuedLatencyP50Ms: round([...latencies].sort((a, b) => a - b)[Math.floor(latencies.length / 2)]),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** BCubed over the fixture photos at several thresholds and arrival orders: where SAME_PERSON_LINKAGE comes from. */
async function thresholdSweep(): Promise<Record<string, unknown>> {
  const photos = labelledPhotos();
  const pool = new FacePool(2);
  const detections = new Map<string, FaceDetection>();
  await Promise.all(photos.map(async (p) => detections.set(p.file, await pool.detect({ source: p.path }))));
  await pool.close();
  const out: Record<string, unknown> = {};
  for (const threshold of [0.5, 0.53, 0.56, 0.58, 0.6, 0.65]) {
    const scores: Array<{ precision: number; recall: number }> = [];
    for (const seed of [1, 2, 3, 4]) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-sweep-'));
      const { database, folderId } = await freshCatalog(dir);
      const imageIds = await insertImages(database, folderId, photos.length);
      const store = new FaceStore(database);
      const vectors = await openEmbeddedVectorStore({ dir: path.join(dir, 'v'), dimensions: FACE_DIMENSIONS });
      const clusterer = new PeopleClusterer(store, faceVectorsOf(vectors), { threshold });
      const random = seededRandom(seed);
      const order = photos.map((p, i) => ({ p, i, k: random() })).sort((a, b) => a.k - b.k);
      const labels = new Map<number, string>();
      for (const { p, i } of order) {
        const detection = detections.get(p.file) as FaceDetection;
        const { ids } = await store.replaceDetections(imageIds[i], detection.faces, 'bench');
        await vectors.upsertGlobals(ids.map((id, j) => ({ id, vector: detection.faces[j].descriptor })));
        labelFaces(p, detection.faces).forEach((label, j) => label && isKnownPerson(label) && labels.set(ids[j], label));
        await clusterer.addFaces(ids);
      }
      const faces = await store.faces([...labels.keys()]);
      scores.push(bcubed(new Map(faces.map((f) => [f.id, f.personId === null ? `alone-${f.id}` : `p${f.personId}`])), labels));
      await vectors.close();
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    out[threshold.toFixed(2)] = {
      precisionMin: round(Math.min(...scores.map((s) => s.precision)), 3),
      recallMin: round(Math.min(...scores.map((s) => s.recall)), 3),
      recallMax: round(Math.max(...scores.map((s) => s.recall)), 3),
    };
  }
  return out;
}

/**
 * A library of `size` faces already grouped into people of 25, then NEW_FACES new faces, each in its own photo, placed
 * one at a time: the incremental cost per new face. At 100k it also measures search filtered to one person.
 */
async function clusteringAt(size: number, withSearch: boolean): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-people-'));
  try {
    const { database, folderId } = await freshCatalog(dir);
    const store = new FaceStore(database);
    const faceVectors = await openEmbeddedVectorStore({ dir: path.join(dir, 'faces'), dimensions: FACE_DIMENSIONS, hnsw: FACE_INDEX_HNSW });
    const random = seededRandom(7);
    const people = Math.ceil(size / FACES_PER_PERSON);
    const centres = Array.from({ length: people + NEW_FACES }, () => normalizeInPlace(Float32Array.from({ length: FACE_DIMENSIONS }, () => random() - 0.5)));
    const noisy = (centre: Float32Array) => normalizeInPlace(Float32Array.from(centre, (v) => v + PERSON_SPREAD * Math.sqrt(12) * (random() - 0.5)));
    const buildStarted = performance.now();
    const imageIds = await insertImages(database, folderId, size);
    const personIds: number[] = [];
    for (let p = 0; p < people; p++) personIds.push(await store.createPerson());
    for (let start = 0; start < size; start += 1000) {
      const batch = imageIds.slice(start, start + 1000);
      const rows = batch.map((imageId, i) => ({
        image_id: imageId,
        person_id: personIds[Math.floor((start + i) / FACES_PER_PERSON)],
        box_x: 10,
        box_y: 10,
        box_width: 100,
        box_height: 100,
        score: 0.9,
        descriptor: null,
        created_at: '2024-01-01',
      }));
      const ids = (await database.db.insertInto('faces').values(rows).returning('id').execute()).map((r) => r.id);
      await faceVectors.upsertGlobals(ids.map((id, i) => ({ id, vector: noisy(centres[Math.floor((start + i) / FACES_PER_PERSON)]) })));
    }
    const buildSeconds = (performance.now() - buildStarted) / 1000;
    const clusterer = new PeopleClusterer(store, faceVectorsOf(faceVectors));
    const newImages = await insertImages(database, folderId, NEW_FACES, size);
    // Half the new faces belong to existing people, half are newcomers. Only the clustering is timed: storing the
    // face and its vector is the stage's cost, measured above.
    const arrivals: number[][] = [];
    for (let i = 0; i < NEW_FACES; i++) {
      const centre = i % 2 === 0 ? centres[Math.floor(random() * people)] : centres[people + i];
      const { ids } = await store.replaceDetections(newImages[i], [{ box: [10, 10, 100, 100], score: 0.9, thumbnail: new Uint8Array(), age: null, gender: null }], 'bench');
      await faceVectors.upsertGlobals([{ id: ids[0], vector: noisy(centre) }]);
      arrivals.push(ids);
    }
    const loadAverage = round(os.loadavg()[0]);
    const cpuBefore = process.cpuUsage();
    const each: number[] = [];
    const timing = await timeEach(NEW_FACES, async (i) => {
      const started = performance.now();
      await clusterer.addFaces(arrivals[i]);
      each[i] = performance.now() - started;
    });
    // The overall p50 falls between the two kinds of arrival, so each kind's own p50 says more.
    const p50Of = (kind: number) => round(median(each.filter((_, i) => i % 2 === kind)), 3);
    const cpu = process.cpuUsage(cpuBefore);
    const joined = (await store.faces(arrivals.filter((_, i) => i % 2 === 0).flat())).filter((f) => f.personId !== null && f.personId <= people).length;
    const result: Record<string, unknown> = {
      faces: size,
      people,
      buildSeconds: round(buildSeconds, 1),
      perNewFaceMs: timing,
      p50MsJoiningAPerson: p50Of(0),
      p50MsNewcomer: p50Of(1),
      // CPU time barely depends on other processes, unlike the wall times above on a shared machine.
      cpuMsPerNewFace: round((cpu.user + cpu.system) / 1000 / NEW_FACES, 3),
      loadAverage,
      newFacesOfKnownPeopleJoined: `${joined} of ${NEW_FACES / 2}`,
    };
    if (withSearch) result.personFilteredSearch = await personSearch(store, size, imageIds, personIds);
    await faceVectors.close();
    await database.close();
    return result;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** Text search restricted to one person's photos over `size` photos' SigLIP-shaped vectors (text embedding cached). */
async function personSearch(store: FaceStore, size: number, imageIds: number[], personIds: number[]): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-person-search-'));
  try {
    const space = clusteredSpace(PHOTO_DIMENSIONS, Math.max(100, size / 100), 42);
    const vectors = await openEmbeddedVectorStore({ dir, dimensions: PHOTO_DIMENSIONS });
    for (let start = 0; start < imageIds.length; start += 2000) {
      await vectors.upsertGlobals(imageIds.slice(start, start + 2000).map((id) => ({ id, vector: space.sample() })));
    }
    const rows: PhotoSummary[] = imageIds.map((id) => photoRow(id));
    const memory = new InMemoryCatalog(rows);
    const query = space.sample();
    const service = new SearchService({
      vectors,
      catalog: {
        photos: (ids) => memory.photos(ids),
        idsMatching: async (filters) => (filters.personIds?.length ? store.photosWithPeople(filters.personIds) : memory.idsMatching(filters)),
        idOfPath: (file) => memory.idOfPath(file),
        exactDuplicates: () => memory.exactDuplicates(),
      },
      textEmbedder: { modelId: 'bench', logitScale: 117.33, logitBias: -12.93, embedText: async () => query },
      settings: () => ({ ranking: { ...DEFAULT_RANKING, cutoff: 0 }, nearDuplicateThreshold: 0.95 }),
    });
    await service.search({ query: 'warm up', personIds: [personIds[0]] });
    const random = seededRandom(11);
    const timing = await timeEach(SEARCHES, async () => {
      await service.search({ query: 'people at the beach', personIds: [personIds[Math.floor(random() * personIds.length)]] });
    });
    await vectors.close();
    return { photos: size, photosPerPerson: FACES_PER_PERSON, ...timing };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Parts of this benchmark, chosen with GLIMPSE_BENCH_FACES_PARTS (comma-separated); all of them by default. */
const PARTS = ['stage', 'tiling', 'thresholds', 'clustering'] as const;

export const facesBench: BenchModule = {
  name: 'faces',
  async run() {
    const chosen = (process.env.GLIMPSE_BENCH_FACES_PARTS ?? PARTS.join(',')).split(',').map((p) => p.trim());
    const unknown = chosen.filter((p) => !(PARTS as readonly string[]).includes(p));
    if (unknown.length > 0) throw new Error(`unknown faces bench part ${unknown.join(', ')}; known: ${PARTS.join(', ')}`);
    // Each part is logged as it finishes: on a busy machine the 100k build alone takes minutes.
    const part = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      const value = await run();
      console.error(`bench faces: ${name} ${JSON.stringify(value)}`);
      return value;
    };
    const report: Record<string, unknown> = {};
    if (chosen.includes('stage')) report.stage = await part('stage', stageThroughput);
    if (chosen.includes('tiling')) report.smallFacesAtImport = await part('tiling', tilingMeasurement);
    if (chosen.includes('thresholds')) report.clusteringThresholdSweep = await part('threshold sweep', thresholdSweep);
    if (chosen.includes('clustering')) {
      const at10k = await part('clustering at 10k', () => clusteringAt(10_000, false));
      const at100k = await part('clustering at 100k', () => clusteringAt(Number(process.env.GLIMPSE_BENCH_FACES_LARGE ?? 100_000), true));
      report.clustering = { '10000': at10k, [String(at100k.faces)]: at100k };
    }
    report.peakRssMb = round(process.resourceUsage().maxRSS / 1024, 0);
    return report;
  },
};
