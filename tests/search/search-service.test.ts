// Text search, find similar and duplicates end to end over a real embedded vector store, with colour-histogram
// vectors whose right answers are known: what a person typing "red" or right-clicking a photo would see.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RankingSettings, SearchResponse } from '../../src-preload/api';
import { DEFAULT_RANKING } from '../../src-main/search/ranking';
import { SearchService, type SearchSettings } from '../../src-main/search/search-service';
import { renderTuneTable } from '../../src-main/search/tune';
import { openEmbeddedVectorStore } from '../../src-main/store/vectors/embedded-vector-store';
import type { VectorStore } from '../../src-main/store/vectors/vector-store';
import { colourTextEmbedder, embedGrid, paint, uniform, type ColourGrid } from './support/colour-photos';
import { InMemoryCatalog, photoRow } from './support/in-memory-catalog';

interface LibraryPhoto {
  id: number;
  grid: ColourGrid;
  folderId?: number;
  takenAt?: string;
  /** False: only pass 1 (global) has run for this photo. */
  cropsEmbedded?: boolean;
}

const quadrant = (r0: number, c0: number): Array<[number, number]> => [
  [r0, c0],
  [r0, c0 + 1],
  [r0 + 1, c0],
  [r0 + 1, c0 + 1],
];

// Ids by what they show, so assertions read as the story they tell.
const RED = 1;
const MOSTLY_RED = 2;
const RED_CORNER_ON_GRAY = 3; // red fills one 2×2 crop cell: weak globally, perfect in one crop
const RED_SPECKLED_GREEN = 4; // more red overall than 3, but never more than half of any crop
const BLUE = 5;
const BLUE_COPY = 6; // a re-encoded copy of 5: one cell shifted towards purple
const GREEN = 7;
const YELLOW = 8;
const WHITE = 9;
const RED_NO_CROPS = 10; // pass 2 not done yet

const LIBRARY: LibraryPhoto[] = [
  { id: RED, grid: uniform('red'), folderId: 1, takenAt: '2023-01-10T10:00:00Z' },
  { id: MOSTLY_RED, grid: paint(uniform('red'), 'white', [[0, 0], [3, 3], [0, 3], [3, 0], [1, 1]]), folderId: 2, takenAt: '2024-03-02T10:00:00Z' },
  { id: RED_CORNER_ON_GRAY, grid: paint(uniform('gray'), 'red', quadrant(0, 0)), folderId: 1, takenAt: '2024-05-05T10:00:00Z' },
  {
    id: RED_SPECKLED_GREEN,
    grid: paint(uniform('green'), 'red', [[0, 0], [0, 1], [1, 2], [2, 1], [3, 3]]),
    folderId: 2,
    takenAt: '2024-05-06T10:00:00Z',
  },
  { id: BLUE, grid: uniform('blue'), folderId: 1, takenAt: '2024-08-01T10:00:00Z' },
  { id: BLUE_COPY, grid: paint(uniform('blue'), 'purple', [[2, 2]]), folderId: 2, takenAt: '2024-08-01T10:00:00Z' },
  { id: GREEN, grid: uniform('green'), folderId: 1, takenAt: '2022-01-01T10:00:00Z' },
  { id: YELLOW, grid: paint(uniform('yellow'), 'white', quadrant(2, 2)), folderId: 1, takenAt: '2022-02-01T10:00:00Z' },
  { id: WHITE, grid: uniform('white'), folderId: 2, takenAt: '2021-12-24T10:00:00Z' },
  { id: RED_NO_CROPS, grid: paint(uniform('red'), 'black', [...quadrant(2, 0), [0, 3]]), folderId: 2, takenAt: '2024-09-09T10:00:00Z', cropsEmbedded: false },
];

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-search-'));
let store: VectorStore;
let catalog: InMemoryCatalog;
let settings: SearchSettings;
const embedder = colourTextEmbedder({ logitScale: 10, logitBias: -5 });
let service: SearchService;

