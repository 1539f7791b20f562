// People's names in the text index, on SQLite and PostgreSQL: a named person's photos are found by the name in deep
// search's text side and the name joins the vocabulary, following every people decision by itself (rename, merge,
// split, reject, hide, forget all faces) through the same faces-store writes the People view makes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src-main/store/catalog';
import { openCatalogDatabase } from '../../src-main/store/database';
import { FaceStore, type NewFace } from '../../src-main/store/faces-store';
import { PhotoWordsStore } from '../../src-main/store/photo-words';
import { openTextIndex, queryTerms, type TextIndex } from '../../src-main/store/text-index';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';

const face = (x: number): NewFace => ({ box: [x, 10, 100, 100], score: 0.9, thumbnail: new Uint8Array([1]), age: null, gender: null });
const noWords = { title: null, description: null, keywords: [], people: [], sources: ['xmp'], problem: null };

describe.each(['sqlite', 'postgres'] as const)('people’s names in the text index on %s', (engine) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-people-text-'));
  let postgres: TestDatabase | null = null;
  let catalog: Catalog;
  let faces: FaceStore;
  let words: PhotoWordsStore;
  let index: TextIndex;
  const photo: number[] = [];
  const faceIds: number[][] = [];

  const find = async (query: string) => (await index.search(queryTerms(query).terms, 20)).map((m) => m.id).sort((a, b) => a - b);
  const vocabulary = async () => (await index.vocabulary.allTerms()).map((t) => t.term);
  const peopleField = async (id: number, query: string) =>
    (await index.matchedFields(queryTerms(query).terms, [id])).get(id)?.find((f) => f.field === 'people')?.snippet ?? null;

  beforeAll(async () => {
    if (engine === 'postgres') postgres = await createTestDatabase('glimpse_people_text');
    const database = await openCatalogDatabase({ dataDir: dir, databaseUrl: postgres?.url ?? null });
    catalog = new Catalog(database);
    faces = new FaceStore(database);
    words = new PhotoWordsStore(database.db);
    index = openTextIndex(database);
    const folder = await catalog.insertFolder(path.join(dir, 'Summer'));
    for (const n of [1, 2, 3, 4]) {
      const row = await catalog.insertImage({ folder_id: folder.id, path: path.join(folder.path, `IMG_${n}.jpg`), hash: `h${n}-${engine}`, size_bytes: 1, mtime_ms: 1 });
      photo.push(row.id);
      faceIds.push((await faces.replaceDetections(row.id, [face(0), face(300)], 'test')).ids);
    }
  });

  afterAll(async () => {
    await catalog?.close();
    await postgres?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds a named person’s photos by the name, beside the names tagged in the metadata', async () => {
    const person = await faces.createPerson();
    await faces.assign([{ faceId: faceIds[0][0], personId: person }, { faceId: faceIds[1][0], personId: person }], false);
    expect(await find('siobhán')).toEqual([]);

    // Written as people write it; SQLite also finds it without the accent (PostgreSQL's english config keeps them).
    await faces.updatePerson(person, { name: 'Siobhán Murphy' });
    expect(await find('siobhán')).toEqual([photo[0], photo[1]]);
    expect(await find('murphy')).toEqual([photo[0], photo[1]]);
    if (engine === 'sqlite') expect(await find('siobhan')).toEqual([photo[0], photo[1]]);
    expect(await peopleField(photo[0], 'murphy')).toBe('Siobhán Murphy');
    expect(await vocabulary()).toEqual(expect.arrayContaining([engine === 'sqlite' ? 'siobhan' : 'siobhán', 'murphy']));

    // Names tagged in the photo's metadata stay, and so does the face's name when those words change or go.
    await words.saveImported(photo[0], { ...noWords, title: 'Picnic', people: ['Kofi Mensah'] });
    expect(await find('kofi')).toEqual([photo[0]]);
    expect(await find('siobhán')).toEqual([photo[0], photo[1]]);
    await words.clearImported(photo[0]);
    expect(await find('kofi')).toEqual([]);
    expect(await find('picnic')).toEqual([]);
    expect(await find('siobhán')).toEqual([photo[0], photo[1]]);

    // A face added to the person later brings its photo; an unnamed person's faces bring no words.
    await faces.assign([{ faceId: faceIds[2][0], personId: person }], true);
    expect(await find('siobhán')).toEqual([photo[0], photo[1], photo[2]]);
  });

  it('follows a rename, a merge and a split', async () => {
    const siobhan = (await faces.personByName('Siobhán Murphy'))!.id;
    await faces.updatePerson(siobhan, { name: 'Shiv' });
    expect(await find('siobhán')).toEqual([]);
    expect(await find('shiv')).toEqual([photo[0], photo[1], photo[2]]);
    expect(await vocabulary()).not.toContain('murphy');

    // Merge: Ana's faces move to Shiv, then Ana is deleted (as PeopleDecisions.merge does).
    const ana = await faces.createPerson('Ana');
    await faces.assign([{ faceId: faceIds[3][0], personId: ana }], true);
    expect(await find('ana')).toEqual([photo[3]]);
    await faces.assign((await faces.facesOfPeople([ana])).map((f) => ({ faceId: f.id, personId: siobhan })), true);
    await faces.deletePeople([ana]);
    expect(await find('ana')).toEqual([]);
    expect(await find('shiv')).toEqual([photo[0], photo[1], photo[2], photo[3]]);

    // Split: two faces become a new person, named afterwards.
    const split = await faces.createPerson();
    await faces.assign([{ faceId: faceIds[2][0], personId: split }, { faceId: faceIds[3][0], personId: split }], true);
    expect(await find('shiv')).toEqual([photo[0], photo[1]]);
    await faces.updatePerson(split, { name: 'Róisín' });
    expect(await find('róisín')).toEqual([photo[2], photo[3]]);
  });

  it('drops the name from a face said not to be the person, and a person deleted outright', async () => {
    const shiv = (await faces.personByName('Shiv'))!.id;
    await faces.reject([faceIds[1][0]], shiv);
    await faces.assign([{ faceId: faceIds[1][0], personId: null }], true);
    expect(await find('shiv')).toEqual([photo[0]]);

    // A second face of the same person in one photo: the name stays until the last of them leaves.
    await faces.assign([{ faceId: faceIds[0][1], personId: shiv }], true);
    await faces.assign([{ faceId: faceIds[0][0], personId: null }], true);
    expect(await find('shiv')).toEqual([photo[0]]);

    const roisin = (await faces.personByName('Róisín'))!.id;
    await catalog.db.deleteFrom('people' as never).where('id' as never, '=', roisin as never).execute();
    expect(await find('róisín')).toEqual([]);
  });

  it('keeps hidden people’s names out of search and the vocabulary until shown again', async () => {
    const shiv = (await faces.personByName('Shiv'))!.id;
    await faces.updatePerson(shiv, { hidden: true });
    expect(await find('shiv')).toEqual([]);
    expect(await vocabulary()).not.toContain('shiv');
    await faces.updatePerson(shiv, { hidden: false });
    expect(await find('shiv')).toEqual([photo[0]]);
  });

  it('forgets every name with the faces, leaving the words people wrote', async () => {
    await words.saveImported(photo[0], { ...noWords, people: ['Kofi Mensah'] });
    await faces.forgetAll();
    expect(await find('shiv')).toEqual([]);
    expect(await find('kofi')).toEqual([photo[0]]);
    expect(await vocabulary()).not.toContain('shiv');
  });
});
