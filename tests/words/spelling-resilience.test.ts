// A search must never fail because of, or wait without end on, its spelling dictionary: a dictionary whose worker
// died, one still loading (seconds at start, far longer under load) and one that answers late, each met by a search.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RankingSettings, SearchRequest, SearchResponse, WordsSettings } from '../../src-preload/api';
import { ExpansionSearch } from '../../src-main/search/expansion-search';
import { DEFAULT_RANKING } from '../../src-main/search/ranking';
import { SearchService } from '../../src-main/search/search-service';
import { SpellChecker } from '../../src-main/search/spelling';
import type { DictionaryCandidate, WordDictionary } from '../../src-main/search/spelling-dictionary';
import { VocabularyIndex } from '../../src-main/search/suggestions-vocabulary';
import { openCatalogDatabase, type CatalogDatabase } from '../../src-main/store/database';
import { SearchHistoryStore } from '../../src-main/store/search-history';
import { openEmbeddedVectorStore } from '../../src-main/store/vectors/embedded-vector-store';
import type { VectorStore } from '../../src-main/store/vectors/vector-store';
import { colourTextEmbedder, COLOURS, embedGrid, uniform } from '../search/support/colour-photos';
import { InMemoryCatalog, photoRow } from '../search/support/in-memory-catalog';

/** What a loaded English dictionary answers for the two words these searches use. */
const ENGLISH: Record<string, DictionaryCandidate[]> = {
  purple: [{ term: 'purple', distance: 0, count: 17_000_000 }],
  purpel: [{ term: 'purple', distance: 2, count: 17_000_000 }],
};
const lookUp = (words: string[]) => words.map((word) => ENGLISH[word] ?? []);

const WAITS = { withResultsMs: 20, withoutResultsMs: 400 };
/** Far longer than either wait: a search still unanswered by then is waiting on the dictionary without end. */
const HANG_MS = 10_000;

let scratch: string;
let vectors: VectorStore;
let service: SearchService;
const ranking: RankingSettings = DEFAULT_RANKING;
const words: WordsSettings = { expand: false, correctSpelling: true, rememberSearches: true };

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-spelling-resilience-'));
  vectors = await openEmbeddedVectorStore({ dir: path.join(scratch, 'vectors'), dimensions: COLOURS.length });
  const photos = COLOURS.map((colour, i) => ({ id: i + 1, vectors: embedGrid(uniform(colour)) }));
  await vectors.upsertGlobals(photos.map((photo) => ({ id: photo.id, vector: photo.vectors.global })));
  await vectors.upsertCrops(photos.map((photo) => ({ id: photo.id, crops: photo.vectors.crops })));
  service = new SearchService({
    vectors,
    catalog: new InMemoryCatalog(photos.map((photo) => photoRow(photo.id))),
    textEmbedder: colourTextEmbedder(),
    settings: () => ({ ranking, nearDuplicateThreshold: 0.95 }),
  });
});

afterAll(async () => {
  await vectors?.close();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

function searcher(dictionary: WordDictionary, history?: SearchHistoryStore) {
  const logged: string[] = [];
  const remembered: string[] = [];
  const search = new ExpansionSearch({
    service: async () => service,
    spelling: new SpellChecker(dictionary, async () => new VocabularyIndex([])),
    vocabulary: async () => new VocabularyIndex([]),
    tokenizerWords: async () => new Set<string>(),
    settings: () => ({ words, ranking }),
    remember: async (query) => {
      remembered.push(query);
      if (!history) return undefined;
      const recorded = await history.record(query);
      return () => history.withdraw(recorded);
    },
    spellingWaits: WAITS,
    log: (line) => void logged.push(line),
  });
  return { search, logged, remembered };
}

async function answered(search: ExpansionSearch, query: string, request: Partial<SearchRequest> = {}): Promise<SearchResponse> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the search for "${query}" was still waiting after ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    return await Promise.race([search.search({ query, limit: 5, remember: true, ...request }), hang]);
  } finally {
    clearTimeout(timer);
  }
}

const found = (response: SearchResponse) => response.hits.filter((hit) => hit.calibrated >= ranking.cutoff).map((hit) => hit.photo.id);
const PURPLE_ID = COLOURS.indexOf('purple') + 1;

