// What a user of search relies on from the embedder, checked through the real loading path (transformers.js,
// onnxruntime-node, worker threads) on the generated colour model: colours rank right, crops see details, EXIF holds.
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { CALIBRATION_FILE } from '../../src-main/ml/calibration';
import { EmbeddingPool } from '../../src-main/ml/embedding-pool';
import { openSiglipEmbedder, type SiglipEmbedder } from '../../src-main/ml/siglip-embedder';
import { SiglipSession } from '../../src-main/ml/siglip-session';
import {
  COLOUR_NAMES,
  FIXTURE_LOGIT_BIAS,
  FIXTURE_LOGIT_SCALE,
  FIXTURE_MODEL_ID,
  type ColourName,
} from '../fixtures/generate-models';
import { cosine, nearestColour, writeQuadrantImage, writeSolidImage } from './colour-images';

const modelsDir = process.env.GLIMPSE_TEST_MODELS_DIR!;
let workDir: string;
let embedder: SiglipEmbedder;
let colourTexts: Map<ColourName, Float32Array>;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'glimpse-ml-'));
  embedder = await openSiglipEmbedder({ modelsDir, modelId: FIXTURE_MODEL_ID, offline: true, workers: 1, device: 'cpu' });
  const vectors = await embedder.embedTexts(COLOUR_NAMES);
  colourTexts = new Map(COLOUR_NAMES.map((c, i) => [c, vectors[i]]));
});

afterAll(async () => {
  await embedder?.close();
  await rm(workDir, { recursive: true, force: true });
});

describe('colour semantics through the product loading path', () => {
  it('puts a yellow photo nearest to the word "yellow" among the 11 colours', async () => {
    const vector = await embedder.embedImage(await writeSolidImage(workDir, 'yellow'));
    expect(vector).toHaveLength(embedder.dims);
    expect(nearestColour(vector, colourTexts)).toBe('yellow');
  });

  it('matches every basic colour photo to its own colour word', async () => {
    const nearest: Record<string, ColourName> = {};
    for (const colour of COLOUR_NAMES) {
      nearest[colour] = nearestColour(await embedder.embedImage(await writeSolidImage(workDir, colour)), colourTexts);
    }
    expect(nearest).toEqual(Object.fromEntries(COLOUR_NAMES.map((c) => [c, c])));
  });

  it('embeds "a red car" like "red" and unlike "blue"', async () => {
    const car = await embedder.embedText('a red car');
    expect(cosine(car, colourTexts.get('red')!)).toBeGreaterThan(0.999);
    expect(cosine(car, colourTexts.get('blue')!)).toBeLessThan(0.01);
  });

  it('returns unit-length image vectors', async () => {
    const vector = await embedder.embedImage(await writeSolidImage(workDir, 'pink'));
    expect(cosine(vector, vector)).toBeCloseTo(1, 5);
  });
});

describe('crops', () => {
  it('finds a red quadrant of a gray photo in its cell crop while the global view stays gray', async () => {
    const file = await writeQuadrantImage(workDir, 'gray', 'red', 'top-right');
    const global = await embedder.embedImage(file);
    const crops = await embedder.embedCrops(file);
    expect(crops).toHaveLength(5);
    expect(nearestColour(global, colourTexts)).toBe('gray');
    // Order: centre, top-left, top-right, bottom-left, bottom-right.
    expect(crops.map((c) => nearestColour(c, colourTexts))).toEqual(['gray', 'gray', 'red', 'gray', 'gray']);
    const red = colourTexts.get('red')!;
    expect(cosine(crops[2], red)).toBeGreaterThan(cosine(global, red) + 0.5);
  });

  it('honours EXIF orientation: a patch stored top-left in a photo marked "rotate 90°" is seen top-right', async () => {
    const file = await writeQuadrantImage(workDir, 'gray', 'blue', 'top-left', { format: 'jpeg', exifOrientation: 6 });
    const crops = await embedder.embedCrops(file);
    expect(crops.map((c) => nearestColour(c, colourTexts))).toEqual(['gray', 'gray', 'blue', 'gray', 'gray']);
  });

  it('embeds image bytes exactly like the same file', async () => {
    const file = await writeQuadrantImage(workDir, 'white', 'green', 'bottom-left');
    const fromFile = await embedder.embedImage(file);
    const fromBytes = await embedder.embedImageBuffer(new Uint8Array(await readFile(file)));
    expect(Array.from(fromBytes)).toEqual(Array.from(fromFile));
  });

  it('names the file when it is not an image', async () => {
    const file = path.join(workDir, 'notes.jpg');
    await cp(path.join(modelsDir, ...FIXTURE_MODEL_ID.split('/'), 'config.json'), file);
    await expect(embedder.embedImage(file)).rejects.toThrow(`cannot read ${file} as an image`);
  });
});

