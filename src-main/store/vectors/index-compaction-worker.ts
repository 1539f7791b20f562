// Worker thread that rebuilds (compacts) the embedded store's HNSW graph from what SQLite holds: the build costs
// ~0.4 ms per photo (~40 s at 100k on 2 cores) and blocks its thread, which must never be the one answering searches.
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { decodeHalfFloats, halvesFromBytes } from './half-float';
import { newHnswIndex } from './hnsw-index';
import type { CompactionReply, CompactionRequest } from './index-compaction';
import { describeIndexFile } from './index-file';

const BATCH = 4096;

/** Every stored global vector and the change-log position they reflect, read as one snapshot and then released. */
function readSnapshot(dbPath: string, dimensions: number): { seq: number; ids: number[]; halves: Uint16Array } {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.transaction(() => {
      const seq = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'index_log'").pluck().get() as number | undefined) ?? 0;
      const count = db.prepare('SELECT count(*) FROM photo_vectors').pluck().get() as number;
      const ids: number[] = [];
      const halves = new Uint16Array(count * dimensions);
      for (const row of db.prepare<[], { id: number; global: Buffer }>('SELECT id, global FROM photo_vectors ORDER BY id').iterate()) {
        halves.set(halvesFromBytes(row.global), ids.length * dimensions);
        ids.push(row.id);
      }
      return { seq, ids, halves };
    })();
  } finally {
    db.close();
  }
}

function compact({ dbPath, tmpPath, dimensions, hnsw, threads }: CompactionRequest): CompactionReply {
  const { seq, ids, halves } = readSnapshot(dbPath, dimensions);
  const index = newHnswIndex(dimensions, hnsw);
  for (let start = 0; start < ids.length; start += BATCH) {
    const end = Math.min(start + BATCH, ids.length);
    const keys = BigUint64Array.from(ids.slice(start, end), (id) => BigInt(id));
    index.add(keys, decodeHalfFloats(halves, start * dimensions, (end - start) * dimensions), threads);
  }
  index.save(tmpPath);
  const fd = fs.openSync(tmpPath, 'r');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  return { ok: true, seq, tmpPath, record: describeIndexFile(tmpPath) };
}

const port = parentPort;
if (!port) throw new Error('index-compaction-worker must run in a worker thread');
try {
  port.postMessage(compact(workerData as CompactionRequest));
} catch (error) {
  port.postMessage({ ok: false, error: (error as Error).message } satisfies CompactionReply);
}
