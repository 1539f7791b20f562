// A change of the face model keeps every decision about people: names, merges, splits, rejections and hidden people
// survive a new Human version (a new stage version, so every photo's faces are detected again, their descriptors go
// to a new faces collection, and clusters are rebuilt), and a full re-cluster after it. Faces are matched to the old
// ones by their boxes in each photo, which is what the decisions are kept on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig } from '../../src-main/config';
import { call } from '../api/unwrap';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { FACES_DIR } from '../fixtures/photos';

/** The model identity a new release of Human would bring; null: the installed one. */
const faceModel = vi.hoisted(() => ({ id: null as string | null }));
vi.mock('../../src-main/ml/faces/human-setup', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src-main/ml/faces/human-setup')>();
  return { ...actual, humanModelVersion: () => faceModel.id ?? actual.humanModelVersion() };
});

const LIBRARY = ['obama.jpg', 'obama2.jpg', 'train_biden_biden2.jpg', 'test_obama_and_biden.jpg', 'train_kit_harington_john1.jpeg', 'train_kit_harington_john2.jpeg', 'test_johnsnow_test1.jpg'];
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-face-model-'));
const photos = path.join(root, 'photos');
const dataDir = path.join(root, 'data');
const env = { ...process.env, GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' };
let api: Api;

function open() {
  return openApi(loadConfig({ env, overrides: { dataDir } }));
}

/** The person whose photos include this file. */
async function personWith(file: string): Promise<number> {
  for (const person of (await call(api, 'people.list', { includeHidden: true })).people) {
    const details = await call(api, 'people.get', { id: person.id });
    if (details.photos.some((p) => path.basename(p.path) === file)) return person.id;
  }
  throw new Error(`nobody is in ${file}`);
}

/** Every person as a user sees it: name, hidden or not, and which faces, pinned or not. */
async function people() {
  const out = new Map<number, { name: string | null; hidden: boolean; faces: string[] }>();
  for (const p of (await call(api, 'people.list', { includeHidden: true })).people) {
    const faces = (await call(api, 'people.get', { id: p.id })).faces.map((f) => `${f.id}${f.pinned ? ' pinned' : ''}`).sort();
    out.set(p.id, { name: p.name, hidden: p.hidden, faces });
  }
  return out;
}

beforeAll(async () => {
  fs.mkdirSync(photos, { recursive: true });
  for (const file of LIBRARY) fs.copyFileSync(path.join(FACES_DIR, file), path.join(photos, file));
  api = await open();
  expect((await call(api, 'folders.index', { path: photos })).failed).toEqual([]);
}, 180_000);

afterAll(async () => {
  await api?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('a new face model', () => {
  it('detects every photo again into a new faces collection, and keeps names, merges, splits, rejections and hides', async () => {
    const obama = await personWith('obama2.jpg');
    const biden = await personWith('train_biden_biden2.jpg');
    const kit = await personWith('train_kit_harington_john2.jpeg');
    await call(api, 'people.rename', { id: obama, name: 'Barack Obama' });
    // Merged and split back: Biden's faces into Obama, then out again as a person named Joe Biden.
    const bidenFaces = (await call(api, 'people.get', { id: biden })).faces.map((f) => f.id);
    await call(api, 'people.merge', { into: obama, from: [biden] });
    const joe = await call(api, 'people.split', { id: obama, faceIds: bidenFaces });
    await call(api, 'people.rename', { id: joe.id, name: 'Joe Biden' });
    // One Obama face split off alone (an unnamed person of one face), one Kit face rejected, Kit hidden.
    const obamaFaces = (await call(api, 'people.get', { id: obama })).faces;
    const alone = await call(api, 'people.split', { id: obama, faceIds: [obamaFaces[0].id] });
    const kitFaces = (await call(api, 'people.get', { id: kit })).faces;
    const rejected = kitFaces[0].id;
    await call(api, 'people.reject', { id: kit, faceIds: [rejected] });
    await call(api, 'people.hide', { id: kit, hidden: true });
    const before = await people();
    expect(before.get(kit)?.faces.join()).not.toContain(String(rejected));
    const decided = [obama, joe.id, alone.id, kit];
    const oldModel = (await import('../../src-main/ml/faces/human-setup')).humanModelVersion();

    await api.close();
    const newModel = 'human-99.0.0/blazeface+faceres';
    faceModel.id = newModel;
    api = await open();
    // The new model has no descriptors yet: "find this person" cannot answer until the photos are detected again.
    expect(await api.invoke('faces.similar', { faceId: obamaFaces[1].id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await call(api, 'folders.index', { path: photos })).failed).toEqual([]);
    const collections = () => fs.readdirSync(path.join(dataDir, 'vectors')).filter((d) => d.startsWith('faces__'));
    expect(collections()).toContain(`faces__${newModel.replace(/[^\w.-]+/g, '_')}`);
    expect((await call(api, 'faces.similar', { faceId: obamaFaces[1].id })).faces.length).toBeGreaterThan(0);

    const afterModel = await people();
    for (const id of decided) expect(afterModel.get(id), `person ${id} after the model change`).toEqual(before.get(id));
    await call(api, 'people.recluster', undefined);
    const afterRebuild = await people();
    for (const id of decided) expect(afterRebuild.get(id), `person ${id} after a rebuild`).toEqual(before.get(id));
    expect((await call(api, 'people.suggestions', { id: kit })).map((s) => s.face.id)).not.toContain(rejected);

    // Forgetting all face data also deletes the descriptors the earlier model left behind.
    expect(collections()).toContain(`faces__${oldModel.replace(/[^\w.-]+/g, '_')}`);
    await call(api, 'people.forget', undefined);
    expect(collections().filter((d) => d !== `faces__${newModel.replace(/[^\w.-]+/g, '_')}`)).toEqual([]);
  });
});
