// Face detection workers behind one queue: each worker holds one Human instance, started on the first request
// and stopped after a quiet spell, so a library that has finished indexing does not keep ~200 MB of models loaded.
import type { Worker } from 'node:worker_threads';
import { resolveWorkerEntry, startWorker } from '../worker-host';
import type { DetectInput, FaceDetection } from './face-detector';
import type { FaceReply } from './face-protocol';

interface Task {
  input: DetectInput;
  resolve: (detection: FaceDetection) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task: (Task & { id: number }) | null;
}

export const DEFAULT_FACE_IDLE_MS = 60_000;

export class FacePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private readonly entry = resolveWorkerEntry(import.meta.url, 'face-worker');
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly workerCount: number,
    private readonly idleMs = DEFAULT_FACE_IDLE_MS,
  ) {}

  /** Workers now running (0 once released for being idle). */
  get running(): number {
    return this.slots.length;
  }

  detect(input: DetectInput): Promise<FaceDetection> {
    if (this.closed) return Promise.reject(new Error('face detection is closed'));
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      while (this.slots.length < Math.max(1, this.workerCount) && this.slots.length < this.queue.length + this.busy()) this.spawn();
      this.dispatch();
    });
  }

  private busy(): number {
    return this.slots.filter((s) => s.task).length;
  }

  private spawn(): void {
    const worker = startWorker(this.entry, { name: `glimpse-faces-${this.slots.length}` });
    const slot: Slot = { worker, task: null };
    worker.on('message', (reply: FaceReply) => this.onReply(slot, reply));
    worker.on('error', (error) => this.onStopped(slot, error));
    worker.on('exit', (code) => this.onStopped(slot, new Error(`exited with code ${code}`)));
    worker.unref();
    this.slots.push(slot);
  }

  private onReply(slot: Slot, reply: FaceReply): void {
    const task = slot.task;
    if (!task || task.id !== reply.id) return;
    slot.task = null;
    slot.worker.unref();
    if (reply.ok) task.resolve(reply.detection);
    else task.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
    this.dispatch();
  }

  /** A worker that died fails its task only; the next request starts a fresh one. */
  private onStopped(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    slot.task?.reject(new Error(`the face worker stopped: ${error.message}`));
    slot.task = null;
    void slot.worker.terminate();
    if (!this.closed && this.queue.length > 0) {
      this.spawn();
      this.dispatch();
    }
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.task) continue;
      const task = this.queue.shift();
      if (!task) break;
      slot.task = { ...task, id: this.nextId++ };
      slot.worker.ref();
      slot.worker.postMessage({ id: slot.task.id, op: 'detect', input: task.input });
    }
    if (this.queue.length === 0 && this.busy() === 0 && this.slots.length > 0 && !this.idleTimer && !this.closed) {
      this.idleTimer = setTimeout(() => void this.release(), this.idleMs);
      this.idleTimer.unref();
    }
  }

  /** Stops idle workers and frees their models; work arriving later starts new ones. */
  private async release(): Promise<void> {
    this.idleTimer = null;
    if (this.queue.length > 0 || this.busy() > 0) return;
    const idle = this.slots.splice(0);
    await Promise.all(idle.map((slot) => slot.worker.terminate()));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const task of this.queue.splice(0)) task.reject(new Error('face detection was closed'));
    const slots = this.slots.splice(0);
    for (const slot of slots) slot.task?.reject(new Error('face detection was closed'));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }
}
