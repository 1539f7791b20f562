// Starts and stops the background compaction of an embedded store's HNSW graph (index-compaction-worker.ts): the
// store keeps searching its old graph meanwhile and swaps in the compacted one when the worker has saved it.
import fs from 'node:fs';
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { resolveWorkerEntry, startWorker } from '../../ml/worker-host';
import type { HnswSettings } from './hnsw-index';
import type { IndexFileRecord } from './index-file';

export interface CompactionRequest {
  dbPath: string;
  /** Where the worker saves the compacted graph; the store renames it into place. */
  tmpPath: string;
  dimensions: number;
  hnsw: HnswSettings;
  threads: number;
}

export type CompactionReply =
  /** `record` is null when the saved file's layout is not one this code can vouch for. */
  | { ok: true; seq: number; tmpPath: string; record: IndexFileRecord | null }
  | { ok: false; error: string };

export type CompactedIndex = Extract<CompactionReply, { ok: true }>;

export interface CompactionTask {
  /** The compacted graph, saved at `tmpPath` and reflecting the change log up to `seq`. */
  readonly done: Promise<CompactedIndex>;
  /** Stops the worker and removes what it was writing; `done` then never settles. */
  cancel(): Promise<void>;
}

export function startCompaction(request: Omit<CompactionRequest, 'threads'>): CompactionTask {
  // One core stays with the main thread, so searches and imports keep their speed while the graph is rebuilt.
  const threads = Math.max(1, os.availableParallelism() - 1);
  const worker: Worker = startWorker(resolveWorkerEntry(import.meta.url, 'index-compaction-worker'), {
    workerData: { ...request, threads } satisfies CompactionRequest,
  });
  let cancelled = false;
  const done = new Promise<CompactedIndex>((resolve, reject) => {
    worker.once('message', (reply: CompactionReply) => {
      void worker.terminate();
      if (cancelled) return;
      if (reply.ok) resolve(reply);
      else reject(new Error(reply.error));
    });
    worker.once('error', (error) => {
      if (!cancelled) reject(error);
    });
    worker.once('exit', (code) => {
      if (!cancelled) reject(new Error(`the compaction worker stopped (exit code ${code}) before it saved the index`));
    });
  });
  return {
    done,
    async cancel() {
      cancelled = true;
      await worker.terminate();
      fs.rmSync(request.tmpPath, { force: true });
    },
  };
}
