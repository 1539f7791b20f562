// The faces store on both catalog engines (SQLite and PostgreSQL): re-detection keeps a face's id and decisions,
// person statistics and covers, photos with several people, rejections, clearing machine guesses, forgetting all.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalogDatabase, type CatalogDatabase } from '../../src-main/store/database';
import { FaceStore, type NewFace } from '../../src-main/store/faces-store';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';

const face = (x: number, score = 0.9): NewFace => ({ box: [x, 10, 100, 100], score, thumbnail: new Uint8Array([1, 2, 3]), age: 30, gender: null });

describe.each(['sqlite', 'postgres'] as const)('faces store on %s', (engine) => {
  let database: CatalogDatabase;
  let postgres: TestDatabase | null = null;
  let store: FaceStore;
  let photos: number[];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-faces-store-'));

  beforeAll(async () => {
    if (engine === 'postgres') postgres = await createTestDatabase('glimpse_faces');
    database = await openCatalogDatabase({ dataDir: dir, databaseUrl: postgres?.url ?? null });
    const folder = await database.db.insertInto('folders').values({ path: dir, added_at: '2024-01-01', managed: 0 }).returning('id').executeTakeFirstOrThrow();
    photos = [];
    for (const n of [1, 2, 3]) {
      const row = await database.db
        .insertInto('images')
        .values({ folder_id: folder.id, path: `${dir}/${n}.jpg`, hash: `h${n}`, size_bytes: 1, mtime_ms: 1, added_at: '2024-01-01', updated_at: '2024-01-01', status: 'ready' })
        .returning('id')
        .executeTakeFirstOrThrow();
      photos.push(row.id);
    }
    store = new FaceStore(database);
  });

  afterAll(async () => {
    await database?.close();
    await postgres?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the id, person, pin and rejections of a face found again, and drops faces no longer found', async () => {
    const first = await store.replaceDetections(photos[0], [face(0), face(300)], 'model-a');
    const alice = await store.createPerson('Alice');
    await store.assign([{ faceId: first.ids[0], personId: alice }], true);
    await store.reject([first.ids[1]], alice);
    const again = await store.replaceDetections(photos[0], [face(8, 0.95), face(600)], 'model-b');
    expect(again.ids[0]).toBe(first.ids[0]);
    expect(again.removed).toEqual([first.ids[1]]);
    const [kept] = await store.faces([again.ids[0]]);
    expect(kept).toMatchObject({ personId: alice, pinned: true, score: 0.95, box: [8, 10, 100, 100] });
    expect((await store.rejections([first.ids[1]])).size).toBe(0);
  });

  it('keeps a face whose new model boxes it differently (the whole head), and tells two faces of one photo apart', async () => {
    const tight = (x: number): NewFace => ({ box: [x, 100, 100, 100], score: 0.9, thumbnail: new Uint8Array([1]), age: null, gender: null });
    // A detector that boxes the whole head: 1.6× wider and taller, around the same centre (IoU 0.39).
    const head = (x: number): NewFace => ({ box: [x - 30, 70, 160, 160], score: 0.8, thumbnail: new Uint8Array([2]), age: null, gender: null });
    const first = await store.replaceDetections(photos[2], [tight(100), tight(400)], 'model-a');
    const carol = await store.createPerson('Carol');
    await store.assign([{ faceId: first.ids[1], personId: carol }], true);
    await store.reject([first.ids[0]], carol);
    const same = await store.replaceDetections(photos[2], [head(100), head(400)], 'model-a');
    expect(same.removed, 'the same model finding other boxes finds other faces').toEqual(first.ids);
    await store.assign([{ faceId: same.ids[1], personId: carol }], true);
    await store.reject([same.ids[0]], carol);
    const next = await store.replaceDetections(photos[2], [tight(400), tight(100)], 'model-b');
    expect(next.ids).toEqual([same.ids[1], same.ids[0]]);
    expect(next.removed).toEqual([]);
    expect((await store.faces([same.ids[1]]))[0]).toMatchObject({ personId: carol, pinned: true, box: [400, 100, 100, 100] });
    expect((await store.rejections([same.ids[0]])).get(same.ids[0])).toEqual(new Set([carol]));
  });

  it('counts faces and photos per person, picks the most confident face as cover, finds photos with all given people', async () => {
    const bob = await store.createPerson('Bob');
    const alice = (await store.personByName('alice'))!.id;
    const second = await store.replaceDetections(photos[1], [face(0, 0.99), face(300, 0.7)], 'model-b');
    const third = await store.replaceDetections(photos[2], [face(0, 0.8)], 'model-b');
    await store.assign([{ faceId: second.ids[0], personId: alice }, { faceId: second.ids[1], personId: bob }, { faceId: third.ids[0], personId: bob }], false);
    const stats = await store.personStats();
    expect(stats.get(alice)).toEqual({ faces: 2, photos: 2, bestFaceId: second.ids[0] });
    expect(stats.get(bob)).toMatchObject({ faces: 2, photos: 2 });
    expect([...(await store.photosWithPeople([alice, bob]))]).toEqual([photos[1]]);
    expect([...(await store.photosWithPeople([bob]))].sort()).toEqual([photos[1], photos[2]].sort());
  });

  it('clears only machine guesses on a rebuild, and forgets everything on request', async () => {
    await store.clearMachineAssignments();
    const faces = await store.faces(await store.allFaceIds());
    expect(faces.filter((f) => f.personId !== null).every((f) => f.pinned)).toBe(true);
    expect(faces.filter((f) => f.personId !== null)).toHaveLength(1);
    const forgotten = await store.forgetAll();
    expect(forgotten.faces).toBe(faces.length);
    expect(await store.counts()).toEqual({ faces: 0, unassigned: 0, people: 0 });
  });

  it('reads what clustering needs about some faces at once: them, every face of their people, and their rejections', async () => {
    const first = await store.replaceDetections(photos[0], [face(0), face(300)], 'model-c');
    const second = await store.replaceDetections(photos[1], [face(0), face(300)], 'model-c');
    const dana = await store.createPerson();
    const eve = await store.createPerson();
    await store.assign([{ faceId: first.ids[0], personId: dana }, { faceId: second.ids[0], personId: dana }, { faceId: second.ids[1], personId: eve }], false);
    await store.reject([first.ids[1]], dana);
    await store.reject([first.ids[1]], eve);
    const { faces, rejections } = await store.neighbourhood([first.ids[1], first.ids[0], first.ids[0]]);
    expect(faces.map((f) => f.id), 'Eve has no face among those asked about').toEqual([first.ids[0], first.ids[1], second.ids[0]].sort((a, b) => a - b));
    expect(faces.find((f) => f.id === second.ids[0])).toMatchObject({ personId: dana, imageId: photos[1], pinned: false });
    expect(rejections).toEqual(new Map([[first.ids[1], new Set([dana, eve])]]));
  });
});
