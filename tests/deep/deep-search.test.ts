// Deep search as a person meets it, through the Api and the command line: a library of generated photos with words
// people wrote and words printed in them, indexed with the fixture SigLIP and the real PP-OCR models; the
// evaluation's P@5 and mAP printed for normal and deep search, deep never worse.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig } from '../../src-main/config';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { call } from '../api/unwrap';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';
import { EVALUATION_QUERIES, evaluate, summary, writeEvaluationPhotos } from './evaluation';

const run = promisify(execFile);
const glimpseBin = path.resolve(import.meta.dirname, '..', '..', 'bin', 'glimpse.js');

describe('deep search through the Api', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-deep-'));
  const photos = path.join(root, 'Holidays');
  const dataDir = path.join(root, 'data');
  const env = { GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' };
  let api: Api;
  const idOf = new Map<string, number>();

  beforeAll(async () => {
    const names = await writeEvaluationPhotos(photos);
    api = await openApi(loadConfig({ env, overrides: { dataDir } }));
    const indexed = await call(api, 'folders.index', { path: photos });
    expect(indexed).toEqual({ indexed: names.length, duplicates: 0, failed: [] });
    for (const photo of (await call(api, 'gallery.page', { pageSize: 100 })).items) idOf.set(path.basename(photo.path), photo.id);
  }, 300_000);

  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('shows the imported words and the text read in a photo in its details', async () => {
    const birthday = await call(api, 'photos.get', { id: idOf.get('IMG_0202.jpg')! });
    expect(birthday.words).toMatchObject({ title: 'Birthday party', keywords: ['birthday', 'cake'], people: ['Ana Silva'], sources: ['xmp'] });
    expect(birthday.stages.words).toBe('done');

    const menu = await call(api, 'photos.get', { id: idOf.get('IMG_0302.png')! });
    expect(menu.stages.ocr).toBe('done');
    const read = menu.words?.ocr?.lines.map((l) => l.text) ?? [];
    expect(read).toHaveLength(2);
    expect(read[0]).toMatch(/^CAFE LOK/);
    expect(read[1]).toBe('SOUP OF THE DAY');
    for (const line of menu.words!.ocr!.lines) {
      expect(line.score).toBeGreaterThan(0.6);
      const [x, y, w, h] = line.box;
      // Boxes are in the photo's own pixels (800×300), around where the SVG put each line.
      expect(x).toBeGreaterThanOrEqual(20);
      expect(x).toBeLessThan(80);
      expect(x + w).toBeLessThanOrEqual(800);
      expect(y + h).toBeLessThanOrEqual(300);
      expect(h).toBeGreaterThan(30);
    }
  });

  it('finds photos by words people wrote and words printed in them, each hit saying which parts found it', async () => {
    const tram = await call(api, 'search.deep', { query: 'tram' });
    expect(path.basename(tram.hits[0].photo.path)).toBe('IMG_0201.jpg');
    expect(tram.hits[0].text?.rank).toBe(1);
    const title = tram.hits[0].text?.fields.find((f) => f.field === 'title');
    expect(title?.snippet).toBe('Tram 28 in Lisbon');
    expect(title?.highlights.map(([s, e]) => title.snippet.slice(s, e))).toEqual(['Tram']);
    expect(tram.model).toBe(FIXTURE_MODEL_ID);

    const exit = await call(api, 'search.deep', { query: 'exit' });
    expect(path.basename(exit.hits[0].photo.path)).toBe('IMG_0301.png');
    expect(exit.hits[0].text?.fields.map((f) => f.field)).toContain('ocr');

    const red = await call(api, 'search.deep', { query: 'red birthday' });
    const top = red.hits[0];
    expect(path.basename(top.photo.path)).toBe('IMG_0202.jpg');
    expect(top.text).not.toBeNull();
    expect(top.vector?.rank).toBeLessThanOrEqual(3);
    expect(top.score).toBeGreaterThan(red.hits[1].score);
  });

  it('scores deep search at least as well as normal search on the evaluation', async () => {
    const report = await evaluate(api);
    console.log(`deep-search evaluation (${EVALUATION_QUERIES.length} queries): ${JSON.stringify(summary(report))}`);
    expect(report.deepRrf.p5).toBeGreaterThanOrEqual(report.normal.p5);
    expect(report.deepRrf.map).toBeGreaterThanOrEqual(report.normal.map);
    // Reciprocal-rank fusion is the default because it does at least as well as the normalised score sum here.
    expect(report.deepRrf.map).toBeGreaterThanOrEqual(report.deepScoreSum.map);
    // The text side's related words (on by default) help and never hurt: compared with the same search switched off.
    expect(report.deepRrf.p5).toBeGreaterThanOrEqual(report.deepRrfWithoutExpansion.p5);
    expect(report.deepRrf.map).toBeGreaterThan(report.deepRrfWithoutExpansion.map);
    for (const q of report.deepRrfWithoutExpansion.perQuery) {
      expect(report.deepRrf.perQuery.find((p) => p.query === q.query)!.ap, q.query).toBeGreaterThanOrEqual(q.ap);
    }
    // Colour queries the image model answers alone keep their relevant photos on top.
    for (const q of report.deepRrf.perQuery.filter((p) => ['red', 'blue', 'yellow'].includes(p.query))) expect(q.ap, q.query).toBe(1);
  });

  it('answers hostile queries with plain-word matches or a note, never an error', async () => {
    const stop = await call(api, 'search.deep', { query: 'the of and' });
    expect(stop.terms).toEqual([]);
    expect(stop.notes.join(' ')).toMatch(/too common to search the text for/);
    for (const query of ['"tram', 'tram*', 'NEAR(tram lisbon)', '-tram', 'title:tram', '(tram', "tram' OR 1=1 --"]) {
      const response = await call(api, 'search.deep', { query });
      expect(path.basename(response.hits[0].photo.path), query).toBe('IMG_0201.jpg');
    }
    const long = await call(api, 'search.deep', { query: `${'lisbon '.repeat(142)}tram`.slice(0, 1000) });
    expect(path.basename(long.hits[0].photo.path)).toBe('IMG_0201.jpg');
    const tooLong = await api.invoke('search.deep', { query: 'x'.repeat(1001) });
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'search.deep: query: the query is longer than 1,000 characters' } });
  });

  it('reads the text in an image file, naming files it cannot read', async () => {
    const sign = await call(api, 'ocr.read', { path: path.join(photos, 'IMG_0303.png') });
    expect(sign.lines.map((l) => l.text)).toEqual(['TOTAL 12.50', 'THANK YOU']);
    const missing = await api.invoke('ocr.read', { path: path.join(root, 'nope.png') });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    fs.writeFileSync(path.join(root, 'not-an-image.png'), 'just text');
    const garbage = await api.invoke('ocr.read', { path: path.join(root, 'not-an-image.png') });
    expect(garbage).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED_FORMAT' } });
  });

  it('widens the text side with related words the library uses, below the words typed, and can be switched off', async () => {
    const widened = await call(api, 'search.deep', { query: 'streetcar' });
    expect(widened.expansions.map((e) => [e.word, e.term, e.relation])).toEqual([['streetcar', 'tram', 'synonym']]);
    expect(path.basename(widened.hits[0].photo.path)).toBe('IMG_0201.jpg');
    expect(widened.hits[0].text?.expansion).toBe('tram');
    const title = widened.hits[0].text?.fields.find((f) => f.field === 'title');
    expect(title?.highlights.map(([s, e]) => title.snippet.slice(s, e))).toEqual(['Tram']);
    // A photo found by the words typed outranks one found only through a related word.
    const typedFirst = await call(api, 'search.deep', { query: 'lighthouse seashore' });
    expect(typedFirst.expansions.map((e) => e.term)).toContain('coast');
    expect(path.basename(typedFirst.hits[0].photo.path)).toBe('IMG_0205.jpg');

    const exact = await call(api, 'search.deep', { query: 'streetcar', expand: false });
    expect(exact.expansions).toEqual([]);
    expect(exact.hits.some((h) => h.text !== null)).toBe(false);
    const chipRemoved = await call(api, 'search.deep', { query: 'streetcar', withoutExpansions: ['tram'] });
    expect(chipRemoved.expansions).toEqual([]);
    expect(chipRemoved.hits.some((h) => h.text !== null)).toBe(false);

    await call(api, 'settings.update', { words: { expand: false } });
    try {
      expect((await call(api, 'search.deep', { query: 'streetcar' })).expansions).toEqual([]);
      expect((await call(api, 'search.deep', { query: 'streetcar', expand: true })).expansions.map((e) => e.term)).toEqual(['tram']);
    } finally {
      await call(api, 'settings.update', { words: { expand: true } });
    }
  });

  it('prints deep hits and OCR lines as JSON on the command line', async () => {
    await api.close();
    const cli = (...args: string[]) => run(process.execPath, [glimpseBin, ...args, '--data-dir', dataDir, '--json'], { env: { ...process.env, ...env }, cwd: root });
    const deep = JSON.parse((await cli('search', '--deep', 'fish', 'market')).stdout) as { hits: Array<{ path: string; text: { fields: Array<{ field: string }> } | null }> };
    expect(path.basename(deep.hits[0].path)).toBe('IMG_0204.jpg');
    expect(deep.hits[0].text?.fields.map((f) => f.field)).toEqual(['description']);
    const widened = JSON.parse((await cli('search', '--deep', 'streetcar')).stdout) as { expansions: Array<{ term: string }>; hits: Array<{ path: string }> };
    expect(widened.expansions.map((e) => e.term)).toEqual(['tram']);
    expect(path.basename(widened.hits[0].path)).toBe('IMG_0201.jpg');
    const exact = JSON.parse((await cli('search', '--deep', 'streetcar', '--no-expand')).stdout) as { expansions: unknown[]; hits: Array<{ text: unknown }> };
    expect(exact.expansions).toEqual([]);
    expect(exact.hits.every((h) => h.text === null)).toBe(true);
    const ocr = JSON.parse((await cli('ocr', path.join(photos, 'IMG_0301.png'))).stdout) as { lines: Array<{ text: string; box: number[]; score: number }> };
    expect(ocr.lines.map((l) => l.text)).toEqual(['EXIT']);
    expect(ocr.lines[0].box).toHaveLength(4);
    api = await openApi(loadConfig({ env, overrides: { dataDir } }), { indexing: false });
  });
});

