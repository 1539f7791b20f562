// Every indexing stage at once, as a person with everything switched on meets it: SigLIP (global + crops), words,
// faces (Human), text in photos (PP-OCR) and captions (SmolVLM layout), over real face photos, printed words and plain
// pictures, with the fixture models — the process's peak RSS (worker threads included) against the 2 GB goal.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApi } from '../src-main/api';
import { loadConfig } from '../src-main/config';
import { writeTextPicture } from '../tests/deep/word-fixtures';
import { FIXTURE_MODEL_ID, generateFixtureModels } from '../tests/fixtures/generate-models';
import { generateSmolvlmFixture, SMOLVLM_FIXTURE_ID } from '../tests/fixtures/generate-smolvlm';
import { writePhoto } from '../tests/fixtures/photos';
import type { BenchModule } from './bench-module';
import { round, runJsonChild } from './measure';

const SELF = fileURLToPath(import.meta.url);
const REPO_ROOT = path.resolve(path.dirname(SELF), '..');
const FIXTURE_MODELS_DIR = path.join(REPO_ROOT, '.cache', 'fixture-models');
const FACE_PHOTOS = path.join(REPO_ROOT, 'tests', 'fixtures', 'faces');

interface AllStagesReport {
  photos: number;
  seconds: number;
  photosPerSecond: number;
  faces: number;
  peakRssMb: number;
  goalMb: number;
}

async function writeLibrary(folder: string): Promise<void> {
  fs.mkdirSync(folder, { recursive: true });
  for (const name of fs.readdirSync(FACE_PHOTOS).filter((n) => /\.(jpe?g|png)$/i.test(n))) {
    fs.copyFileSync(path.join(FACE_PHOTOS, name), path.join(folder, name));
  }
  const signs = [['FISH MARKET', 'OPEN 7 DAYS'], ['MENU', 'SOUP 4.50'], ['PLATFORM 9'], ['EXIT'], ['BAKERY'], ['NO PARKING'], ['HOTEL ROYAL'], ['SALE 50%']];
  for (const [i, lines] of signs.entries()) await writeTextPicture(path.join(folder, `sign-${i}.png`), lines);
  for (let i = 0; i < 20; i++) await writePhoto(path.join(folder, `plain-${i}.jpg`), { seed: 7000 + i, width: 1600, height: 1200 });
}

/** Child side: everything on, index the folder to the end of pass 2, report this process's peak memory. */
async function indexWithEverything(folder: string, dataDir: string): Promise<AllStagesReport> {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ captions: { enabled: true }, faces: { enabled: true }, ocr: { enabled: true } }));
  const config = loadConfig({
    env: { GLIMPSE_MODELS_DIR: FIXTURE_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_CAPTION_MODEL: SMOLVLM_FIXTURE_ID, GLIMPSE_OFFLINE: '1' },
    overrides: { dataDir },
  });
  const api = await openApi(config, { indexing: { watch: false, command: 'bench all stages' } });
  try {
    const started = performance.now();
    // folders.index waits for the whole queue, background passes included.
    const indexed = await api.invoke('folders.index', { path: folder });
    if (!indexed.ok) throw new Error(indexed.error.message);
    const seconds = (performance.now() - started) / 1000;
    const people = await api.invoke('people.list', {});
    const faces = people.ok ? people.value.people.reduce((n, p) => n + p.faceCount, people.value.unassignedFaces) : -1;
    return {
      photos: indexed.value.indexed,
      seconds: round(seconds, 1),
      photosPerSecond: round(indexed.value.indexed / seconds, 2),
      faces,
      // maxRSS is in kilobytes and covers every worker thread (SigLIP, faces, OCR, captions, spelling).
      peakRssMb: round(process.resourceUsage().maxRSS / 1024, 0),
      goalMb: 2048,
    };
  } finally {
    await api.close();
  }
}

export const allStagesBench: BenchModule = {
  name: 'allStages',
  async run() {
    await generateFixtureModels(FIXTURE_MODELS_DIR);
    await generateSmolvlmFixture(FIXTURE_MODELS_DIR);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-all-'));
    try {
      const folder = path.join(work, 'photos');
      await writeLibrary(folder);
      return { ...(await runJsonChild<AllStagesReport>(SELF, [folder, path.join(work, 'data')], 'all-stages indexing')) };
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  },
};

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  const [folder, dataDir] = process.argv.slice(2);
  console.log(JSON.stringify(await indexWithEverything(folder, dataDir)));
}
