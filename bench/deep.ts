// `npm run bench -- deep`: the words side of search. The fixture evaluation's P@5 / mAP for normal and deep search,
// deep-search latency and text-index size per photo at 100k photos with words and captions, and OCR time per photo
// with pictures scaled to 960 px first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openApi } from '../src-main/api';
import { loadConfig } from '../src-main/config';
import { OcrReader } from '../src-main/ml/ocr/ocr-reader';
import { DeepSearch } from '../src-main/search/deep-search';
import { Catalog } from '../src-main/store/catalog';
import { openCatalogDatabase } from '../src-main/store/database';
import { openTextIndex } from '../src-main/store/text-index';
import { EVALUATION_QUERIES, evaluate, summary, writeEvaluationPhotos } from '../tests/deep/evaluation';
import { writeTextPicture } from '../tests/deep/word-fixtures';
import { FIXTURE_MODEL_ID, generateFixtureModels } from '../tests/fixtures/generate-models';
import type { BenchModule } from './bench-module';
import { round, timeEach } from './measure';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE_MODELS_DIR = path.join(REPO_ROOT, '.cache', 'fixture-models');
const LIBRARY_SIZE = Number(process.env.GLIMPSE_BENCH_DEEP_PHOTOS ?? 100_000);

/** A deterministic vocabulary of made-up words, so captions and keywords have a realistic spread of frequencies. */
function vocabulary(size: number): string[] {
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'bra', 'cli', 'dro', 'fen', 'gra', 'hul', 'jor'];
  const words: string[] = [];
  for (let i = 0; words.length < size; i++) {
    let n = i;
    let word = '';
    do {
      word += syllables[n % syllables.length];
      n = Math.floor(n / syllables.length);
    } while (n > 0);
    if (word.length >= 4) words.push(word);
  }
  return words;
}

/** Zipf-like pick: a few words are common, most are rare (as in real captions and keywords). */
function pick(words: string[], random: () => number): string {
  return words[Math.min(words.length - 1, Math.floor(words.length * random() ** 3))];
}

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function largeLibrary() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-deep-'));
  const database = await openCatalogDatabase({ dataDir: dir, databaseUrl: null });
  const catalog = new Catalog(database);
  const words = vocabulary(5000);
  const random = seeded(7);
  const sentence = (n: number) => Array.from({ length: n }, () => pick(words, random)).join(' ');
  const folder = await catalog.insertFolder(path.join(dir, 'Photos'));
  const started = performance.now();
  const now = new Date().toISOString();
  for (let i = 0; i < LIBRARY_SIZE; i += 1000) {
    await catalog.transaction(async (trx) => {
      const rows = Array.from({ length: Math.min(1000, LIBRARY_SIZE - i) }, (_, j) => ({
        folder_id: folder.id,
        path: path.join(folder.path, `${sentence(1)}`, `IMG_${i + j}.jpg`),
        hash: `h${i + j}`,
        size_bytes: 1,
        mtime_ms: 1,
        added_at: now,
        updated_at: now,
        status: 'ready' as const,
        caption: `a photo of ${sentence(8)}`,
        caption_model: 'bench',
      }));
      const ids = await trx.insertInto('images').values(rows).returning('id').execute();
      // A third of the photos carry words people wrote (titles and keywords), as imported libraries do.
      const worded = ids.filter((_, j) => (i + j) % 3 === 0);
      if (worded.length > 0) {
        await sql`insert into photo_words (image_id, title, keywords, sources, updated_at) values ${sql.join(
          worded.map((r) => sql`(${r.id}, ${sentence(3)}, ${[sentence(1), sentence(1), sentence(1)].join('\n')}, '["xmp"]', ${now})`),
        )}`.execute(trx);
      }
    });
  }
  const buildSeconds = (performance.now() - started) / 1000;
  const textIndex = openTextIndex(database);
  const deep = new DeepSearch({ textIndex, catalog: { photos: (ids) => catalog.photos(ids), idsMatching: (f) => catalog.idsMatching(f), idOfPath: async () => null, exactDuplicates: async () => [] }, vectors: async () => ({ searcher: null, reason: 'text only' }) });
  const queries = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? pick(words, random) : `${pick(words, random)} ${pick(words, random)}`));
  await deep.search({ query: queries[0] });
  const latency = await timeEach(queries.length, async (i) => void (await deep.search({ query: queries[i], limit: 50 })));
  // Query expansion on the text side at its worst: every query word has three relatives the library uses (the most
  // expandQuery returns per word), each one more wording of the query for the index to search.
  const relatives = new Map(queries.flatMap((q) => q.split(' ')).map((w) => [w, [pick(words, random), pick(words, random), pick(words, random)]]));
  const expanded = new DeepSearch({
    textIndex,
    catalog: { photos: (ids) => catalog.photos(ids), idsMatching: (f) => catalog.idsMatching(f), idOfPath: async () => null, exactDuplicates: async () => [] },
    vectors: async () => ({ searcher: null, reason: 'text only' }),
    expansions: async ({ query }) =>
      query.split(' ').flatMap((word) => (relatives.get(word) ?? []).map((term, i) => ({ word, term, relation: 'synonym' as const, weight: [0.8, 0.5, 0.4][i]! }))),
  });
  const latencyExpanded = await timeEach(queries.length, async (i) => void (await expanded.search({ query: queries[i], limit: 50 })));
  const size = await textIndex.sizeBytes();
  const vocabularyLookup = await timeEach(30, async (i) => void (await textIndex.vocabulary.terms(words[i * 7].slice(0, 3), 10)));
  await catalog.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    photos: LIBRARY_SIZE,
    buildSeconds: round(buildSeconds, 1),
    deepSearchTextOnly: latency,
    deepSearchTextOnlyWithThreeRelativesPerWord: latencyExpanded,
    textIndexBytesPerPhoto: round(size / LIBRARY_SIZE, 1),
    vocabularyPrefixLookup: vocabularyLookup,
  };
}