describe('deep search with no image model at all', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-deep-nomodel-'));
  let api: Api;

  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('finds photos by their words and says the image model is missing', async () => {
    await writeEvaluationPhotos(path.join(root, 'photos'));
    const env = { GLIMPSE_MODELS_DIR: path.join(root, 'no-models'), GLIMPSE_MODEL: 'nobody/no-such-model', GLIMPSE_OFFLINE: '1', GLIMPSE_OCR: '0' };
    api = await openApi(loadConfig({ env, overrides: { dataDir: path.join(root, 'data') } }), { log: () => undefined });
    await call(api, 'folders.index', { path: path.join(root, 'photos') });
    const response = await call(api, 'search.deep', { query: 'ana silva' });
    expect(response.model).toBeNull();
    expect(response.notes.join(' ')).toMatch(/nobody\/no-such-model is not installed: photos were found by their words alone/);
    expect(response.hits.map((h) => path.basename(h.photo.path)).sort()).toEqual(['IMG_0202.jpg', 'IMG_0203.jpg']);
    expect(response.hits.every((h) => h.vector === null && h.text !== null)).toBe(true);
    // With OCR off, printed words are not searched (and no OCR stage ran).
    expect((await call(api, 'search.deep', { query: 'exit' })).hits.map((h) => path.basename(h.photo.path))).toEqual([]);
    const sign = (await call(api, 'gallery.page', { pageSize: 100 })).items.find((p) => p.path.endsWith('IMG_0301.png'))!;
    expect((await call(api, 'photos.get', { id: sign.id })).stages.ocr).toBeUndefined();
  });
});