beforeAll(async () => {
  store = await openEmbeddedVectorStore({ dir: path.join(scratch, 'vectors'), dimensions: 11 });
  const embedded = LIBRARY.map((photo) => ({ photo, vectors: embedGrid(photo.grid) }));
  await store.upsertGlobals(embedded.map(({ photo, vectors }) => ({ id: photo.id, vector: vectors.global })));
  await store.upsertCrops(
    embedded.filter(({ photo }) => photo.cropsEmbedded !== false).map(({ photo, vectors }) => ({ id: photo.id, crops: vectors.crops })),
  );
  catalog = new InMemoryCatalog(
    LIBRARY.map((photo) => photoRow(photo.id, { folderId: photo.folderId, takenAt: photo.takenAt ?? null })),
    [{ photo: photoRow(GREEN), copies: ['/backup/7.jpg'] }],
  );
  settings = { ranking: { ...DEFAULT_RANKING, cutoff: 0 }, nearDuplicateThreshold: 0.95 };
  service = new SearchService({ vectors: store, catalog, textEmbedder: embedder, settings: () => settings });
});

afterAll(async () => {
  await store.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const ids = (response: SearchResponse) => response.hits.map((hit) => hit.photo.id);
const search = (query: string, ranking?: Partial<RankingSettings>, extra: object = {}) =>
  service.search({ query, ranking, ...extra });

describe('text search', () => {
  it('ranks the red photos above everything else for "red"', async () => {
    const response = await search('red');
    expect(ids(response).slice(0, 3)).toEqual([RED, MOSTLY_RED, RED_NO_CROPS]);
    const redIds = new Set([RED, MOSTLY_RED, RED_CORNER_ON_GRAY, RED_SPECKLED_GREEN, RED_NO_CROPS]);
    const firstWithoutRed = ids(response).findIndex((id) => !redIds.has(id));
    expect(ids(response).slice(0, firstWithoutRed).sort((a, b) => a - b)).toEqual([...redIds].sort((a, b) => a - b));
    expect(response.model).toBe('glimpse-fixtures/siglip-colour');
    expect(response.query).toBe('red');
  });

  it('lifts a gray photo with a red corner above where global similarity alone puts it', async () => {
    const globalOnly = ids(await search('red', { globalWeight: 1, localWeight: 0 }));
    const withCrops = ids(await search('red'));
    expect(globalOnly.indexOf(RED_SPECKLED_GREEN)).toBeLessThan(globalOnly.indexOf(RED_CORNER_ON_GRAY));
    expect(withCrops.indexOf(RED_CORNER_ON_GRAY)).toBeLessThan(withCrops.indexOf(RED_SPECKLED_GREEN));
    const corner = (await search('red')).hits.find((hit) => hit.photo.id === RED_CORNER_ON_GRAY)!;
    expect(corner.local).toBeCloseTo(1, 3);
    expect(corner.global).toBeCloseTo(4 / Math.hypot(4, 12), 3);
  });

  it('scores every hit by the documented formula with the model\'s own scale and bias', async () => {
    const response = await search('red', { temperature: 1.7 });
    expect(response.hits.length).toBeGreaterThan(3);
    for (const hit of response.hits) {
      const final = hit.globalOnly ? hit.global : 0.7 * hit.global + 0.3 * hit.local!;
      expect(hit.final).toBeCloseTo(final, 12);
      expect(hit.calibrated).toBeCloseTo(1 / (1 + Math.exp(-1.7 * (10 * final - 5))), 12);
      expect(hit.score).toBe(hit.calibrated);
    }
  });

  it('ranks photos whose crops are not embedded yet on their global vector, and says so', async () => {
    const hit = (await search('red')).hits.find((h) => h.photo.id === RED_NO_CROPS)!;
    expect(hit.globalOnly).toBe(true);
    expect(hit.local).toBeNull();
    expect(hit.final).toBe(hit.global);
    expect((await search('red')).hits.filter((h) => h.photo.id !== RED_NO_CROPS).every((h) => !h.globalOnly)).toBe(true);
  });

  it('sharpens probabilities with a higher temperature without changing the order', async () => {
    const soft = await search('red', { temperature: 0.5 });
    const sharp = await search('red', { temperature: 3 });
    expect(ids(sharp)).toEqual(ids(soft));
    const top = (r: SearchResponse) => r.hits[0].calibrated;
    const bottom = (r: SearchResponse) => r.hits[r.hits.length - 1].calibrated;
    expect(top(sharp)).toBeGreaterThan(top(soft));
    expect(bottom(sharp)).toBeLessThan(bottom(soft));
  });

  it('drops results below the cut-off, and a stricter cut-off keeps fewer', async () => {
    expect((await search('red', { cutoff: 0 })).hits).toHaveLength(LIBRARY.length);
    // At scale 10 and bias −5, p ≥ 0.01 needs final ≥ 0.04: any red at all. p ≥ 0.9 needs final ≥ 0.72: mostly red.
    const loose = await search('red', { cutoff: 0.01 });
    expect(ids(loose).sort((a, b) => a - b)).toEqual([RED, MOSTLY_RED, RED_CORNER_ON_GRAY, RED_SPECKLED_GREEN, RED_NO_CROPS]);
    const strict = await search('red', { cutoff: 0.9 });
    expect(strict.hits.every((hit) => hit.calibrated >= 0.9)).toBe(true);
    expect(ids(strict)).toEqual([RED, MOSTLY_RED, RED_NO_CROPS]);
    expect(strict.candidates).toBe(LIBRARY.length);
    expect(ids(await search('purple', { cutoff: 0.9 }))).toEqual([]);
  });

  it('restricts results to a folder and to a date range', async () => {
    const inFolder = await search('red', undefined, { folderId: 2 });
    expect(ids(inFolder)).toEqual([MOSTLY_RED, RED_NO_CROPS, RED_SPECKLED_GREEN, BLUE_COPY, WHITE]);
    const in2024 = await search('red', undefined, { from: '2024-01-01', to: '2024-06-30' });
    expect(ids(in2024)).toEqual([MOSTLY_RED, RED_CORNER_ON_GRAY, RED_SPECKLED_GREEN]);
  });

  it('honours the limit and embeds a repeated query only once', async () => {
    embedder.calls.length = 0;
    expect((await search('  yellow   ', undefined, { limit: 1 })).hits.map((h) => h.photo.id)).toEqual([YELLOW]);
    await search('yellow');
    expect(embedder.calls).toEqual(['yellow']);
  });

  it('skips photos the catalog no longer has', async () => {
    const catalogWithout = new InMemoryCatalog(LIBRARY.filter((p) => p.id !== RED).map((p) => photoRow(p.id)));
    const other = new SearchService({ vectors: store, catalog: catalogWithout, textEmbedder: embedder, settings: () => settings });
    expect(ids(await other.search({ query: 'red' })).slice(0, 2)).toEqual([MOSTLY_RED, RED_NO_CROPS]);
  });

  it('answers a query the model maps to no direction (an all-zero vector) with nothing matched', async () => {
    const response = await search('sunset over the harbour');
    expect(response.hits).toEqual([]);
    expect(response.candidates).toBe(0);
    expect(response.query).toBe('sunset over the harbour');
  });

  it('answers bad requests with an error naming the field', async () => {
    await expect(search('   ')).rejects.toMatchObject({ code: 'INVALID_INPUT', subject: 'query' });
    await expect(search('red', { temperature: 0 })).rejects.toThrow(/ranking.temperature must be a number > 0, got 0/);
    await expect(search('red', { cutoff: 2 })).rejects.toThrow(/ranking.cutoff must be a probability between 0 and 1/);
    await expect(search('red', undefined, { limit: 0 })).rejects.toThrow(/limit must be a whole number from 1 to 1000/);
    await expect(search('red', undefined, { from: 'last tuesday' })).rejects.toThrow(/from must be an ISO date/);
    await expect(search('red', undefined, { from: '2024-02-01', to: '2024-01-01' })).rejects.toThrow(/starts \(2024-02-01\) after it ends/);
  });
});

describe('find similar', () => {
  it('returns the re-encoded copy first and never the photo itself', async () => {
    const response = await service.similar({ id: BLUE });
    expect(response.hits[0].photo.id).toBe(BLUE_COPY);
    expect(response.hits[0].global).toBeGreaterThan(0.99);
    expect(response.hits.map((hit) => hit.photo.id)).not.toContain(BLUE);
    expect(response.source).toEqual({ id: BLUE, path: '/photos/5.jpg' });
  });

  it('treats a path inside the library as that photo, and respects filters and the limit', async () => {
    const response = await service.similar({ path: '/photos/6.jpg', folderId: 1, limit: 2 });
    expect(response.source.id).toBe(BLUE_COPY);
    expect(response.hits.map((hit) => hit.photo.id)).toEqual([BLUE, expect.any(Number)]);
    expect(response.hits.every((hit) => hit.photo.folderId === 1)).toBe(true);
  });

  it('finds photos like an outside image vector, best first', async () => {
    const hits = await service.similarToVector(embedGrid(paint(uniform('yellow'), 'white', quadrant(2, 2))).global, { limit: 3 });
    expect(hits[0].photo.id).toBe(YELLOW);
    expect(hits[0].score).toBeCloseTo(1, 3);
  });

  it('explains what is missing for photos and files it cannot use', async () => {
    await expect(service.similar({ id: 404 })).rejects.toThrow('photo 404 is not in the library');
    await expect(service.similar({ path: '/elsewhere/cat.jpg' })).rejects.toMatchObject({ code: 'MODEL_MISSING' });
  });
});

describe('duplicates', () => {
  it('lists exact copies from the catalog and near-duplicates by vector similarity', async () => {
    const groups = await service.duplicates();
    expect(groups[0]).toMatchObject({ kind: 'exact', copies: ['/backup/7.jpg'], similarity: 1 });
    const near = groups.filter((group) => group.kind === 'near');
    expect(near.map((group) => group.photos.map((photo) => photo.id))).toEqual([[BLUE, BLUE_COPY]]);
    expect(near[0].similarity).toBeGreaterThan(0.99);
    expect((await service.duplicates({ threshold: 0.999 })).filter((group) => group.kind === 'near')).toEqual([]);
    await expect(service.duplicates({ threshold: 1.5 })).rejects.toThrow(/threshold must be a cosine similarity in \(0, 1\]/);
  });
});

describe('tune', () => {
  it('shows the candidates under several weightings and temperatures', async () => {
    const report = await service.tune('red', { weights: [[1, 0], [0.7, 0.3]], temperatures: [1, 2], limit: 4 });
    expect(report.settings).toHaveLength(4);
    const row = (id: number) => report.rows.find((r) => r.id === id)!;
    // Global only, the speckled photo outranks the red corner; with crops it is the other way round.
    expect(row(RED_CORNER_ON_GRAY).cells[0].rank).toBeGreaterThan(row(RED_SPECKLED_GREEN).cells[0].rank);
    expect(row(RED_CORNER_ON_GRAY).cells[2].rank).toBeLessThan(row(RED_SPECKLED_GREEN).cells[2].rank);
    expect(row(RED).cells[1].calibrated).toBeGreaterThan(row(RED).cells[0].calibrated);
    const text = renderTuneTable(report);
    expect(text).toContain('query "red"');
    expect(text).toContain('/photos/3.jpg');
  });
});
