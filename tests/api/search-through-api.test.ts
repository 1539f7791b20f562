// Search as a person meets it: photos indexed through the Api with the fixture SigLIP (colour semantics), then
// described, compared and grouped — real files, real catalog, real vector store, real ONNX inference.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig } from '../../src-main/config';
import { COLOUR_PROTOTYPES, FIXTURE_LOGIT_BIAS, FIXTURE_LOGIT_SCALE, FIXTURE_MODEL_ID, type ColourName } from '../fixtures/generate-models';
import { call } from './unwrap';

const SIZE = 512;

function rgb(colour: ColourName) {
  const [r, g, b] = COLOUR_PROTOTYPES[colour];
  return { r, g, b };
}

async function solid(file: string, colour: ColourName, size = SIZE) {
  await sharp({ create: { width: size, height: size, channels: 3, background: rgb(colour) } }).jpeg({ quality: 95 }).toFile(file);
}

/** Gray, with one quadrant entirely red: globally a quarter red, but one crop cell is all red. */
async function grayWithRedQuadrant(file: string) {
  const red = await sharp({ create: { width: SIZE / 2, height: SIZE / 2, channels: 3, background: rgb('red') } }).png().toBuffer();
  await sharp({ create: { width: SIZE, height: SIZE, channels: 3, background: rgb('gray') } })
    .composite([{ input: red, left: 0, top: 0 }])
    .jpeg({ quality: 95 })
    .toFile(file);
}

/** White with red bands spread evenly: more red overall than the quadrant photo, but no crop is mostly red. */
async function redStripes(file: string) {
  const band = await sharp({ create: { width: SIZE, height: 24, channels: 3, background: rgb('red') } }).png().toBuffer();
  const bands = Array.from({ length: SIZE / 64 }, (_, i) => ({ input: band, left: 0, top: i * 64 }));
  await sharp({ create: { width: SIZE, height: SIZE, channels: 3, background: rgb('white') } })
    .composite(bands)
    .jpeg({ quality: 95 })
    .toFile(file);
}

/** Four colours in four quadrants: a photo nothing else in the library looks like. */
async function fourColours(file: string) {
  const quadrant = (colour: ColourName) =>
    sharp({ create: { width: SIZE / 2, height: SIZE / 2, channels: 3, background: rgb(colour) } }).png().toBuffer();
  const [a, b, c] = await Promise.all([quadrant('blue'), quadrant('green'), quadrant('pink')]);
  await sharp({ create: { width: SIZE, height: SIZE, channels: 3, background: rgb('yellow') } })
    .composite([
      { input: a, left: 0, top: 0 },
      { input: b, left: SIZE / 2, top: 0 },
      { input: c, left: 0, top: SIZE / 2 },
    ])
    .png()
    .toFile(file);
}