describe('calibration', () => {
  it("reads the combined model's logit scale and bias and caches them beside the model", async () => {
    // A private copy, so the values are measured here rather than read from an earlier run's cache.
    const privateModels = path.join(workDir, 'models');
    await cp(modelsDir, privateModels, { recursive: true });
    const modelDir = path.join(privateModels, ...FIXTURE_MODEL_ID.split('/'));
    await rm(path.join(modelDir, CALIBRATION_FILE), { force: true });
    const fresh = await openSiglipEmbedder({ modelsDir: privateModels, modelId: FIXTURE_MODEL_ID, offline: true, device: 'cpu' });
    try {
      expect(fresh.logitScale).toBeCloseTo(FIXTURE_LOGIT_SCALE, 4);
      expect(fresh.logitBias).toBeCloseTo(FIXTURE_LOGIT_BIAS, 4);
      expect(fresh.dims).toBe(COLOUR_NAMES.length);
      const cached = JSON.parse(await readFile(path.join(modelDir, CALIBRATION_FILE), 'utf8'));
      expect(cached).toMatchObject({ modelId: FIXTURE_MODEL_ID, source: 'onnx/model.onnx', dims: COLOUR_NAMES.length });
      expect(cached.logitScale).toBeCloseTo(FIXTURE_LOGIT_SCALE, 4);
    } finally {
      await fresh.close();
    }
    // Once cached, the combined graph is no longer needed to open the model.
    await rm(path.join(modelDir, 'onnx', 'model.onnx'));
    const again = await openSiglipEmbedder({ modelsDir: privateModels, modelId: FIXTURE_MODEL_ID, offline: true, device: 'cpu' });
    expect(again.logitBias).toBeCloseTo(FIXTURE_LOGIT_BIAS, 4);
    await again.close();
  });
});

describe('worker pool', () => {
  it('returns the same vectors from two workers as a session on this thread', async () => {
    const files = [
      await writeSolidImage(workDir, 'orange'),
      await writeQuadrantImage(workDir, 'black', 'purple', 'bottom-right'),
      await writeQuadrantImage(workDir, 'brown', 'white', 'top-left'),
    ];
    const modelDir = path.join(modelsDir, ...FIXTURE_MODEL_ID.split('/'));
    const local = await SiglipSession.open({ modelDir, device: 'cpu', dtype: 'fp32' });
    const pool = await openSiglipEmbedder({ modelsDir, modelId: FIXTURE_MODEL_ID, offline: true, workers: 2, threadsPerWorker: 1, device: 'cpu' });
    try {
      expect(pool.workers).toBe(2);
      const [pooled, pooledCrops, pooledText] = await Promise.all([
        Promise.all(files.map((f) => pool.embedImage(f))),
        Promise.all(files.map((f) => pool.embedCrops(f))),
        pool.embedText('purple and white'),
      ]);
      for (const [i, file] of files.entries()) {
        expect(Array.from(pooled[i])).toEqual(Array.from(await local.embedImage(file)));
        expect(pooledCrops[i].map((v) => Array.from(v))).toEqual((await local.embedCrops(file)).map((v) => Array.from(v)));
      }
      expect(Array.from(pooledText)).toEqual(Array.from((await local.embedTexts(['purple and white']))[0]));
    } finally {
      await pool.close();
      await local.dispose();
    }
  });

  it('embeds the next photo after its workers died several times in a row while photos were in flight', async () => {
    const photo = await writeSolidImage(workDir, 'green');
    const modelDir = path.join(modelsDir, ...FIXTURE_MODEL_ID.split('/'));
    const pool = new EmbeddingPool(1, { modelDir, device: 'cpu', dtype: 'fp32' });
    // A crash is a worker thread ending under its work (native abort, memory): here the thread is ended from outside.
    const worker = () => (pool as unknown as { slots: { worker: Worker }[] }).slots[0].worker;
    try {
      expect(await pool.vectors({ op: 'image', path: photo })).toHaveLength(1);
      for (let crash = 0; crash < 4; crash += 1) {
        const inFlight = pool.vectors({ op: 'crops', path: photo });
        const dying = worker();
        await dying.terminate();
        await expect(inFlight).rejects.toThrow(/embedding worker|keep stopping/);
      }
      const [vector] = await pool.vectors({ op: 'image', path: photo });
      expect(cosine(vector, colourTexts.get('green')!)).toBeGreaterThan(0.9);
    } finally {
      await pool.close();
    }
  });

  it('refuses work after close', async () => {
    const closing = await openSiglipEmbedder({ modelsDir, modelId: FIXTURE_MODEL_ID, offline: true, device: 'cpu' });
    await closing.close();
    await expect(closing.embedText('red')).rejects.toThrow('closed');
    expect((await stat(closing.modelDir)).isDirectory()).toBe(true);
  });
});
