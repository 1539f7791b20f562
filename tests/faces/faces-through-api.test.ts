// Faces and people as a person meets them: real photos indexed through the Api (Human on WASM in worker threads,
// the fixture SigLIP for search), then named, merged, split, rejected and hidden, and those decisions surviving a
// full re-cluster and a re-index; detection on any image, hard pictures included; the CLI's JSON shapes.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaceInfo, PersonDetails } from '../../src-preload/api';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig } from '../../src-main/config';
import { call } from '../api/unwrap';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { FACES_DIR } from '../fixtures/photos';
import { cmykCopy, crowdMosaic, exifRotatedCopy, faceFreePictures, greyCopy, onePixel } from './face-pictures';
import { labelFaces, labelledPhotos } from './labelled-photos';

const run = promisify(execFile);
const glimpseBin = path.resolve(import.meta.dirname, '..', '..', 'bin', 'glimpse.js');

/** A lean library: three people seen in several photos each, one photo of two of them together. */
const LIBRARY = ['obama.jpg', 'obama2.jpg', 'train_biden_biden2.jpg', 'test_obama_and_biden.jpg', 'train_kit_harington_john1.jpeg', 'train_kit_harington_john2.jpeg', 'test_johnsnow_test1.jpg'];
const GROUP_BOXES = [
  { file: path.join(FACES_DIR, 'human_group-3.jpg'), boxes: [[174, 456, 362, 362], [587, 304, 373, 373], [1084, 281, 362, 362], [1403, 238, 371, 371]] },
  { file: path.join(FACES_DIR, 'human_group-4.jpg'), boxes: [[205, 582, 303, 303], [471, 403, 313, 311], [833, 520, 224, 224], [1185, 480, 243, 241], [1471, 524, 245, 245]] },
];

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-faces-api-'));
const photos = path.join(root, 'photos');
const pictures = path.join(root, 'pictures');
const dataDir = path.join(root, 'data');
const env = { ...process.env, GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' };
let api: Api;
let faceFree: string[] = [];
const photoIds = new Map<string, number>();

function open() {
  return openApi(loadConfig({ env, overrides: { dataDir } }));
}

/** Which labelled person each stored face is, by its photo's labels. */
async function labelsOfFaces(): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const photo of labelledPhotos().filter((p) => LIBRARY.includes(p.file))) {
    const faces = await call(api, 'faces.ofPhoto', { photoId: photoIds.get(photo.file) });
    labelFaces(photo, faces.map((f) => ({ box: f.box, score: f.confidence }))).forEach((label, i) => label && out.set(faces[i].id, label));
  }
  return out;
}

async function personOf(label: string): Promise<PersonDetails> {
  const labels = await labelsOfFaces();
  const { people } = await call(api, 'people.list', { includeHidden: true });
  for (const person of people) {
    const details = await call(api, 'people.get', { id: person.id });
    if (details.faces.filter((f) => labels.get(f.id) === label).length * 2 > details.faces.length) return details;
  }
  throw new Error(`nobody is mostly ${label}`);
}

beforeAll(async () => {
  fs.mkdirSync(photos, { recursive: true });
  fs.mkdirSync(pictures, { recursive: true });
  for (const file of LIBRARY) fs.copyFileSync(path.join(FACES_DIR, file), path.join(photos, file));
  faceFree = await faceFreePictures(photos);
  api = await open();
  const result = await call(api, 'folders.index', { path: photos });
  expect(result.failed).toEqual([]);
  for (const photo of (await call(api, 'gallery.page', { pageSize: 100 })).items) photoIds.set(path.basename(photo.path), photo.id);
}, 180_000);

