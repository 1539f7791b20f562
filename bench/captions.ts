// Captioning benchmark: the describe stage's cost per photo with the SmolVLM fixture (the processor, chat template,
// generate and decode path of the real model, without its weights), the library indexed with captions on (peak RSS
// of that process, worker included), and the real SmolVLM where its files are in the models dir.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { openApi } from '../src-main/api';
import { DEFAULT_CAPTION_MODEL, DEFAULT_CAPTION_PROMPT, loadConfig } from '../src-main/config';
import { captionDtypesFor, captionModelPresence } from '../src-main/ml/captions/caption-models';
import { Captioner } from '../src-main/ml/captions/captioner';
import { FIXTURE_MODEL_ID, generateFixtureModels } from '../tests/fixtures/generate-models';
import { generateSmolvlmFixture, SMOLVLM_FIXTURE_ID } from '../tests/fixtures/generate-smolvlm';
import type { BenchModule } from './bench-module';
import { round, runJsonChild, timeEach } from './measure';

const SELF = fileURLToPath(import.meta.url);
const REPO_ROOT = path.resolve(path.dirname(SELF), '..');
const FIXTURE_MODELS_DIR = path.join(REPO_ROOT, '.cache', 'fixture-models');
const PHOTO_COUNT = Number(process.env.GLIMPSE_BENCH_CAPTION_PHOTOS ?? 60);
const REAL_MODEL_PHOTOS = 3;
const THREADS = Math.max(1, Math.floor(os.cpus().length / 2));

interface LibraryReport {
  photos: number;
  described: number;
  indexSeconds: number;
  describeSeconds: number;
  stageMsPerPhoto: number | null;
  peakRssMb: number;
}

/** Photos of varied colour and layout at a phone-like 1280 px viewer size, written once per run. */
async function writePhotos(dir: string, count: number): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const file = path.join(dir, `photo-${i}.jpg`);
    const background = { r: (i * 53) % 256, g: (i * 97 + 40) % 256, b: (i * 193 + 80) % 256 };
    const patch = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 255 - background.r, g: 128, b: background.b } } }).png().toBuffer();
    await sharp({ create: { width: 1280, height: 960, channels: 3, background } })
      .composite([{ input: patch, left: (i * 37) % 880, top: (i * 23) % 660 }])
      .jpeg({ quality: 85 })
      .toFile(file);
    files.push(file);
  }
  return files;
}

async function captionTimes(modelsDir: string, modelId: string, files: string[], splitImages: boolean) {
  const captioner = new Captioner({ modelsDir, modelId, offline: true, device: 'cpu', threads: THREADS, idleReleaseMs: 60_000 });
  try {
    const loadStarted = performance.now();
    await captioner.caption({ path: files[0], prompt: DEFAULT_CAPTION_PROMPT, maxNewTokens: 48, splitImages });
    const firstMs = performance.now() - loadStarted;
    const times = await timeEach(files.length, async (i) => {
      await captioner.caption({ path: files[i], prompt: DEFAULT_CAPTION_PROMPT, maxNewTokens: 48, splitImages });
    });
    return { photos: files.length, firstCaptionMs: round(firstMs, 1), ...times };
  } finally {
    await captioner.close();
  }
}

/** Index the folder, then describe every photo, in this process: its peak RSS covers the captioner's worker thread. */
async function libraryWithCaptions(folder: string, dataDir: string): Promise<LibraryReport> {
  const config = loadConfig({
    env: { GLIMPSE_MODELS_DIR: FIXTURE_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_CAPTION_MODEL: SMOLVLM_FIXTURE_ID, GLIMPSE_OFFLINE: '1' },
    overrides: { dataDir },
  });
  const api = await openApi(config, { indexing: { watch: false, command: 'bench captions' } });
  try {
    const indexStarted = performance.now();
    const indexed = await api.invoke('folders.index', { path: folder });
    if (!indexed.ok) throw new Error(indexed.error.message);
    const indexSeconds = (performance.now() - indexStarted) / 1000;
    const describeStarted = performance.now();
    const described = await api.invoke('captions.describe', { missing: true, wait: true });
    if (!described.ok) throw new Error(described.error.message);
    return {
      photos: indexed.value.indexed,
      described: described.value.photos.filter((p) => p.status === 'done').length,
      indexSeconds: round(indexSeconds, 1),
      describeSeconds: round((performance.now() - describeStarted) / 1000, 1),
      stageMsPerPhoto: described.value.status.msPerPhoto === null ? null : round(described.value.status.msPerPhoto, 1),
      // maxRSS is in kilobytes and covers the worker threads too.
      peakRssMb: round(process.resourceUsage().maxRSS / 1024, 0),
    };
  } finally {
    await api.close();
  }
}

async function realSmolvlm(files: string[]) {
  const modelsDir = process.env.GLIMPSE_MODELS_DIR ?? path.join(process.env.GLIMPSE_DATA_DIR ?? path.join(os.homedir(), '.config', 'Glimpse'), 'models');
  const presence = await captionModelPresence({ modelsDir, modelId: DEFAULT_CAPTION_MODEL, dtypes: captionDtypesFor('cpu') });
  if (presence.missing.length > 0) return { model: DEFAULT_CAPTION_MODEL, present: false, dir: presence.dir };
  return { model: DEFAULT_CAPTION_MODEL, present: true, dtypes: captionDtypesFor('cpu'), ...(await captionTimes(modelsDir, DEFAULT_CAPTION_MODEL, files.slice(0, REAL_MODEL_PHOTOS), false)) };
}

export const captionsBench: BenchModule = {
  name: 'captions',
  async run() {
    await generateFixtureModels(FIXTURE_MODELS_DIR);
    await generateSmolvlmFixture(FIXTURE_MODELS_DIR);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-captions-'));
    try {
      const photosDir = path.join(work, 'photos');
      const files = await writePhotos(photosDir, PHOTO_COUNT);
      return {
        threads: THREADS,
        fixtureCaptioner: await captionTimes(FIXTURE_MODELS_DIR, SMOLVLM_FIXTURE_ID, files, false),
        fixtureCaptionerSplitImages: await captionTimes(FIXTURE_MODELS_DIR, SMOLVLM_FIXTURE_ID, files.slice(0, 10), true),
        libraryWithCaptions: await runJsonChild<LibraryReport>(SELF, [photosDir, path.join(work, 'data')], 'captions bench library'),
        realSmolvlm: await realSmolvlm(files),
      };
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  },
};

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  const [folder, dataDir] = process.argv.slice(2);
  console.log(JSON.stringify(await libraryWithCaptions(folder, dataDir)));
}
