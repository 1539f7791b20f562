// A fixed set of embedding worker threads and the queue in front of them. Text queries jump the queue and go to
// worker 0 only, so a search waits for at most one image and the text tower is loaded once, not once per worker.
import type { Worker } from 'node:worker_threads';
import type { EmbeddingReply, EmbeddingRequest } from './embedding-protocol';
import type { MeasuredCalibration, SiglipSessionOptions } from './siglip-session';
import { resolveWorkerEntry, startWorker } from './worker-host';

type RequestBody = EmbeddingRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Task {
  body: RequestBody;
  /** Only this worker may take the task (used to close each worker exactly once). */
  slotIndex?: number;
  resolve: (reply: Extract<EmbeddingReply, { ok: true }>) => void;
  reject: (error: Error) => void;
}

interface Slot {
  index: number;
  worker: Worker;
  task: (Task & { id: number }) | null;
}

/**
 * A worker that dies this many times in a row, without answering anything in between, is not restarted for the
 * work waiting then; the next request starts fresh workers, so one run of bad luck does not end every later embedding.
 */
const MAX_CONSECUTIVE_CRASHES = 3;

export class EmbeddingPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private consecutiveCrashes = 0;
  /** Set when the workers kept stopping: queued work failed with this, and the next request respawns them. */
  private givenUp: Error | null = null;
  private closed = false;
  /** Set as close begins: work arriving after it would reach a worker whose sessions are already released. */
  private closing = false;
  private readonly entry = resolveWorkerEntry(import.meta.url, 'embedding-worker');

  constructor(
    workerCount: number,
    private readonly sessionOptions: SiglipSessionOptions,
  ) {
    for (let i = 0; i < Math.max(1, workerCount); i += 1) this.slots.push(this.spawn(i));
  }

  get size(): number {
    return this.slots.length;
  }

  private spawn(index: number): Slot {
    const worker = startWorker(this.entry, { workerData: this.sessionOptions, name: `glimpse-embedding-${index}` });
    const slot: Slot = { index, worker, task: null };
    worker.on('message', (reply: EmbeddingReply) => this.onReply(slot, reply));
    worker.on('error', (error) => this.onCrash(slot, error));
    worker.on('exit', (code) => {
      if (!this.closed && !this.givenUp && this.slots[slot.index] === slot) this.onCrash(slot, new Error(`exited with code ${code}`));
    });
    // An idle worker must not keep the CLI or a test process alive.
    worker.unref();
    return slot;
  }

  private onReply(slot: Slot, reply: EmbeddingReply): void {
    const task = slot.task;
    if (!task || task.id !== reply.id) return;
    slot.task = null;
    slot.worker.unref();
    this.consecutiveCrashes = 0;
    if (reply.ok) task.resolve(reply);
    else task.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
    this.dispatch();
  }

  private onCrash(slot: Slot, error: Error): void {
    if (this.slots[slot.index] !== slot) return;
    const task = slot.task;
    slot.task = null;
    task?.reject(new Error(`embedding worker ${slot.index} stopped: ${error.message}`));
    void slot.worker.terminate();
    this.consecutiveCrashes += 1;
    if (this.closed || this.givenUp) return;
    if (this.consecutiveCrashes >= MAX_CONSECUTIVE_CRASHES) {
      this.giveUp(new Error(`embedding workers keep stopping (last: ${error.message})`));
      return;
    }
    this.slots[slot.index] = this.spawn(slot.index);
    this.dispatch();
  }

  private giveUp(error: Error): void {
    this.givenUp = error;
    for (const task of this.queue.splice(0)) task.reject(error);
    for (const slot of this.slots) {
      slot.task?.reject(error);
      slot.task = null;
      void slot.worker.terminate();
    }
  }

  private respawnAfterGivingUp(): void {
    this.givenUp = null;
    this.consecutiveCrashes = 0;
    for (const slot of this.slots) this.slots[slot.index] = this.spawn(slot.index);
  }

  /** Worker 0 takes text first; other workers never take text. */
  private pickTask(slot: Slot): Task | undefined {
    const isText = (t: Task) => t.body.op === 'texts';
    const eligible = (t: Task) =>
      (t.slotIndex === undefined || t.slotIndex === slot.index) && (!isText(t) || slot.index === 0);
    const textIndex = slot.index === 0 ? this.queue.findIndex((t) => isText(t) && eligible(t)) : -1;
    const chosen = textIndex >= 0 ? textIndex : this.queue.findIndex(eligible);
    return chosen >= 0 ? this.queue.splice(chosen, 1)[0] : undefined;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.task) continue;
      const task = this.pickTask(slot);
      if (!task) continue;
      const id = this.nextId++;
      slot.task = { ...task, id };
      // Busy workers keep the process alive until they answer; idle ones do not.
      slot.worker.ref();
      slot.worker.postMessage({ ...task.body, id } as EmbeddingRequest);
    }
  }

  run(body: RequestBody, slotIndex?: number): Promise<Extract<EmbeddingReply, { ok: true }>> {
    if (this.closed || (this.closing && body.op !== 'close')) return Promise.reject(new Error('the embedder is closed'));
    if (this.givenUp) {
      if (body.op === 'close') return Promise.resolve({ id: 0, ok: true, vectors: [] });
      this.respawnAfterGivingUp();
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ body, slotIndex, resolve, reject });
      this.dispatch();
    });
  }

  async vectors(body: RequestBody): Promise<Float32Array[]> {
    return (await this.run(body)).vectors;
  }

  async calibrate(body: Extract<RequestBody, { op: 'calibrate' }>): Promise<MeasuredCalibration> {
    const reply = await this.run(body);
    if (!reply.calibration) throw new Error('the embedding worker returned no calibration');
    return reply.calibration;
  }

  /** Rejects queued work, lets running requests finish, releases every worker's sessions and stops the threads. */
  async close(): Promise<void> {
    if (this.closed || this.closing) return;
    this.closing = true;
    for (const task of this.queue.splice(0)) task.reject(new Error('the embedder was closed'));
    await Promise.all(this.slots.map((slot) => this.run({ op: 'close' }, slot.index).catch(() => undefined)));
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}
