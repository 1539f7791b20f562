// Small faces at import: recall and photos/s of the faces stage with one pass only and with tiles where small faces
// were found, on the real fixture photos and on camera-sized crowd pictures made of them, fed as the import stage
// feeds them (the 1280 px viewer picture, the original for tiles). Where SMALL_FACE_SHARE and TILE_GRID come from.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { DetectInput } from '../src-main/ml/faces/face-detector';
import { FacePool } from '../src-main/ml/faces/face-pool';
import { distantGroup, faceFreePictures, groupMosaic } from '../tests/faces/face-pictures';
import { labelledPhotos } from '../tests/faces/labelled-photos';
import { round } from './measure';

const VIEW_SIDE = 1280;
const GROUPS = ['human_group-2.jpg', 'human_group-3.jpg', 'human_group-4.jpg', 'test_kit_with_rose.jpg', 'two_people.jpg', 'test_obama_and_biden.jpg'];
const MOSAICS: Array<[number, number]> = [[2, 2], [3, 3], [4, 3], [4, 4], [5, 4], [6, 5]];
const DISTANT_SHARES = [0.5, 0.35, 0.25, 0.18];

interface Picture {
  name: string;
  kind: 'real' | 'crowd' | 'face-free';
  expected: number;
  input: DetectInput;
}

/** The picture as the import stage hands it over: its viewer picture, its upright size, the original for tiles. */
async function asImported(dir: string, name: string, original: string): Promise<DetectInput> {
  const view = path.join(dir, `${name}.view.webp`);
  await sharp(original).rotate().resize(VIEW_SIDE, VIEW_SIDE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 82 }).toFile(view);
  const { info } = await sharp(original).rotate().toBuffer({ resolveWithObject: true });
  return { source: view, originalSize: { width: info.width, height: info.height }, tileSource: original };
}

async function pictures(dir: string): Promise<Picture[]> {
  const labels = labelledPhotos();
  const expectedOf = (file: string) => labels.find((l) => l.file === file)?.expectedFaces ?? 0;
  const groupPaths = GROUPS.map((file) => labels.find((l) => l.file === file)?.path ?? file);
  const out: Picture[] = [];
  for (const photo of labels) out.push({ name: photo.file, kind: 'real', expected: photo.expectedFaces, input: await asImported(dir, photo.file, photo.path) });
  for (const [cols, rows] of MOSAICS) {
    const file = path.join(dir, `mosaic-${cols}x${rows}.jpg`);
    await groupMosaic(file, groupPaths, cols, rows);
    const expected = Array.from({ length: cols * rows }, (_, i) => expectedOf(GROUPS[i % GROUPS.length])).reduce((a, b) => a + b, 0);
    out.push({ name: path.basename(file), kind: 'crowd', expected, input: await asImported(dir, path.basename(file), file) });
  }
  for (const group of ['human_group-3.jpg', 'human_group-4.jpg']) {
    for (const share of DISTANT_SHARES) {
      const file = path.join(dir, `distant-${path.parse(group).name}-${share}.jpg`);
      await distantGroup(file, groupPaths[GROUPS.indexOf(group)], share);
      out.push({ name: path.basename(file), kind: 'crowd', expected: expectedOf(group), input: await asImported(dir, path.basename(file), file) });
    }
  }
  for (const file of await faceFreePictures(dir)) out.push({ name: path.basename(file), kind: 'face-free', expected: 0, input: await asImported(dir, path.basename(file), file) });
  return out;
}

/** Faces found (capped at the expected count for recall) and wall/CPU time per photo, two workers as at import. */
async function pass(pool: FacePool, set: Picture[], tiling: 'never' | 'auto'): Promise<Record<string, unknown>> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const found = await Promise.all(set.map((p) => pool.detect({ ...p.input, tiling })));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const expected = set.reduce((sum, p) => sum + p.expected, 0);
  const hits = set.reduce((sum, p, i) => sum + Math.min(p.expected, found[i].faces.length), 0);
  return {
    expectedFaces: expected,
    foundFaces: found.reduce((sum, d) => sum + d.faces.length, 0),
    recall: expected > 0 ? round(hits / expected, 3) : null,
    extraFaces: set.reduce((sum, p, i) => sum + Math.max(0, found[i].faces.length - p.expected), 0),
    tiledPhotos: found.filter((d) => d.tiled).length,
    photosPerSecond: round(set.length / seconds),
    cpuMsPerPhoto: round((cpu.user + cpu.system) / 1000 / set.length),
    perPhoto: Object.fromEntries(set.map((p, i) => [p.name, `${found[i].faces.length}/${p.expected}`])),
  };
}

export async function tilingMeasurement(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-tiling-'));
  const pool = new FacePool(2);
  try {
    const all = await pictures(dir);
    await Promise.all(all.slice(0, 2).map((p) => pool.detect(p.input)));
    const report: Record<string, unknown> = { loadAverageAtStart: round(os.loadavg()[0]) };
    for (const kind of ['real', 'crowd', 'face-free'] as const) {
      const set = all.filter((p) => p.kind === kind);
      report[kind] = { onePass: await pass(pool, set, 'never'), withTiles: await pass(pool, set, 'auto') };
    }
    report.loadAverageAtEnd = round(os.loadavg()[0]);
    return report;
  } finally {
    await pool.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
