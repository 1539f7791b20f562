// Compaction of the embedded store's HNSW graph after many deletes: it runs off the main thread, searches keep
// answering from the old graph meanwhile, and neither a kill nor a close in the middle leaves an index that fails to load.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedVectorStore } from '../../src-main/store/vectors/embedded-vector-store';
import { checkIndexFile } from '../../src-main/store/vectors/index-file';
import type { VectorMatch } from '../../src-main/store/vectors/vector-store';
import { expectHealthy, runSession, vectorOf } from './vector-sessions';

const DIMENSIONS = 32;
const PHOTOS = 3000;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-compaction-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const freshDir = () => path.join(scratch, `store-${++counter}`);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const photos = (ids: number[]) => ids.map((id) => ({ id, vector: vectorOf(id, DIMENSIONS) }));
const indexFiles = (dir: string) => fs.readdirSync(dir).filter((name) => name.endsWith('.usearch'));
const tmpFiles = (dir: string) => fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'));

function exactTopIds(live: number[], query: Float32Array, k: number): number[] {
  const dot = (id: number) => vectorOf(id, DIMENSIONS).reduce((sum, value, i) => sum + value * query[i], 0);
  return live
    .map((id) => ({ id, score: dot(id) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map((entry) => entry.id);
}

/** A dead process's id, for the name of a temporary file a killed writer left behind. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('compacting the embedded vector index', () => {
  it('answers searches from the old graph while a worker rebuilds it, then swaps in the compacted graph with every change made meanwhile', async () => {
    const dir = freshDir();
    const store = await EmbeddedVectorStore.open({ dir, dimensions: DIMENSIONS, exactSearchBelow: 0, saveAfterChanges: 1_000_000 });
    await store.upsertGlobals(photos(range(1, PHOTOS)));
    await store.flush();
    const removed = range(1, 1200);
    await store.delete(removed);
    const queries = range(1201, 1220).map((id) => vectorOf(id, DIMENSIONS));
    const before: VectorMatch[][] = [];
    for (const query of queries) before.push(await store.search(query, 10));

    await store.flush();
    let compactionEnded = false;
    const compaction = store.compacted().then(() => (compactionEnded = true));
    const during: VectorMatch[][] = [];
    for (const query of queries) during.push(await store.search(query, 10));
    expect(compactionEnded).toBe(false);
    expect(during).toEqual(before);
    expect(during.flat().some((match) => match.id <= 1200)).toBe(false);

    // Imports and deletes go on meanwhile; the compacted graph must take them over.
    await store.upsertGlobals(photos(range(5001, 5050)));
    await store.delete(range(2001, 2010));
    expect((await store.search(vectorOf(5001, DIMENSIONS), 1))[0].id).toBe(5001);
    await compaction;

    const live = [...range(1201, 2000), ...range(2011, PHOTOS), ...range(5001, 5050)];
    expect((await store.count()).photos).toBe(live.length);
    expect((await store.search(vectorOf(5050, DIMENSIONS), 1))[0].id).toBe(5050);
    let agreeing = 0;
    const after: VectorMatch[][] = [];
    for (const query of queries) {
      const found = await store.search(query, 10);
      after.push(found);
      expect(found.some((match) => match.id <= 1200 || (match.id >= 2001 && match.id <= 2010))).toBe(false);
      const exact = new Set(exactTopIds(live, query, 10));
      agreeing += found.filter((match) => exact.has(match.id)).length;
    }
    expect(agreeing / (10 * queries.length)).toBeGreaterThanOrEqual(0.9);

    // What lies on disk is the compacted graph, without the 1,200 removed slots.
    const [file] = indexFiles(dir);
    expect(indexFiles(dir)).toHaveLength(1);
    const check = checkIndexFile(path.join(dir, file), DIMENSIONS);
    expect(check.ok && check.record.removed).toBe(0);
    expect(tmpFiles(dir)).toEqual([]);

    await store.close();
    const notices: string[] = [];
    const reopened = await EmbeddedVectorStore.open({ dir, dimensions: DIMENSIONS, exactSearchBelow: 0, onNotice: (message) => notices.push(message) });
    const again: VectorMatch[][] = [];
    for (const query of queries) again.push(await reopened.search(query, 10));
    expect(again).toEqual(after);
    expect(notices).toEqual([]);
    await reopened.close();
  });

  it('leaves a loadable index when the process is killed while compacting, its half-written file cleared away', async () => {
    const dir = freshDir();
    const killed = await runSession(dir, {
      dimensions: DIMENSIONS,
      exactSearchBelow: 0,
      saveAfterChanges: 1_000_000,
      steps: [{ add: range(1, PHOTOS) }, 'flush', { remove: range(1, 1200) }, 'flush', 'kill'],
    });
    expect(killed.signal).toBe('SIGKILL');
    // However far the worker got, a kill can leave its file cut short: put one there the way it would lie.
    const [saved] = indexFiles(dir);
    const bytes = fs.readFileSync(path.join(dir, saved));
    const halfWritten = `compaction.usearch.${deadPid()}.tmp`;
    fs.writeFileSync(path.join(dir, halfWritten), bytes.subarray(0, bytes.length >> 1));

    const reopened = await runSession(dir, { dimensions: DIMENSIONS, exactSearchBelow: 0, steps: ['report', 'close'] });
    expect(reopened.stderr).toBe('');
    expect(reopened.code).toBe(0);
    expectHealthy(reopened.reports[0], range(1201, PHOTOS), [], 'graph');
    expect(tmpFiles(dir)).toEqual([]);
  });

  it('is called off by close, which saves the graph as it stands, and runs again when the next session opens it', async () => {
    const dir = freshDir();
    const store = await EmbeddedVectorStore.open({ dir, dimensions: DIMENSIONS, exactSearchBelow: 0, saveAfterChanges: 1_000_000 });
    await store.upsertGlobals(photos(range(1, PHOTOS)));
    await store.flush();
    await store.delete(range(1, 1200));
    await store.flush();
    await store.close();
    expect(tmpFiles(dir)).toEqual([]);
    const [file] = indexFiles(dir);
    const check = checkIndexFile(path.join(dir, file), DIMENSIONS);
    expect(check.ok && check.record.removed).toBe(1200);

    // The next session finds the removed slots in the file it loads and compacts without being asked.
    const notices: string[] = [];
    const reopened = await EmbeddedVectorStore.open({ dir, dimensions: DIMENSIONS, exactSearchBelow: 0, onNotice: (message) => notices.push(message) });
    expect((await reopened.search(vectorOf(1500, DIMENSIONS), 1))[0].id).toBe(1500);
    await reopened.compacted();
    expect(indexFiles(dir)).toHaveLength(1);
    const recheck = checkIndexFile(path.join(dir, indexFiles(dir)[0]), DIMENSIONS);
    expect(recheck.ok && recheck.record.removed).toBe(0);
    expect(recheck.ok && recheck.record.present).toBe(PHOTOS - 1200);
    expect((await reopened.search(vectorOf(1500, DIMENSIONS), 1))[0].id).toBe(1500);
    expect(notices).toEqual([]);
    await reopened.close();
  });
});
