// Undo of a merge of people, on both catalog engines: the people, names, covers, hidden flags, face assignments,
// pins and rejections come back exactly as they were, a face moved since stays where it was moved, and a second
// undo of the same merge is refused with its cause.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotBeforeMerge } from '../../src-main/people/merge-snapshot';
import { PeopleClusterer, type FaceVectors } from '../../src-main/people/people-clusterer';
import { PeopleDecisions } from '../../src-main/people/people-decisions';
import { openCatalogDatabase, type CatalogDatabase } from '../../src-main/store/database';
import { FaceStore, type NewFace } from '../../src-main/store/faces-store';
import { PeopleUndoStore } from '../../src-main/store/people-undo';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';

const face = (x: number): NewFace => ({ box: [x, 10, 100, 100], score: 0.9, thumbnail: new Uint8Array([1]), age: null, gender: null });
/** Merges touch no descriptors; the clustering the decisions hold is only told which people changed. */
const noVectors: FaceVectors = { getMany: async () => new Map(), nearest: async () => [] };

describe.each(['sqlite', 'postgres'] as const)('undoing a merge on %s', (engine) => {
  let database: CatalogDatabase;
  let postgres: TestDatabase | null = null;
  let store: FaceStore;
  let undo: PeopleUndoStore;
  let decisions: PeopleDecisions;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-merge-undo-'));
  const faceIds: number[] = [];

  /** Everything a person could notice about people: who exists with what name, cover and visibility, where each face is. */
  async function state() {
    const db = database.db;
    return {
      people: await db.selectFrom('people' as never).select(['id', 'name', 'hidden', 'cover_face_id', 'created_at'] as never).orderBy('id' as never).execute(),
      faces: await db.selectFrom('faces' as never).select(['id', 'person_id', 'pinned'] as never).orderBy('id' as never).execute(),
      rejections: await db.selectFrom('face_rejections' as never).select(['face_id', 'person_id'] as never).orderBy('face_id' as never).orderBy('person_id' as never).execute(),
    };
  }

  async function merge(into: number, from: number[]): Promise<number> {
    const before = await snapshotBeforeMerge(store, into, from);
    await decisions.merge(into, from);
    return undo.save(before);
  }

  beforeAll(async () => {
    if (engine === 'postgres') postgres = await createTestDatabase('glimpse_merge_undo');
    database = await openCatalogDatabase({ dataDir: dir, databaseUrl: postgres?.url ?? null });
    const folder = await database.db.insertInto('folders').values({ path: dir, added_at: '2024-01-01', managed: 0 }).returning('id').executeTakeFirstOrThrow();
    store = new FaceStore(database);
    undo = new PeopleUndoStore(database);
    decisions = new PeopleDecisions(store, noVectors, new PeopleClusterer(store, noVectors));
    for (const n of [1, 2, 3, 4]) {
      const photo = await database.db
        .insertInto('images')
        .values({ folder_id: folder.id, path: `${dir}/${n}.jpg`, hash: `h${n}`, size_bytes: 1, mtime_ms: 1, added_at: '2024-01-01', updated_at: '2024-01-01', status: 'ready' })
        .returning('id')
        .executeTakeFirstOrThrow();
      faceIds.push(...(await store.replaceDetections(photo.id, [face(0), face(300)], 'test-model')).ids);
    }
  });

  afterAll(async () => {
    await database?.close();
    await postgres?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('puts two named people, their covers, pins and rejections back exactly as they were', async () => {
    const [a1, b1, a2, b2, a3, b3, loose, rejected] = faceIds;
    const alice = await store.createPerson('Alice');
    const bob = await store.createPerson('Bob');
    await store.assign([{ faceId: a1, personId: alice }, { faceId: a2, personId: alice }], true);
    await store.assign([{ faceId: a3, personId: alice }], false);
    await store.assign([{ faceId: b1, personId: bob }, { faceId: b2, personId: bob }], false);
    await store.assign([{ faceId: b3, personId: bob }], true);
    await store.updatePerson(alice, { coverFaceId: a2 });
    await store.updatePerson(bob, { coverFaceId: b3, hidden: true });
    await store.reject([rejected], bob);
    await store.reject([loose], alice);
    const before = await state();

    const undoId = await merge(alice, [bob]);
    const merged = await state();
    expect(merged.people.map((p) => (p as { id: number }).id)).not.toContain(bob);
    expect((await store.facesOfPeople([alice])).map((f) => f.id).sort()).toEqual([a1, a2, a3, b1, b2, b3].sort());
    expect((await store.rejectedFrom(alice)).has(rejected)).toBe(true);

    await undo.undo(undoId);
    expect(await state()).toEqual(before);
    await expect(undo.undo(undoId)).rejects.toThrow(/already undone/);
  });

  it('gives the name back to the merged person when the target was unnamed, and leaves a face moved since where it is', async () => {
    const [a1, b1, a2, b2] = faceIds;
    await database.db.deleteFrom('face_rejections' as never).execute();
    await store.deletePeople((await store.people()).map((p) => p.id));
    await store.assign(faceIds.map((faceId) => ({ faceId, personId: null })), true);
    const unnamed = await store.createPerson();
    const carol = await store.createPerson('Carol');
    const dave = await store.createPerson('Dave');
    await store.assign([{ faceId: a1, personId: unnamed }, { faceId: a2, personId: unnamed }, { faceId: b1, personId: carol }, { faceId: b2, personId: carol }], false);
    const before = await state();

    const undoId = await merge(unnamed, [carol]);
    expect((await store.person(unnamed))?.name).toBe('Carol');
    await decisions.assign([b2], dave);
    await undo.undo(undoId);

    const after = await state();
    expect(after.people).toEqual(before.people);
    const where = new Map((await store.faces([a1, a2, b1, b2])).map((f) => [f.id, f]));
    expect(where.get(a1)).toMatchObject({ personId: unnamed, pinned: false });
    expect(where.get(b1)).toMatchObject({ personId: carol, pinned: false });
    expect(where.get(b2)).toMatchObject({ personId: dave, pinned: true });
  });
});
