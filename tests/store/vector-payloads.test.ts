// The filter fields a vector server keeps on each photo's point, on both catalog engines: what they hold, and that
// every change a person or the indexer makes to a photo's folder, date or people queues the photo for rewriting.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src-main/store/catalog';
import { openCatalogDatabase } from '../../src-main/store/database';
import { FaceStore } from '../../src-main/store/faces-store';
import { VectorPayloads } from '../../src-main/store/vector-payloads';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';

const face = (x: number) => ({ box: [x, 10, 40, 40] as [number, number, number, number], score: 0.9, thumbnail: new Uint8Array([1]), age: null, gender: null });

describe.each(['sqlite', 'postgres'] as const)('vector payloads on %s', (engine) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-payloads-'));
  let server: TestDatabase | null = null;
  let catalog: Catalog;
  let faces: FaceStore;
  let payloads: VectorPayloads;

  beforeAll(async () => {
    server = engine === 'postgres' ? await createTestDatabase('glimpse_payloads') : null;
    const database = await openCatalogDatabase({ dataDir: dir, databaseUrl: server?.url ?? null });
    catalog = new Catalog(database);
    faces = new FaceStore(database);
    payloads = new VectorPayloads(catalog.db);
  });

  afterAll(async () => {
    await catalog?.close();
    await server?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function photo(folderId: number, name: string, takenAt: string | null) {
    const row = await catalog.insertImage({ folder_id: folderId, path: `/p/${name}`, hash: `${engine}-${name}`, size_bytes: 1, mtime_ms: 1 });
    if (takenAt) await catalog.updateImage(row.id, { taken_at: takenAt });
    return row;
  }

  it('holds the folder, the date taken (or added) and the distinct people of each photo', async () => {
    const folder = await catalog.insertFolder('/p/holds');
    const dated = await photo(folder.id, 'dated.jpg', '2019-07-14T18:30:00.000Z');
    const undated = await photo(folder.id, 'undated.jpg', null);
    const [ada, bo] = [await faces.createPerson('Ada'), await faces.createPerson(null)];
    const { ids } = await faces.replaceDetections(dated.id, [face(0), face(100), face(200)], 'm');
    await faces.assign([{ faceId: ids[0], personId: bo }, { faceId: ids[1], personId: ada }, { faceId: ids[2], personId: ada }], false);

    const got = await payloads.of([dated.id, undated.id, 999_999]);
    expect(got.get(dated.id)).toEqual({ folderId: folder.id, takenMs: Date.parse('2019-07-14T18:30:00.000Z'), personIds: [ada, bo].sort((a, b) => a - b) });
    expect(got.get(undated.id)).toEqual({ folderId: folder.id, takenMs: Date.parse(undated.added_at), personIds: [] });
    expect(got.has(999_999)).toBe(false);
  });

  it('queues a photo when its folder, its date or the people in it change, and not for other edits', async () => {
    const [from, to] = [await catalog.insertFolder('/p/from'), await catalog.insertFolder('/p/to')];
    const moved = await photo(from.id, 'moved.jpg', null);
    const redated = await photo(to.id, 'redated.jpg', null);
    const named = await photo(to.id, 'named.jpg', null);
    const untouched = await photo(to.id, 'untouched.jpg', null);
    await payloads.settle(await payloads.pending(10_000));

    await catalog.mergeFoldersInto([from.id], to.id);
    await catalog.updateImage(redated.id, { taken_at: '2001-02-03T04:05:06.000Z' });
    await catalog.updateImage(untouched.id, { width: 640, height: 480, caption: 'a dog' });
    const { ids } = await faces.replaceDetections(named.id, [face(0), face(100)], 'm');
    const queuedIds = async () => (await payloads.pending(100)).map((entry) => entry.imageId).sort((a, b) => a - b);
    // Detected faces without a person change no payload; naming one does.
    expect(await queuedIds()).toEqual([moved.id, redated.id].sort((a, b) => a - b));
    const person = await faces.createPerson('Cy');
    await faces.assign([{ faceId: ids[0], personId: person }], true);
    expect(await queuedIds()).toEqual([moved.id, redated.id, named.id].sort((a, b) => a - b));

    // A face removed by a re-detection takes its person out of the photo: queued again.
    await payloads.settle(await payloads.pending(100));
    await faces.replaceDetections(named.id, [face(100)], 'm');
    expect(await queuedIds()).toEqual([named.id]);
    expect((await payloads.of([named.id])).get(named.id)?.personIds).toEqual([]);
  });

  it('keeps an entry that changed again while it was being written', async () => {
    const folder = await catalog.insertFolder('/p/race');
    const image = await photo(folder.id, 'race.jpg', '2020-01-01T00:00:00.000Z');
    await payloads.settle(await payloads.pending(10_000));
    await catalog.updateImage(image.id, { taken_at: '2020-01-02T00:00:00.000Z' });
    const read = await payloads.pending(10);
    await catalog.updateImage(image.id, { taken_at: '2020-01-03T00:00:00.000Z' });
    await payloads.settle(read);
    expect(await payloads.pendingCount()).toBe(1);
    await payloads.settle(await payloads.pending(10));
    expect(await payloads.pendingCount()).toBe(0);
    await payloads.markPending([image.id, image.id]);
    expect(await payloads.pending(10)).toEqual([{ imageId: image.id, seq: 1 }]);
  });
});