afterAll(async () => {
  await api?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('faces at import', () => {
  it('records each photo’s faces in original pixels, and none on face-free pictures', async () => {
    for (const photo of labelledPhotos().filter((p) => LIBRARY.includes(p.file))) {
      const faces = await call(api, 'faces.ofPhoto', { photoId: photoIds.get(photo.file) });
      expect(faces.length, photo.file).toBeGreaterThanOrEqual(photo.expectedFaces);
      expect(faces.length, photo.file).toBeLessThanOrEqual(photo.expectedFaces + (photo.mayHaveExtraFace ? 1 : 0));
      const { width, height } = await sharp(photo.path).metadata();
      for (const face of faces) {
        expect(face.box[0] + face.box[2]).toBeLessThanOrEqual(width!);
        expect(face.box[1] + face.box[3]).toBeLessThanOrEqual(height!);
      }
    }
    for (const file of faceFree) expect(await call(api, 'faces.ofPhoto', { photoId: photoIds.get(path.basename(file)) })).toEqual([]);
    const details = await call(api, 'photos.get', { id: photoIds.get('obama.jpg') });
    expect(details.stages.faces).toBe('done');
  });

  it('groups the faces into people, never two faces of one photo in one person', async () => {
    const labels = await labelsOfFaces();
    const { people } = await call(api, 'people.list', {});
    const groups = await Promise.all(people.map((p) => call(api, 'people.get', { id: p.id })));
    for (const label of ['obama', 'biden', 'kit_harington']) {
      const holding = groups.filter((g) => g.faces.some((f) => labels.get(f.id) === label));
      expect(holding.length, `${label} is one person`).toBe(1);
      expect(holding[0].faces.every((f) => labels.get(f.id) === label), `${label}'s person holds only ${label}`).toBe(true);
    }
    for (const group of groups) expect(new Set(group.faces.map((f) => f.photoId)).size).toBe(group.faces.length);
    expect(people.every((p) => p.cover !== null && p.cover.thumbnail?.startsWith('data:image/webp;base64,'))).toBe(true);
  });
});

describe('decisions about people', () => {
  it('keeps names, merges, splits, rejections and hidden people through a full re-cluster and a re-index', async () => {
    const obama = await personOf('obama');
    const kit = await personOf('kit_harington');
    const biden = await personOf('biden');
    await call(api, 'people.rename', { id: obama.person.id, name: 'Barack Obama' });
    // A wrong merge a person then undoes by hand: Biden merged into Obama, then split back out.
    await call(api, 'people.merge', { into: obama.person.id, from: [biden.person.id] });
    const merged = await call(api, 'people.get', { id: obama.person.id });
    expect(merged.person.name).toBe('Barack Obama');
    expect(merged.faces.length).toBe(obama.faces.length + biden.faces.length);
    const bidenAgain = await call(api, 'people.split', { id: obama.person.id, faceIds: biden.faces.map((f) => f.id) });
    await call(api, 'people.rename', { id: bidenAgain.id, name: 'Joe Biden' });
    // One Kit face is said not to be Kit; Kit is then hidden.
    const rejected = kit.faces[0];
    await call(api, 'people.reject', { id: kit.person.id, faceIds: [rejected.id] });
    await call(api, 'people.hide', { id: kit.person.id, hidden: true });

    const snapshot = async () => {
      const { people } = await call(api, 'people.list', { includeHidden: true });
      const out = new Map<number, { name: string | null; hidden: boolean; faces: number[] }>();
      for (const p of people) out.set(p.id, { name: p.name, hidden: p.hidden, faces: (await call(api, 'people.get', { id: p.id })).faces.map((f: FaceInfo) => f.id).sort() });
      return out;
    };
    const before = await snapshot();
    expect(before.get(kit.person.id)?.faces).not.toContain(rejected.id);
    expect((await call(api, 'people.list', {})).people.some((p) => p.id === kit.person.id)).toBe(false);

    await call(api, 'people.recluster', undefined);
    const afterRecluster = await snapshot();
    for (const id of [obama.person.id, bidenAgain.id, kit.person.id]) expect(afterRecluster.get(id), `person ${id}`).toEqual(before.get(id));

    // Re-index: the photos' bytes change (re-encoded), so every stage, faces included, runs again on each.
    for (const file of LIBRARY) {
      const target = path.join(photos, file);
      const bytes = await sharp(target).jpeg({ quality: 93 }).toBuffer();
      fs.writeFileSync(target, bytes);
    }
    await call(api, 'folders.index', { path: photos });
    const afterReindex = await snapshot();
    for (const id of [obama.person.id, bidenAgain.id, kit.person.id]) expect(afterReindex.get(id), `person ${id}`).toEqual(before.get(id));
    const suggestions = await call(api, 'people.suggestions', { id: kit.person.id });
    expect(suggestions.map((s) => s.face.id)).not.toContain(rejected.id);
  });

  it('offers a name given in the People view as a suggestion at once, not after the vocabulary’s next rebuild', async () => {
    const biden = await personOf('biden');
    const texts = async () => (await call(api, 'search.suggest', { prefix: 'barthol' })).suggestions.map((s) => s.text.toLowerCase());
    expect(await texts()).not.toContain('bartholomew');
    await call(api, 'people.rename', { id: biden.person.id, name: 'Bartholomew Biden' });
    try {
      // The vocabulary is rebuilt in the background as soon as the name is given: a moment, not the 30 s throttle of imports.
      await expect.poll(texts, { timeout: 5_000, interval: 100 }).toContain('bartholomew');
    } finally {
      await call(api, 'people.rename', { id: biden.person.id, name: 'Joe Biden' });
    }
  });

  it('lets a person put two faces of one photo in one person, and keeps it', async () => {
    const faces = await call(api, 'faces.ofPhoto', { photoId: photoIds.get('test_obama_and_biden.jpg') });
    const both = faces.slice(0, 2).map((f) => f.id);
    const twins = await call(api, 'faces.assign', { faceIds: both, name: 'Same Person' });
    await call(api, 'people.recluster', undefined);
    const after = await call(api, 'people.get', { id: twins.id });
    expect(after.faces.map((f) => f.id).sort()).toEqual([...both].sort());
  });

  it('finds photos of a person, alone or with a text query', async () => {
    const obama = (await call(api, 'people.list', {})).people.find((p) => p.name === 'Barack Obama');
    expect(obama).toBeDefined();
    const ofObama = new Set((await call(api, 'people.get', { id: obama!.id })).photos.map((p) => p.id));
    // The fixture SigLIP understands colour words: "white" ranks every photo, so the filter alone decides.
    const response = await call(api, 'search.query', { query: 'white', personIds: [obama!.id], ranking: { cutoff: 0 } });
    expect(response.hits.length).toBe(ofObama.size);
    expect(response.hits.every((h) => ofObama.has(h.photo.id))).toBe(true);
    const unfiltered = await call(api, 'search.query', { query: 'white', ranking: { cutoff: 0 } });
    expect(unfiltered.hits.length).toBeGreaterThan(ofObama.size);
  });
});

describe('detection on any image', () => {
  it('answers for a file and for bytes, with boxes on the faces of an EXIF-rotated photo', async () => {
    const original = path.join(FACES_DIR, 'obama.jpg');
    const rotated = path.join(pictures, 'rotated.jpg');
    await exifRotatedCopy(original, rotated);
    const plain = await call(api, 'faces.detect', { path: original });
    const turned = await call(api, 'faces.detect', { bytes: fs.readFileSync(rotated).toString('base64') });
    expect(plain.faces).toHaveLength(1);
    expect(turned.faces).toHaveLength(1);
    expect([turned.width, turned.height]).toEqual([plain.width, plain.height]);
    for (let i = 0; i < 4; i++) expect(Math.abs(turned.faces[0].box[i] - plain.faces[0].box[i])).toBeLessThanOrEqual(12);
    expect(plain.faces[0].confidence).toBeGreaterThan(0.5);
  });

  it('reads grey and CMYK JPEGs, a 1×1 image and a picture with dozens of faces', async () => {
    const source = path.join(FACES_DIR, 'train_kit_harington_john2.jpeg');
    await greyCopy(source, path.join(pictures, 'grey.jpg'));
    await cmykCopy(source, path.join(pictures, 'cmyk.jpg'));
    await onePixel(path.join(pictures, 'pixel.jpg'));
    const count = await crowdMosaic(path.join(pictures, 'crowd.jpg'), GROUP_BOXES, 6, 4);
    expect((await call(api, 'faces.detect', { path: path.join(pictures, 'grey.jpg') })).faces).toHaveLength(1);
    expect((await call(api, 'faces.detect', { path: path.join(pictures, 'cmyk.jpg') })).faces).toHaveLength(1);
    expect((await call(api, 'faces.detect', { path: path.join(pictures, 'pixel.jpg') })).faces).toEqual([]);
    const crowd = (await call(api, 'faces.detect', { path: path.join(pictures, 'crowd.jpg') })).faces;
    // Tolerance: at least 90% of the faces, at most two boxes more than there are faces.
    expect(crowd.length).toBeGreaterThanOrEqual(Math.ceil(count * 0.9));
    expect(crowd.length).toBeLessThanOrEqual(count + 2);
  });

  it('names the cause for something that is not an image, and for a missing file', async () => {
    const notImage = await api.invoke('faces.detect', { bytes: Buffer.from('not a picture at all').toString('base64') });
    expect(notImage).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED_FORMAT' } });
    expect(!notImage.ok && notImage.error.message).toMatch(/not an image/);
    const missing = await api.invoke('faces.detect', { path: path.join(pictures, 'nope.jpg') });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('glimpse faces and glimpse people', () => {
  async function glimpse(...args: string[]) {
    const { stdout } = await run(process.execPath, [glimpseBin, ...args, '--data-dir', dataDir], { env, cwd: root });
    return stdout;
  }

  it('prints faces and people in the documented JSON shapes', async () => {
    await api.close();
    try {
      const detected = JSON.parse(await glimpse('faces', path.join(FACES_DIR, 'test_kit_with_rose.jpg'), '--json'));
      expect(Object.keys(detected)).toEqual(['faces']);
      expect(detected.faces).toHaveLength(2);
      for (const face of detected.faces) {
        expect(Object.keys(face)).toEqual(['box', 'confidence']);
        expect(face.box).toHaveLength(4);
      }
      const renamed = JSON.parse(await glimpse('people', 'name', 'Joe Biden', 'Joseph', 'Biden', '--json'));
      expect(renamed.name).toBe('Joseph Biden');
      const listed = JSON.parse(await glimpse('people', '--json'));
      expect(Object.keys(listed).sort()).toEqual(['people', 'unassignedFaces']);
      const joe = listed.people.find((p: { name: string | null }) => p.name === 'Joseph Biden');
      expect(Object.keys(joe)).toEqual(['id', 'name', 'hidden', 'faces']);
      expect(Object.keys(joe.faces[0])).toEqual(['id', 'photo', 'box']);
      expect(path.isAbsolute(joe.faces[0].photo)).toBe(true);
      const { hits: found } = JSON.parse(await glimpse('search', 'white', '--person', 'Joseph Biden', '--cutoff', '0', '--json'));
      expect(found.length).toBeGreaterThan(0);
      const photosOfJoe = new Set(joe.faces.map((f: { photo: string }) => f.photo));
      expect(found.every((hit: { path: string }) => photosOfJoe.has(hit.path))).toBe(true);
      const { hits: deep } = JSON.parse(await glimpse('search', '--deep', 'white', '--person', 'Joseph Biden', '--json'));
      expect(deep.every((hit: { path: string }) => photosOfJoe.has(hit.path))).toBe(true);
    } finally {
      api = await open();
    }
  });

  it('merges people and takes the merge back from the command line, exactly', async () => {
    const state = async () => JSON.parse(await glimpse('people', '--json')) as { people: Array<{ id: number; name: string | null; faces: Array<{ id: number }> }> };
    await api.close();
    try {
      const before = await state();
      const [into, from] = before.people.filter((p) => p.name !== null);
      const merged = JSON.parse(await glimpse('people', 'merge', String(into.id), String(from.id), '--json'));
      expect(merged.faceCount).toBe(into.faces.length + from.faces.length);
      expect(Number.isInteger(merged.undoId)).toBe(true);
      expect((await state()).people.some((p) => p.id === from.id)).toBe(false);
      const undone = JSON.parse(await glimpse('people', 'undo-merge', String(merged.undoId), '--json'));
      expect(undone.people.map((p: { id: number }) => p.id)).toEqual([into.id, from.id].sort((a, b) => a - b));
      expect(await state()).toEqual(before);
      await expect(glimpse('people', 'undo-merge', String(merged.undoId), '--json')).rejects.toThrow(/already undone/);
    } finally {
      api = await open();
    }
  });

  it('forgets every face and person on request, and stops recognising faces', async () => {
    const forgotten = await call(api, 'people.forget', undefined);
    expect(forgotten.faces).toBeGreaterThan(5);
    expect(await call(api, 'people.list', { includeHidden: true })).toEqual({ people: [], unassignedFaces: 0 });
    expect((await call(api, 'settings.get', undefined)).faces.enabled).toBe(false);
  });
});