async function ocrTimes() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-ocr-'));
  const reader = new OcrReader();
  try {
    const files = await Promise.all(
      [
        ['3200×1200 sign', 3200, 1200, ['OPEN 24 HOURS', 'PHARMACY']],
        ['1600×600 menu', 1600, 600, ['SOUP OF THE DAY', 'TOMATO 4.50']],
        ['4000×3000 receipt', 4000, 3000, ['TOTAL 12.50', 'THANK YOU', 'VISIT AGAIN']],
      ].map(async ([name, w, h, lines]) =>
        writeTextPicture(path.join(dir, `${String(name).replace(/\W+/g, '-')}.png`), lines as string[], { width: w as number, height: h as number, fontSize: Math.round((h as number) / 6) }),
      ),
    );
    const load = performance.now();
    await reader.read(files[0]);
    const firstMs = performance.now() - load;
    const perPhoto: number[] = [];
    for (let round = 0; round < 3; round++) for (const file of files) perPhoto.push((await reader.read(file)).ms);
    perPhoto.sort((a, b) => a - b);
    return { maxSide: 960, firstCallMs: Math.round(firstMs), p50Ms: Math.round(perPhoto[Math.floor(perPhoto.length / 2)]), maxMs: Math.round(perPhoto.at(-1)!), goalMs: 600 };
  } finally {
    await reader.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function evaluation() {
  await generateFixtureModels(FIXTURE_MODELS_DIR);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-eval-'));
  const api = await openApi(
    loadConfig({ env: { GLIMPSE_MODELS_DIR: FIXTURE_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' }, overrides: { dataDir: path.join(root, 'data') } }),
  );
  try {
    await writeEvaluationPhotos(path.join(root, 'photos'));
    const result = await api.invoke('folders.index', { path: path.join(root, 'photos') });
    if (!result.ok) throw new Error(result.error.message);
    return { queries: EVALUATION_QUERIES.length, ...summary(await evaluate(api)) };
  } finally {
    await api.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export const deepBench: BenchModule = {
  name: 'deep',
  async run() {
    return { evaluation: await evaluation(), ocr: await ocrTimes(), library: await largeLibrary() };
  },
};