describe('deep search on a PostgreSQL catalog', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-deep-pg-'));
  let database: TestDatabase;
  let api: Api;

  afterAll(async () => {
    await api?.close();
    await database?.drop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('finds photos by imported words and marks them, as on SQLite', async () => {
    database = await createTestDatabase('glimpse_deep');
    await writeEvaluationPhotos(path.join(root, 'photos'));
    const env = {
      GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR,
      GLIMPSE_MODEL: FIXTURE_MODEL_ID,
      GLIMPSE_OFFLINE: '1',
      GLIMPSE_OCR: '0',
      GLIMPSE_DATABASE_URL: database.url,
    };
    api = await openApi(loadConfig({ env, overrides: { dataDir: path.join(root, 'data') } }));
    await call(api, 'folders.index', { path: path.join(root, 'photos') });
    const response = await call(api, 'search.deep', { query: 'Ana Silva' });
    expect(response.hits.map((h) => path.basename(h.photo.path)).sort()).toEqual(['IMG_0202.jpg', 'IMG_0203.jpg']);
    const people = response.hits[0].text?.fields.find((f) => f.field === 'people');
    expect(people?.highlights.map(([s, e]) => people.snippet.slice(s, e))).toEqual(['Ana', 'Silva']);
    const red = await call(api, 'search.deep', { query: 'red birthday' });
    expect(path.basename(red.hits[0].photo.path)).toBe('IMG_0202.jpg');
    expect(red.hits[0].vector).not.toBeNull();
  });
});
