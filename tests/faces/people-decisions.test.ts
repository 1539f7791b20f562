// Decisions about people as a person makes them in the People view and on the command line, on real photos in two
// folders taken years apart: a chosen cover face, suggestions confirmed and rejected in bulk, search by person with
// folder and date filters, and `glimpse people split|reject|hide|unhide|forget` with their JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonSummary } from '../../src-preload/api';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig } from '../../src-main/config';
import { call } from '../api/unwrap';
import { runGlimpse } from '../cli/run-glimpse';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { exifBlock, FACES_DIR } from '../fixtures/photos';
import { labelFaces, labelledPhotos } from './labelled-photos';

/** Obama in five photos (two at home in 2019, three on a trip in 2023), Kit and Rose on the trip. */
const FOLDERS = {
  home: { takenAt: '2019:05:04 12:00:00', files: ['obama.jpg', 'obama2.jpg', 'train_kit_harington_john1.jpeg'] },
  trip: { takenAt: '2023:08:19 12:00:00', files: ['test_obama3.jpg', 'two_people.jpg', 'test_obama_and_biden.jpg', 'train_kit_harington_john2.jpeg', 'test_johnsnow_test1.jpg', 'test_kit_with_rose.jpg'] },
};
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-people-decisions-'));
const dataDir = path.join(root, 'data');
const env = { ...process.env, GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' };
let api: Api;
const photoIds = new Map<string, number>();
const folderIds = new Map<string, number>();

function open() {
  return openApi(loadConfig({ env, overrides: { dataDir } }));
}

/** The stored faces labelled with the person they show. */
async function facesOf(label: string): Promise<number[]> {
  const out: number[] = [];
  for (const photo of labelledPhotos().filter((p) => photoIds.has(p.file))) {
    const faces = await call(api, 'faces.ofPhoto', { photoId: photoIds.get(photo.file) });
    labelFaces(photo, faces.map((f) => ({ box: f.box, score: f.confidence }))).forEach((l, i) => l === label && out.push(faces[i].id));
  }
  return out;
}

async function glimpse(...args: string[]): Promise<unknown> {
  const result = await runGlimpse(args, { dataDir, cwd: root, env });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

beforeAll(async () => {
  for (const [folder, { takenAt, files }] of Object.entries(FOLDERS)) {
    fs.mkdirSync(path.join(root, folder), { recursive: true });
    for (const file of files) {
      const target = path.join(root, folder, `${path.parse(file).name}.jpg`);
      await sharp(path.join(FACES_DIR, file)).rotate().withExif(exifBlock({ takenAt })).jpeg({ quality: 92 }).toFile(target);
    }
  }
  api = await open();
  for (const folder of Object.keys(FOLDERS)) expect((await call(api, 'folders.index', { path: path.join(root, folder) })).failed).toEqual([]);
  for (const photo of (await call(api, 'gallery.page', { pageSize: 100 })).items) {
    const folder = path.basename(path.dirname(photo.path));
    const original = FOLDERS[folder as keyof typeof FOLDERS].files.find((f) => path.parse(f).name === path.parse(photo.path).name) as string;
    photoIds.set(original, photo.id);
    folderIds.set(folder, photo.folderId);
  }
}, 300_000);

afterAll(async () => {
  await api?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('suggestions, covers and search by person', () => {
  let barack: PersonSummary;

  it('offers the other Obama faces sorted by similarity, confirmed two at a time and rejected two at a time', async () => {
    const obama = await facesOf('obama');
    expect(obama).toHaveLength(5);
    barack = await call(api, 'faces.assign', { faceIds: [obama[0]], name: 'Barack Obama' });
    const offered = await call(api, 'people.suggestions', { id: barack.id });
    const similarities = offered.map((s) => s.similarity);
    expect(similarities).toEqual([...similarities].sort((a, b) => b - a));
    const offeredObama = offered.map((s) => s.face.id).filter((id) => obama.includes(id));
    expect(offeredObama.length).toBeGreaterThanOrEqual(4);

    const confirmed = offeredObama.slice(0, 2);
    const afterConfirm = await call(api, 'faces.assign', { faceIds: confirmed, personId: barack.id });
    expect(afterConfirm.faceCount).toBe(3);
    const rejected = offeredObama.slice(2, 4);
    await call(api, 'people.reject', { id: barack.id, faceIds: rejected });
    const left = (await call(api, 'people.suggestions', { id: barack.id })).map((s) => s.face.id);
    for (const id of [...confirmed, ...rejected]) expect(left).not.toContain(id);

    await call(api, 'people.recluster', undefined);
    const faces = (await call(api, 'people.get', { id: barack.id })).faces.map((f) => f.id).sort((a, b) => a - b);
    expect(faces).toEqual([obama[0], ...confirmed].sort((a, b) => a - b));
  });

  it('shows the cover face the person chose in the list, also after a re-cluster', async () => {
    const listed = async () => (await call(api, 'people.list', {})).people.find((p) => p.id === barack.id);
    const faces = (await call(api, 'people.get', { id: barack.id })).faces;
    const chosen = faces.find((f) => f.id !== (barack.cover?.id ?? -1) && f.id !== faces[0].id) ?? faces[1];
    expect((await listed())?.cover?.id).not.toBe(chosen.id);
    const updated = await call(api, 'people.setCover', { id: barack.id, faceId: chosen.id });
    expect(updated.cover?.id).toBe(chosen.id);
    expect((await listed())?.cover?.id).toBe(chosen.id);
    await call(api, 'people.recluster', undefined);
    expect((await listed())?.cover?.id).toBe(chosen.id);
  });

  it('finds the person’s photos in one folder, in a date range, and in both at once', async () => {
    const photos = (await call(api, 'people.get', { id: barack.id })).photos;
    const search = async (filters: object) =>
      (await call(api, 'search.query', { query: 'white', personIds: [barack.id], ranking: { cutoff: 0 }, ...filters })).hits.map((h) => h.photo.id).sort((a, b) => a - b);
    const ids = (list: typeof photos) => list.map((p) => p.id).sort((a, b) => a - b);
    const atHome = ids(photos.filter((p) => p.folderId === folderIds.get('home')));
    const onTrip = ids(photos.filter((p) => p.folderId === folderIds.get('trip')));
    expect(atHome.length).toBeGreaterThan(0);
    expect(onTrip.length).toBeGreaterThan(0);
    expect(await search({ folderId: folderIds.get('home') })).toEqual(atHome);
    expect(await search({ from: '2023-01-01', to: '2023-12-31' })).toEqual(onTrip);
    expect(await search({ to: '2019-12-31' })).toEqual(atHome);
    expect(await search({ folderId: folderIds.get('home'), from: '2023-01-01' })).toEqual([]);
  });
});

describe('glimpse people split, reject, hide, unhide and forget', () => {
  it('changes people as the commands say, and prints each person as JSON', async () => {
    await api.close();
    try {
      const kitFaces = await (async () => {
        api = await open();
        try {
          return await facesOf('kit_harington');
        } finally {
          await api.close();
        }
      })();
      const people = async () => (await glimpse('people', '--json')) as { people: Array<{ id: number; name: string | null; hidden: boolean; faces: Array<{ id: number }> }> };
      const kit = (await people()).people.find((p) => p.faces.some((f) => kitFaces.includes(f.id)));
      expect(kit).toBeDefined();
      const named = (await glimpse('people', 'name', String(kit!.id), 'Kit', 'Harington', '--json')) as PersonSummary;
      expect(named.name).toBe('Kit Harington');
      const [first, second] = kit!.faces.map((f) => f.id);

      const split = (await glimpse('people', 'split', 'Kit Harington', String(first), '--json')) as PersonSummary;
      expect(split.id).not.toBe(kit!.id);
      expect(split.faceCount).toBe(1);
      expect((await people()).people.find((p) => p.id === split.id)?.faces.map((f) => f.id)).toEqual([first]);

      const rejected = (await glimpse('people', 'reject', 'Kit Harington', String(second), '--json')) as PersonSummary;
      expect(rejected.id).toBe(kit!.id);
      expect(rejected.faceCount).toBe(kit!.faces.length - 2);
      expect((await people()).people.find((p) => p.id === kit!.id)?.faces.map((f) => f.id)).not.toContain(second);

      const hidden = (await glimpse('people', 'hide', 'Kit Harington', '--json')) as PersonSummary;
      expect(hidden).toMatchObject({ id: kit!.id, hidden: true });
      expect((await people()).people.find((p) => p.id === kit!.id)?.hidden).toBe(true);
      const plain = await runGlimpse(['people'], { dataDir, cwd: root, env });
      expect(plain.stdout).not.toContain('Kit Harington');
      const shown = (await glimpse('people', 'unhide', String(kit!.id), '--json')) as PersonSummary;
      expect(shown).toMatchObject({ id: kit!.id, hidden: false });
      expect((await runGlimpse(['people'], { dataDir, cwd: root, env })).stdout).toContain('Kit Harington');

      const before = (await people()).people.reduce((sum, p) => sum + p.faces.length, 0);
      const forgotten = (await glimpse('people', 'forget', '--json')) as { faces: number; people: number };
      expect(forgotten.faces).toBeGreaterThanOrEqual(before);
      expect(forgotten.people).toBeGreaterThan(0);
      expect(await glimpse('people', '--json')).toEqual({ people: [], unassignedFaces: 0 });
    } finally {
      api = await open();
    }
  }, 300_000);
});