describe('a search and its spelling dictionary', () => {
  it('answers with its hits and no correction when the dictionary fails, and says why once in the log', async () => {
    const dead: WordDictionary = { lookup: async () => Promise.reject(new Error('the spelling worker stopped (exit code 1)')) };
    const { search, logged, remembered } = searcher(dead);
    const purple = await answered(search, 'purple');
    expect(found(purple)[0]).toBe(PURPLE_ID);
    expect(purple.spelling).toBeUndefined();
    const typo = await answered(search, 'purpel');
    expect(found(typo)).toEqual([]);
    expect(typo.spelling).toBeUndefined();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('the spelling worker stopped (exit code 1)');
    expect(remembered).toEqual(['purple', 'purpel']);
  });

  it('keeps spell check itself honest: it still rejects, naming the cause', async () => {
    const dead: WordDictionary = { lookup: async () => Promise.reject(new Error('the spelling dictionary did not load: ENOENT')) };
    await expect(new SpellChecker(dead, async () => new VocabularyIndex([])).check('purpel')).rejects.toThrow('the spelling dictionary did not load: ENOENT');
  });

  it('answers within its bounds while the dictionary never does, and says a correction is still to come when it found nothing', async () => {
    const silent: WordDictionary = { lookup: () => new Promise<never>(() => undefined) };
    const { search } = searcher(silent);
    const purple = await answered(search, 'purple');
    expect(found(purple)[0]).toBe(PURPLE_ID);
    expect(purple.spelling).toBeUndefined();
    expect(purple.spellingPending).toBeUndefined();
    const typo = await answered(search, 'purpel');
    expect(found(typo)).toEqual([]);
    expect(typo.spellingPending).toBe(true);
  });

  it('waits for a late correction when the typo found nothing, but shows found results without waiting for a "did you mean"', async () => {
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const late: WordDictionary = { lookup: async (asked) => (await gate, lookUp(asked)) };
    const { search } = searcher(late);
    const typo = answered(search, 'purpel');
    setTimeout(release, WAITS.withResultsMs * 3);
    const recovered = await typo;
    expect(recovered.spelling).toMatchObject({ original: 'purpel', corrected: 'purple', applied: true });
    expect(found(recovered)[0]).toBe(PURPLE_ID);
    expect(recovered.spellingPending).toBeUndefined();

    const stuck: WordDictionary = { lookup: () => new Promise<never>(() => undefined) };
    const purple = await answered(searcher(stuck).search, 'purple purpel');
    expect(found(purple)[0]).toBe(PURPLE_ID);
    expect(purple.spelling).toBeUndefined();
  });
});

describe('the search history of a typo searched while the dictionary loads', () => {
  let dir: string;
  let database: CatalogDatabase;
  let history: SearchHistoryStore;
  const recent = async () => (await history.list()).map((entry) => [entry.query, entry.uses]);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-spelling-history-'));
    database = await openCatalogDatabase({ dataDir: dir, databaseUrl: null });
    history = new SearchHistoryStore(database);
  });

  afterAll(async () => {
    await database?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('holds the corrected search the window asks again for, once, and not the typo too — unless the typo is asked for exactly', async () => {
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const loading: WordDictionary = { lookup: async (asked) => (await gate, lookUp(asked)) };
    const { search } = searcher(loading, history);
    await history.clear(true);

    const typo = await answered(search, 'purpel');
    expect(typo.spellingPending).toBe(true);
    expect(await recent()).toEqual([['purpel', 1]]);
    // The dictionary loads; the window, told a correction was still to come, asks again for what was typed.
    release();
    const again = await answered(search, 'purpel');
    expect(again.spelling).toMatchObject({ original: 'purpel', corrected: 'purple', applied: true });
    expect(await recent()).toEqual([['purple', 1]]);

    // "Search instead for purpel": that is a search of its own, and both stay.
    await answered(search, 'purpel', { correctSpelling: false });
    expect(await recent()).toEqual([
      ['purpel', 1],
      ['purple', 1],
    ]);
  });

  it('keeps what the typo had in the history before, its count and pin', async () => {
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const loading: WordDictionary = { lookup: async (asked) => (await gate, lookUp(asked)) };
    const { search } = searcher(loading, history);
    await history.clear(true);
    await history.pin('purpel', true);
    await history.record('purpel');

    expect((await answered(search, 'purpel')).spellingPending).toBe(true);
    release();
    await answered(search, 'purpel');
    expect((await history.list()).map((entry) => [entry.query, entry.uses, entry.pinned])).toEqual([
      ['purpel', 1, true],
      ['purple', 1, false],
    ]);
  });
});
