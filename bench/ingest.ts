// Ingest benchmark: photos per second through hash + decode + EXIF + thumbnails (no model) and peak resident memory,
// over 1,000 generated 2 MP and 200 generated 12 MP photos. Each set is ingested by a fresh child process so its
// peak RSS is the pipeline's own; the photos are generated once into a cache dir under os.tmpdir().
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import PQueue from 'p-queue';
import { configSchema } from '../src-main/config';
import { Library } from '../src-main/library/library';
import { Catalog } from '../src-main/store/catalog';
import { openCatalogDatabase } from '../src-main/store/database';
import { realisticJpeg } from '../tests/fixtures/photos';
import type { BenchModule } from './bench-module';
import { round, runJsonChild } from './measure';

const SETS = [
  { name: '2mp', megapixels: 2, count: Number(process.env.GLIMPSE_BENCH_2MP_COUNT ?? 1000) },
  { name: '12mp', megapixels: 12, count: Number(process.env.GLIMPSE_BENCH_12MP_COUNT ?? 200) },
];
const CACHE_DIR = process.env.GLIMPSE_BENCH_PHOTO_CACHE ?? path.join(os.tmpdir(), 'glimpse-bench-photos-v1');
const SELF = fileURLToPath(import.meta.url);

interface ChildReport {
  photos: number;
  seconds: number;
  photosPerSecond: number;
  peakRssMb: number;
  /** CPU time (all threads) per photo: what the throughput would be on idle cores, whatever else ran meanwhile. */
  cpuMsPerPhoto: number;
  /** 1-minute load average when the run started: other work on the machine lowers photos/s. */
  loadAverage: number;
  failed: number;
}

async function ensurePhotos(set: (typeof SETS)[number]): Promise<{ dir: string; generatedSeconds: number }> {
  const dir = path.join(CACHE_DIR, set.name);
  fs.mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const queue = new PQueue({ concurrency: Math.max(1, os.cpus().length) });
  for (let i = 0; i < set.count; i++) {
    const file = path.join(dir, `photo-${String(i).padStart(5, '0')}.jpg`);
    if (fs.existsSync(file)) continue;
    void queue.add(async () => {
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, await realisticJpeg(set.megapixels, i));
      fs.renameSync(tmp, file);
    });
  }
  await queue.onIdle();
  return { dir, generatedSeconds: (performance.now() - started) / 1000 };
}

/** Child side: index one folder into a fresh data dir and report throughput and this process's peak RSS. */
async function ingestInThisProcess(folder: string, dataDir: string): Promise<ChildReport> {
  const config = configSchema.parse({ dataDir, modelsDir: path.join(dataDir, 'models'), embeddings: false });
  const catalog = new Catalog(await openCatalogDatabase({ dataDir, databaseUrl: null }));
  const library = await Library.open({ config, catalog });
  await library.start();
  const loadAverage = os.loadavg()[0];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const report = await library.indexFolder(folder);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await library.close();
  await catalog.close();
  const photos = report.indexed + report.failed.length;
  return {
    photos,
    seconds: round(seconds, 2),
    photosPerSecond: round(photos / seconds, 1),
    // maxRSS is in kilobytes.
    peakRssMb: round(process.resourceUsage().maxRSS / 1024, 0),
    cpuMsPerPhoto: round((cpu.user + cpu.system) / 1000 / photos, 1),
    loadAverage: round(loadAverage, 2),
    failed: report.failed.length,
  };
}

export const ingestBench: BenchModule = {
  name: 'ingest',
  async run() {
    const results: Record<string, unknown> = {
      stages: ['hash', 'decode', 'exif', 'thumbs'],
      concurrency: configSchema.shape.indexing.parse(undefined).concurrency,
      cacheDir: CACHE_DIR,
      goal: '>= 30 photos/s at 2 MP on 2 cores',
    };
    for (const set of SETS) {
      const { dir, generatedSeconds } = await ensurePhotos(set);
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-data-'));
      try {
        results[set.name] = { ...(await runJsonChild<ChildReport>(SELF, [dir, dataDir], 'ingest')), generatedSeconds: round(generatedSeconds, 1) };
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }
    return results;
  },
};

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  const [folder, dataDir] = process.argv.slice(2);
  if (folder && dataDir) {
    process.stdout.write(`${JSON.stringify(await ingestInThisProcess(folder, dataDir))}\n`);
  } else {
    process.stdout.write(`${JSON.stringify(await ingestBench.run(), null, 2)}\n`);
  }
}
