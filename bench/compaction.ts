// Compaction benchmark: deleting a third of the library makes the embedded vector store rebuild its HNSW graph
// without the removed slots; this measures how long that takes and how long the main thread (the one answering
// searches and imports) stalls meanwhile, at 10k and 100k 768-d photos.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbeddedVectorStore } from '../src-main/store/vectors/embedded-vector-store';
import type { BenchModule } from './bench-module';
import { round } from './measure';
import { clusteredSpace } from './synthetic-vectors';

const DIMENSIONS = 768;
const REMOVED_SHARE = 0.3;
const PROBE_EVERY_MS = 20;

export const compactionBench: BenchModule = {
  name: 'compaction',
  async run() {
    const sizes = (process.env.GLIMPSE_BENCH_COMPACTION_SIZES ?? '10000,100000').split(',').map(Number);
    const results: Record<string, unknown> = { dimensions: DIMENSIONS, removedShare: REMOVED_SHARE, cpus: os.cpus().length };
    for (const size of sizes) results[String(size)] = await benchCompaction(size);
    return results;
  },
};

async function benchCompaction(size: number): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-compaction-'));
  try {
    const space = clusteredSpace(DIMENSIONS, 50, 17);
    const store = await EmbeddedVectorStore.open({ dir, dimensions: DIMENSIONS, exactSearchBelow: 0 });
    const buildStarted = performance.now();
    for (let from = 1; from <= size; from += 5000) {
      const items = [];
      for (let id = from; id < Math.min(from + 5000, size + 1); id++) items.push({ id, vector: space.sample() });
      await store.upsertGlobals(items);
    }
    await store.flush();
    const buildSeconds = (performance.now() - buildStarted) / 1000;
    const queries = Array.from({ length: 50 }, () => space.sample());

    // A search every PROBE_EVERY_MS, as a window typing a query would send them; each one's wait is measured from when
    // it was due, so time spent behind a blocked main thread counts.
    const searchWaits: number[] = [];
    let probing = true;
    const probes = (async () => {
      for (let i = 0; probing; i++) {
        const due = performance.now() + PROBE_EVERY_MS;
        await sleep(PROBE_EVERY_MS);
        await store.search(queries[i % queries.length], 10);
        searchWaits.push(performance.now() - due);
      }
    })();
    const loadBefore = os.loadavg()[0];
    const started = performance.now();
    // Gaps between ticks of a 5 ms timer are the main thread's stalls; each is kept with when it ended after the delete began.
    const stalls: { ms: number; endedAtMs: number }[] = [];
    let lastTick = started;
    const ticker = setInterval(() => {
      const now = performance.now();
      stalls.push({ ms: now - lastTick, endedAtMs: now - started });
      lastTick = now;
    }, 5);
    const removed = Array.from({ length: Math.floor(size * REMOVED_SHARE) }, (_, i) => 1 + Math.floor(i / REMOVED_SHARE));
    await store.delete(removed);
    const deleteReturnedMs = performance.now() - started;
    await store.compacted();
    const compactionSeconds = (performance.now() - started) / 1000;
    // A stall shows when the next tick fires, after the stalled call returned.
    await sleep(50);
    clearInterval(ticker);
    probing = false;
    await probes;
    const loadAfter = os.loadavg()[0];
    searchWaits.sort((a, b) => a - b);
    // The delete call's own stall is SQLite removing the rows; what follows is the compaction's.
    const afterDelete = stalls.filter((stall) => stall.endedAtMs > deleteReturnedMs + 10);
    stalls.sort((a, b) => b.ms - a.ms);
    await store.close();
    return {
      buildSeconds: round(buildSeconds, 1),
      removed: removed.length,
      deleteCallMs: round(deleteReturnedMs, 0),
      compactionSeconds: round(compactionSeconds, 1),
      longestStallDuringCompactionMs: round(afterDelete.reduce((longest, stall) => Math.max(longest, stall.ms), 0), 0),
      longestStalls: stalls.slice(0, 3).map((stall) => ({ ms: round(stall.ms, 0), endedAtMs: round(stall.endedAtMs, 0) })),
      searchesDuringCompaction: searchWaits.length,
      searchWaitP50Ms: round(searchWaits[Math.floor(searchWaits.length / 2)] ?? 0, 1),
      searchWaitMaxMs: round(searchWaits[searchWaits.length - 1] ?? 0, 0),
      loadAverage: { before: round(loadBefore, 2), after: round(loadAfter, 2) },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
