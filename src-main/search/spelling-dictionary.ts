// The English frequency dictionary behind spelling, opened on first use in its own worker thread
// (spelling-worker.ts) so the ~3 s load and the wasm memory stay off the thread that answers requests.
import type { Worker } from 'node:worker_threads';
import { resolveWorkerEntry, startWorker } from '../ml/worker-host';

export interface DictionaryCandidate {
  term: string;
  /** Edits from the looked-up word (0: the word itself is in the dictionary). */
  distance: number;
  /** How often the word occurs in the dictionary's corpus. */
  count: number;
}

/** What spelling needs from a dictionary: candidates per word, any order. */
export interface WordDictionary {
  lookup(words: string[], maxEdits: number): Promise<DictionaryCandidate[][]>;
}

export type SpellingWorkerRequest = { id: number; words: string[]; maxEdits: number };
export type SpellingWorkerReply =
  | { type: 'ready'; loadMs: number; heapBytes: number; words: number }
  | { type: 'failed'; message: string }
  | { type: 'lookup'; id: number; candidates: DictionaryCandidate[][] };

export interface DictionaryLoad {
  loadMs: number;
  /** The worker's heap after loading (the wasm memory is outside it; see bench/words.ts for process RSS). */
  heapBytes: number;
  words: number;
}

export class WorkerDictionary implements WordDictionary {
  private worker: Worker | null = null;
  private ready: Promise<DictionaryLoad> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: DictionaryCandidate[][]) => void; reject: (error: Error) => void }>();

  /** Starts loading now (e.g. when the app opens) so the first correction does not wait the whole load. */
  load(): Promise<DictionaryLoad> {
    this.ready ??= new Promise<DictionaryLoad>((resolve, reject) => {
      const worker = startWorker(resolveWorkerEntry(import.meta.url, 'spelling-worker'));
      // An idle dictionary must not keep a CLI command alive after its work is done.
      worker.unref();
      this.worker = worker;
      worker.on('message', (reply: SpellingWorkerReply) => {
        if (reply.type === 'ready') resolve({ loadMs: reply.loadMs, heapBytes: reply.heapBytes, words: reply.words });
        else if (reply.type === 'failed') reject(new Error(`the spelling dictionary did not load: ${reply.message}`));
        else {
          this.pending.get(reply.id)?.resolve(reply.candidates);
          this.pending.delete(reply.id);
        }
      });
      worker.on('error', (error) => this.fail(error, reject));
      worker.on('exit', (code) => this.fail(new Error(`the spelling worker stopped (exit code ${code})`), reject));
    });
    return this.ready;
  }

  async lookup(words: string[], maxEdits: number): Promise<DictionaryCandidate[][]> {
    if (words.length === 0) return [];
    await this.load();
    const worker = this.worker;
    if (!worker) throw new Error('the spelling dictionary is closed');
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, words, maxEdits } satisfies SpellingWorkerRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    if (worker) await worker.terminate();
  }

  private fail(error: Error, reject: (error: Error) => void): void {
    reject(error);
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    // A later call starts a fresh worker rather than waiting on a dead one.
    this.worker = null;
    this.ready = null;
  }
}
