// The embedded store (usearch + SQLite) against the shared contract, through both of its search paths, plus the
// crash and corruption cases only a store that owns files on disk has.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedVectorStore } from '../../src-main/store/vectors/embedded-vector-store';
import { clusteredSpace } from '../../bench/synthetic-vectors';
import { describeVectorStoreContract } from './vectors-contract';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-vectors-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const freshDir = () => path.join(scratch, `store-${++counter}`);

describeVectorStoreContract('embedded, exact scan (small library)', {
  async location(dimensions) {
    const dir = freshDir();
    return { open: () => openEmbeddedVectorStore({ dir, dimensions }) };
  },
});

describeVectorStoreContract('embedded, HNSW graph', {
  async location(dimensions) {
    const dir = freshDir();
    return { open: () => openEmbeddedVectorStore({ dir, dimensions, exactSearchBelow: 0, filteredExactLimit: 0 }) };
  },
});

describeVectorStoreContract('embedded, HNSW graph with narrow filters scored from disk', {
  async location(dimensions) {
    const dir = freshDir();
    return { open: () => openEmbeddedVectorStore({ dir, dimensions, exactSearchBelow: 0 }) };
  },
});

describe('embedded vector store on disk', () => {
  const dimensions = 64;

  it('comes back consistent after the writing process is killed mid-flight', async () => {
    const dir = freshDir();
    const writer = path.join(import.meta.dirname, 'vectors-crash-writer.ts');
    const child = spawnSync(process.execPath, ['--import', 'tsx', writer, dir, String(dimensions)], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.signal).toBe('SIGKILL');
    const space = clusteredSpace(dimensions, 20, 7);
    const store = await openEmbeddedVectorStore({ dir, dimensions, exactSearchBelow: 0 });
    // The writer stored 1..3000, flushed, then stored 3001..3500 and deleted 1..100 before being killed.
    expect(await store.count()).toEqual({ photos: 3400, withCrops: 3400 });
    expect(await store.get(50)).toBeNull();
    const latest = (await store.get(3450))!;
    expect(latest.crops).toHaveLength(5);
    expect((await store.search(latest.global, 1))[0].id).toBe(3450);
    expect((await store.search(space.sample(), 3400)).some((m) => m.id <= 100)).toBe(false);
    await store.close();
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.usearch'))).toEqual(['global-3600.usearch']);
  });

  it('rebuilds the index from its vectors when the index file is torn', async () => {
    const dir = freshDir();
    const space = clusteredSpace(dimensions, 10, 3);
    const items = Array.from({ length: 600 }, (_, i) => ({ id: i + 1, vector: space.sample() }));
    const store = await openEmbeddedVectorStore({ dir, dimensions, exactSearchBelow: 0 });
    await store.upsertGlobals(items);
    const before = await store.search(items[42].vector, 5);
    await store.close();
    const indexFile = fs.readdirSync(dir).find((name) => name.endsWith('.usearch'))!;
    fs.writeFileSync(path.join(dir, indexFile), 'torn');
    const reopened = await openEmbeddedVectorStore({ dir, dimensions, exactSearchBelow: 0 });
    expect(await reopened.search(items[42].vector, 5)).toEqual(before);
    expect(before[0].id).toBe(43);
    await reopened.close();
  });

  it.each([
    ['exact scan', 400],
    ['HNSW graph', 0],
  ])('sees what another process wrote to the same store (the CLI beside the app) — %s', async (_, exactSearchBelow) => {
    const dir = freshDir();
    const space = clusteredSpace(dimensions, 10, 5);
    const items = Array.from({ length: 300 }, (_, i) => ({ id: i + 1, vector: space.sample() }));
    const app = await openEmbeddedVectorStore({ dir, dimensions, exactSearchBelow });
    await app.upsertGlobals(items.slice(0, 100));
    expect(await app.search(items[0].vector, 1)).toEqual([expect.objectContaining({ id: 1 })]);
    // A second process adds photos, deletes one, and saves its index (compacting the change log) on close.
    const cli = await openEmbeddedVectorStore({ dir, dimensions, exactSearchBelow });
    await cli.upsertGlobals(items.slice(100, 200));
    await cli.delete([2]);
    await cli.close();
    expect((await app.search(items[150].vector, 1))[0].id).toBe(151);
    expect((await app.search(items[1].vector, 300)).map((m) => m.id)).not.toContain(2);
    await app.upsertGlobals(items.slice(200));
    // Every batch is found by its own vectors (an approximate graph need not return all 299 for one query).
    for (const index of [0, 50, 120, 199, 200, 299]) expect((await app.search(items[index].vector, 1))[0].id).toBe(index + 1);
    const stored = [...(await app.getMany(items.map((item) => item.id))).keys()].sort((a, b) => a - b);
    expect(stored).toEqual(items.map((item) => item.id).filter((id) => id !== 2));
    await app.close();
    // What each process saved agrees with the vectors both of them stored.
    const reopened = await openEmbeddedVectorStore({ dir, dimensions, exactSearchBelow });
    expect((await reopened.search(items[150].vector, 1))[0].id).toBe(151);
    expect((await reopened.search(items[250].vector, 1))[0].id).toBe(251);
    expect(await reopened.count()).toEqual({ photos: 299, withCrops: 0 });
    await reopened.close();
  });

  it('refuses to open a store made for another model size, saying so', async () => {
    const dir = freshDir();
    await (await openEmbeddedVectorStore({ dir, dimensions })).close();
    await expect(openEmbeddedVectorStore({ dir, dimensions: 768 })).rejects.toThrow(
      /holds 64-dimensional vectors, not 768: it belongs to another model/,
    );
  });
});