describe('search through the Api with the fixture SigLIP', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-search-api-'));
  const photos = path.join(root, 'photos');
  let api: Api;
  const idOf = new Map<string, number>();

  beforeAll(async () => {
    fs.mkdirSync(photos);
    await Promise.all([
      solid(path.join(photos, 'red-1.jpg'), 'red'),
      solid(path.join(photos, 'red-2.jpg'), 'red', SIZE - 64),
      solid(path.join(photos, 'blue.jpg'), 'blue'),
      solid(path.join(photos, 'yellow.jpg'), 'yellow'),
      solid(path.join(photos, 'green.jpg'), 'green'),
      grayWithRedQuadrant(path.join(photos, 'gray-red-corner.jpg')),
      redStripes(path.join(photos, 'red-stripes.jpg')),
      fourColours(path.join(photos, 'four-colours.png')),
    ]);
    // A re-encoded copy: other bytes (so not an exact duplicate), same picture.
    await sharp(path.join(photos, 'four-colours.png')).resize(400).jpeg({ quality: 70 }).toFile(path.join(photos, 'four-colours-copy.jpg'));
    // A byte-identical copy in a subfolder.
    fs.mkdirSync(path.join(photos, 'backup'));
    fs.copyFileSync(path.join(photos, 'blue.jpg'), path.join(photos, 'backup', 'blue.jpg'));

    const config = loadConfig({
      env: { GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' },
      overrides: { dataDir: path.join(root, 'data') },
    });
    api = await openApi(config);
    const indexed = await call(api, 'folders.index', { path: photos });
    expect(indexed).toEqual({ indexed: 9, duplicates: 1, failed: [] });
    const page = await call(api, 'gallery.page', { pageSize: 100 });
    for (const photo of page.items) idOf.set(path.basename(photo.path), photo.id);
  });

  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('ranks the red photos first for "red", each hit carrying every part of its score', async () => {
    const response = await call(api, 'search.query', { query: 'red' });
    const names = response.hits.map((h) => path.basename(h.photo.path));
    expect(names.slice(0, 2).sort()).toEqual(['red-1.jpg', 'red-2.jpg']);
    const blue = response.hits.find((h) => path.basename(h.photo.path) === 'blue.jpg');
    expect(blue === undefined || blue.score < 0.05).toBe(true);
    const top = response.hits[0];
    expect(top.global).toBeGreaterThan(0.99);
    expect(top.local).not.toBeNull();
    expect(top.globalOnly).toBe(false);
    expect(top.score).toBe(top.calibrated);
  });

  it('understands a sentence around a colour word ("a yellow photo")', async () => {
    const response = await call(api, 'search.query', { query: 'a yellow photo' });
    expect(path.basename(response.hits[0].photo.path)).toBe('yellow.jpg');
  });

  it('lifts a photo whose red is all in one corner above where global-only ranking puts it', async () => {
    const withCrops = await call(api, 'search.query', { query: 'red' });
    const globalOnly = await call(api, 'search.query', { query: 'red', ranking: { globalWeight: 1, localWeight: 0 } });
    const rank = (hits: typeof withCrops.hits, name: string) => hits.findIndex((h) => path.basename(h.photo.path) === name);
    expect(rank(globalOnly.hits, 'red-stripes.jpg')).toBeLessThan(rank(globalOnly.hits, 'gray-red-corner.jpg'));
    expect(rank(withCrops.hits, 'gray-red-corner.jpg')).toBeLessThan(rank(withCrops.hits, 'red-stripes.jpg'));
    const corner = withCrops.hits[rank(withCrops.hits, 'gray-red-corner.jpg')];
    expect(corner.local!).toBeGreaterThan(corner.global + 0.5);
  });

  it('calibrates with the logit scale and bias read from the model, and the temperature on top', async () => {
    const response = await call(api, 'search.query', { query: 'green', ranking: { temperature: 2 } });
    const hit = response.hits[0];
    const expected = 1 / (1 + Math.exp(-2 * (FIXTURE_LOGIT_SCALE * hit.final + FIXTURE_LOGIT_BIAS)));
    expect(hit.calibrated).toBeCloseTo(expected, 6);
    expect(hit.final).toBeCloseTo(0.7 * hit.global + 0.3 * hit.local!, 6);
  });

  it('drops results below the relevance cut-off', async () => {
    // The four-colour photos have a green quadrant (≈ 0.96 here); only the all-green photo clears 0.99.
    const loose = await call(api, 'search.query', { query: 'green', ranking: { cutoff: 0.5 } });
    expect(loose.hits.map((h) => path.basename(h.photo.path)).sort()).toEqual(['four-colours-copy.jpg', 'four-colours.png', 'green.jpg']);
    const strict = await call(api, 'search.query', { query: 'green', ranking: { cutoff: 0.99 } });
    expect(strict.hits.map((h) => path.basename(h.photo.path))).toEqual(['green.jpg']);
  });

  it('filters by folder and date', async () => {
    const response = await call(api, 'search.query', { query: 'red', to: '1999-12-31' });
    expect(response.hits).toEqual([]);
  });

  it('finds the re-encoded copy first when asked for photos similar to a library photo, never the photo itself', async () => {
    const source = idOf.get('four-colours.png')!;
    const response = await call(api, 'search.similar', { id: source });
    expect(path.basename(response.hits[0].photo.path)).toBe('four-colours-copy.jpg');
    expect(response.hits.map((h) => h.photo.id)).not.toContain(source);
  });

  it('finds photos similar to an image file from outside the library', async () => {
    const outside = path.join(root, 'outside-yellow.png');
    await sharp({ create: { width: 300, height: 200, channels: 3, background: rgb('yellow') } }).png().toFile(outside);
    const response = await call(api, 'search.similar', { path: outside });
    expect(path.basename(response.hits[0].photo.path)).toBe('yellow.jpg');
  });

  it('groups exact copies by content and near-duplicates by vector', async () => {
    const groups = await call(api, 'search.duplicates', {});
    const exact = groups.find((g) => g.kind === 'exact');
    // Whichever path was seen first holds the photo; the other is recorded as its copy.
    expect(exact?.photos).toHaveLength(1);
    expect([exact!.photos[0].path, ...exact!.copies].sort()).toEqual([path.join(photos, 'backup', 'blue.jpg'), path.join(photos, 'blue.jpg')]);
    const near = groups.filter((g) => g.kind === 'near').map((g) => g.photos.map((p) => path.basename(p.path)).sort());
    expect(near).toContainEqual(['four-colours-copy.jpg', 'four-colours.png']);
    expect(near).toContainEqual(['red-1.jpg', 'red-2.jpg']);
  });

  it('answers a query with no colour word, which the model maps to an all-zero vector, with nothing matched', async () => {
    const result = await api.invoke('search.query', { query: 'birthday party' });
    expect(result.ok).toBe(true);
    expect(result.ok && result.value.hits).toEqual([]);
  });

  it('rejects an empty query with a message that says what to do', async () => {
    const result = await api.invoke('search.query', { query: '   ' });
    expect(result).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'search.query: query: type something to search for' } });
  });
});

describe('search without its model', () => {
  it('says which model is missing, where it looked and how to install it — and still catalogues photos', async () => {
    const model = 'Xenova/siglip-base-patch16-224';
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-no-model-'));
    const photos = path.join(root, 'photos');
    fs.mkdirSync(photos);
    await solid(path.join(photos, 'red.jpg'), 'red');
    const modelsDir = path.join(root, 'models');
    const api = await openApi(
      loadConfig({ env: { GLIMPSE_MODELS_DIR: modelsDir, GLIMPSE_MODEL: model, GLIMPSE_OFFLINE: '1' }, overrides: { dataDir: path.join(root, 'data') } }),
    );
    try {
      expect(await call(api, 'folders.index', { path: photos })).toEqual({ indexed: 1, duplicates: 0, failed: [] });
      const result = await api.invoke('search.query', { query: 'red' });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(['MODEL_MISSING', 'OFFLINE']).toContain(result.error.code);
      expect(result.error.message).not.toContain('\n');
      expect(result.error.message).toContain(model);
      expect(result.error.message).toContain(path.join(modelsDir, 'Xenova', 'siglip-base-patch16-224'));
      expect(result.error.message).toContain(`glimpse models download ${model}`);
    } finally {
      await api.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
