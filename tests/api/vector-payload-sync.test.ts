// When a filtered search may run as payload conditions on the vector server: only while every point carries the
// catalog's current fields. A small backlog is written before the search, a large one in the background (the search
// meanwhile goes by the catalog's ids), and points an older Glimpse wrote without payload are found and filled in.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INLINE_PAYLOAD_WRITES, VectorPayloadSync } from '../../src-main/api/vector-payload-sync';
import { Catalog } from '../../src-main/store/catalog';
import { openCatalogDatabase } from '../../src-main/store/database';
import { VectorPayloads } from '../../src-main/store/vector-payloads';
import type { PayloadWriter, PhotoPayload } from '../../src-main/store/vectors/vector-store';

/** The server's side as the sync sees it: which points exist and what payload each carries. */
class PointsOnServer implements PayloadWriter {
  readonly points = new Map<number, PhotoPayload | null>();
  writes = 0;

  async write(payloads: ReadonlyMap<number, PhotoPayload>): Promise<Set<number>> {
    this.writes++;
    const written = new Set<number>();
    for (const [id, payload] of payloads) {
      if (!this.points.has(id)) continue;
      this.points.set(id, payload);
      written.add(id);
    }
    return written;
  }

  async withoutPayload(limit: number, fromId = 0): Promise<number[]> {
    return [...this.points].filter(([id, payload]) => payload === null && id >= fromId).map(([id]) => id).sort((a, b) => a - b).slice(0, limit);
  }
}

describe('vector payload sync', () => {
  let dir: string;
  let catalog: Catalog;
  let payloads: VectorPayloads;
  let server: PointsOnServer;
  let folderA: number;
  let folderB: number;
  const ids: number[] = [];
  const resolveIds = async () => new Set([-1]);

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-payload-sync-'));
    catalog = new Catalog(await openCatalogDatabase({ dataDir: dir, databaseUrl: null }));
    payloads = new VectorPayloads(catalog.db);
    server = new PointsOnServer();
    folderA = (await catalog.insertFolder('/a')).id;
    folderB = (await catalog.insertFolder('/b')).id;
    ids.length = 0;
    for (let i = 0; i < INLINE_PAYLOAD_WRITES + 50; i++) {
      const image = await catalog.insertImage({ folder_id: folderA, path: `/a/${i}.jpg`, hash: `h${i}`, size_bytes: 1, mtime_ms: 1 });
      ids.push(image.id);
    }
    const current = await payloads.of(ids);
    for (const id of ids) server.points.set(id, current.get(id)!);
  });

  afterEach(async () => {
    await catalog.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('filters by payload when nothing waits, and writes a small backlog before the search', async () => {
    const sync = new VectorPayloadSync(payloads, server);
    expect(await sync.filterFor({ folderId: folderA }, resolveIds)).toEqual({ kind: 'payload', folderId: folderA });

    await catalog.updateImage(ids[3], { folder_id: folderB });
    await catalog.updateImage(ids[4], { taken_at: '2010-05-05T10:00:00.000Z' });
    const filter = await sync.filterFor({ folderId: folderB, from: '2010-05-05' }, resolveIds);
    expect(filter).toEqual({ kind: 'payload', folderId: folderB, takenFromMs: Date.parse('2010-05-05T00:00:00.000Z') });
    expect(server.points.get(ids[3])?.folderId).toBe(folderB);
    expect(server.points.get(ids[4])?.takenMs).toBe(Date.parse('2010-05-05T10:00:00.000Z'));
    expect(await payloads.pendingCount()).toBe(0);
  });

  it('goes by the catalog ids while a large backlog is written in the background, then by payload', async () => {
    const sync = new VectorPayloadSync(payloads, server);
    await catalog.mergeFoldersInto([folderA], folderB);
    expect(await payloads.pendingCount()).toBe(ids.length);
    expect(await sync.filterFor({ folderId: folderB }, resolveIds)).toEqual(new Set([-1]));
    await sync.catchUp();
    expect([...server.points.values()].every((payload) => payload?.folderId === folderB)).toBe(true);
    expect(await sync.filterFor({ folderId: folderB }, resolveIds)).toEqual({ kind: 'payload', folderId: folderB });
  });

  it('fills in points written without payload, and is not held up by points the catalog does not know', async () => {
    for (const id of ids.slice(0, 10)) server.points.set(id, null);
    for (let orphan = 100_000; orphan < 100_000 + INLINE_PAYLOAD_WRITES * 2; orphan++) server.points.set(orphan, null);
    const sync = new VectorPayloadSync(payloads, server);
    expect(await sync.filterFor({ folderId: folderA }, resolveIds)).toEqual(new Set([-1]));
    await sync.catchUp();
    expect(ids.slice(0, 10).map((id) => server.points.get(id)?.folderId)).toEqual(Array(10).fill(folderA));
    expect(await sync.filterFor({ folderId: folderA }, resolveIds)).toEqual({ kind: 'payload', folderId: folderA });
  });

  it('settles changes to photos that have no point yet, and keeps what a failed write left', async () => {
    const image = await catalog.insertImage({ folder_id: folderA, path: '/a/new.jpg', hash: 'new', size_bytes: 1, mtime_ms: 1 });
    await catalog.updateImage(image.id, { folder_id: folderB });
    const sync = new VectorPayloadSync(payloads, server);
    expect(await sync.inStep()).toBe(true);
    expect(server.points.has(image.id)).toBe(false);

    await catalog.updateImage(ids[0], { folder_id: folderB });
    const failing = new VectorPayloadSync(payloads, { ...server, withoutPayload: async () => [], write: async () => { throw new Error('Qdrant at http://127.0.0.1:6333 is unreachable'); } });
    await expect(failing.filterFor({ folderId: folderB }, resolveIds)).rejects.toThrow(/unreachable/);
    expect(await payloads.pendingCount()).toBe(1);
  });
});
