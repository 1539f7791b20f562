// Words benchmark: spelling dictionary load time and memory, spell check per query, suggestions per keystroke over
// a 100k-photo catalog's vocabulary (goal ≤ 5 ms p50), building that vocabulary from the catalog, WordNet expansion
// cost per query, and the fixture evaluation of expansion and prompt ensembles (P@5 / mAP).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expandQuery, wordnetTable } from '../src-main/search/expansion';
import { SpellChecker } from '../src-main/search/spelling';
import { WorkerDictionary } from '../src-main/search/spelling-dictionary';
import { suggest } from '../src-main/search/suggestions';
import { VocabularyIndex } from '../src-main/search/suggestions-vocabulary';
import { nowIso } from '../src-main/store/catalog';
import { openCatalogDatabase } from '../src-main/store/database';
import { readLibraryTerms } from '../src-main/store/library-vocabulary';
import { generateFixtureModels } from '../tests/fixtures/generate-models';
import { evaluateExpansion } from '../tests/words/support/expansion-evaluation';
import type { BenchModule } from './bench-module';
import { round, timeEach } from './measure';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE_MODELS_DIR = path.join(REPO_ROOT, '.cache', 'fixture-models');
const PHOTOS = Number(process.env.GLIMPSE_BENCH_WORDS_PHOTOS ?? 100_000);
const TYPOS = ['sunst', 'mountian', 'chrismas', 'beech sunset', 'a dgo on the beach', 'snwo in the montains', 'weddng', 'grandmas birthday'];
const CLEAN = ['sunset', 'red bike at dusk', 'kids playing in the snow', 'Kraków old town'];

/** A deterministic stream of pseudo-random numbers, so every run builds the same library. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function rssAfterSettling(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  return process.memoryUsage().rss;
}

/** A catalog of PHOTOS photos whose folder and file names are English words, the way people name trips and files. */
async function syntheticCatalog(dir: string) {
  const words = [...(await wordnetTable()).keys()].filter((word) => /^[a-z]{3,12}$/.test(word));
  const next = random(7);
  const pick = () => words[Math.floor(next() * words.length)]!;
  const database = await openCatalogDatabase({ dataDir: dir, databaseUrl: null });
  const folderRows = [];
  for (let i = 0; i < 20; i++) folderRows.push({ path: `/photos/library-${i}`, added_at: nowIso(), managed: 0 });
  const folders = await database.db.insertInto('folders').values(folderRows).returning('id').execute();
  const trips = Array.from({ length: 400 }, () => `${pick()} ${pick()} ${2000 + Math.floor(next() * 25)}`);
  for (let start = 0; start < PHOTOS; start += 2000) {
    const rows = [];
    for (let i = start; i < Math.min(PHOTOS, start + 2000); i++) {
      const folder = folders[i % folders.length]!;
      const trip = trips[Math.floor(next() * trips.length)]!;
      const name = next() < 0.6 ? `IMG_${String(i).padStart(5, '0')}` : `${pick()} ${pick()} ${i}`;
      rows.push({
        folder_id: folder.id,
        path: `/photos/library-${folders.indexOf(folder)}/${trip}/${name}.jpg`,
        hash: `h${i}`,
        size_bytes: 1,
        mtime_ms: 1,
        added_at: nowIso(),
        updated_at: nowIso(),
        status: 'ready' as const,
        camera_make: next() < 0.5 ? 'FUJIFILM' : 'Apple',
        camera_model: next() < 0.5 ? 'X-T30' : 'iPhone 15',
      });
    }
    await database.db.insertInto('images').values(rows).execute();
  }
  const people = Array.from({ length: 200 }, (_, i) => ({ name: `${pick()[0]!.toUpperCase()}${pick().slice(1)} ${i}`, hidden: 0, created_at: nowIso() }));
  await database.db.insertInto('people').values(people).execute();
  return { database, pick };
}

export const wordsBench: BenchModule = {
  name: 'words',
  async run() {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-words-'));
    const dictionary = new WorkerDictionary();
    try {
      const rssBefore = await rssAfterSettling();
      const load = await dictionary.load();
      const dictionaryLoad = { loadMs: round(load.loadMs, 0), words: load.words, workerHeapMB: round(load.heapBytes / 1e6, 1), rssGrowthMB: round(((await rssAfterSettling()) - rssBefore) / 1e6, 1) };

      const tableStarted = performance.now();
      const table = await wordnetTable();
      const wordnetLoadMs = round(performance.now() - tableStarted, 0);

      const { database, pick } = await syntheticCatalog(scratch);
      const vocabularyStarted = performance.now();
      const terms = await readLibraryTerms(database);
      const index = new VocabularyIndex(terms);
      const vocabularyBuildMs = round(performance.now() - vocabularyStarted, 0);
      await database.close();

      const checker = new SpellChecker(dictionary, async () => index);
      // Each query made new with one more library word, so no answer comes from the checker's cache.
      const spellQueries = [...TYPOS, ...CLEAN];
      const spell = await timeEach(spellQueries.length * 25, (i) => checker.check(`${spellQueries[i % spellQueries.length]!} ${pick()}`).then(() => undefined));
      const spellCached = await timeEach(spellQueries.length * 25, (i) => checker.check(spellQueries[i % spellQueries.length]!).then(() => undefined));

      // Every keystroke of 300 words typed one letter at a time, a few after a first word, with a typo now and then.
      const keystrokes: string[] = [];
      const next = random(11);
      for (let i = 0; i < 300; i++) {
        const word = pick();
        const typed = next() < 0.15 ? word.slice(0, 2) + word.slice(3) : word;
        const head = next() < 0.3 ? `${pick()} ` : '';
        for (let length = 1; length <= typed.length; length++) keystrokes.push(head + typed.slice(0, length));
      }
      const history = Array.from({ length: 200 }, (_, i) => ({ query: `${pick()} ${pick()}`, uses: 1, lastUsedAt: nowIso(), pinned: i < 5 }));
      const suggestTimes = await timeEach(keystrokes.length, async (i) => {
        suggest(keystrokes[i]!, 8, index, history);
      });

      const expansionQueries = ['dog', 'a dog on the beach', 'crimson sunset over mountains', 'kids playing in the snow', 'wedding cake', 'old car in the city'];
      const known = (term: string) => index.get(term) !== undefined || term.split(' ').every((word) => table.has(word));
      let expansionsTotal = 0;
      const expansion = await timeEach(expansionQueries.length * 50, async (i) => {
        expansionsTotal += (await expandQuery(expansionQueries[i % expansionQueries.length]!, { isKnown: known })).length;
      });

      await generateFixtureModels(FIXTURE_MODELS_DIR);
      const evaluation = await evaluateExpansion(FIXTURE_MODELS_DIR);

      return {
        dictionaryLoad,
        wordnet: { words: table.size, loadMs: wordnetLoadMs, fileMB: round(fs.statSync(path.join(REPO_ROOT, 'src-main', 'search', 'expansion-wordnet-table.ts')).size / 1e6, 2) },
        library: { photos: PHOTOS, distinctTerms: index.size, vocabularyBuildMs },
        spellMs: spell,
        spellRepeatedQueryMs: spellCached,
        suggestPerKeystrokeMs: { ...suggestTimes, keystrokes: keystrokes.length, goalP50Ms: 5 },
        expansionMs: { ...expansion, expansionsPerQuery: round(expansionsTotal / (expansionQueries.length * 50), 1), note: 'plus one cached text-tower run per expansion term' },
        evaluation,
      };
    } finally {
      await dictionary.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  },
};
