// The captioner the rest of Glimpse uses: finds (or downloads) the SmolVLM model, picks the device and the dtype of
// each part, and captions one photo at a time in a single worker thread that is started on demand and stopped when idle.
import type { Worker } from 'node:worker_threads';
import { chooseDevice, type Device, type DevicePreference } from '../device';
import type { DownloadProgress } from '../model-store';
import { resolveWorkerEntry, startWorker } from '../worker-host';
import { captionDtypesFor, ensureCaptionModel, type CaptionDtypes } from './caption-models';
import type { CaptionWorkerReply, CaptionWorkerRequest } from './caption-protocol';
import type { CaptionRequest, SmolvlmSessionOptions } from './smolvlm-session';

export interface CaptionerOptions {
  modelsDir: string;
  modelId: string;
  offline: boolean;
  hubUrl?: string;
  device?: DevicePreference;
  threads: number;
  /** The worker (and the model's memory) is released after this long without a photo to caption. */
  idleReleaseMs: number;
  onDownload?: (progress: DownloadProgress) => void;
}

export interface CaptionResult {
  caption: string;
  ms: number;
}

interface Running {
  worker: Worker;
  pending: Map<number, { resolve: (reply: Extract<CaptionWorkerReply, { ok: true }>) => void; reject: (error: Error) => void }>;
}

type CaptionWorkerBody = CaptionWorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** How many recent photos the time per caption is averaged over (for the ETA). */
const TIMING_WINDOW = 20;

export class Captioner {
  private running: Running | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private nextId = 1;
  /** Captions run one after another: the worker holds one model and generation is sequential anyway. */
  private chain: Promise<unknown> = Promise.resolve();
  private readonly recentMs: number[] = [];
  private closed = false;
  private resolvedDevice: { device: Device; dtypes: CaptionDtypes; dir: string } | null = null;
  private readonly entry = resolveWorkerEntry(import.meta.url, 'caption-worker');

  constructor(private readonly options: CaptionerOptions) {}

  get modelId(): string {
    return this.options.modelId;
  }

  /** Whether the worker (and the model it holds) is in memory now. */
  get loaded(): boolean {
    return this.running !== null;
  }

  get device(): Device | null {
    return this.resolvedDevice?.device ?? null;
  }

  /** Mean time per caption over the last photos, or null before the first. */
  get msPerPhoto(): number | null {
    if (this.recentMs.length === 0) return null;
    return this.recentMs.reduce((a, b) => a + b, 0) / this.recentMs.length;
  }

  caption(request: CaptionRequest): Promise<CaptionResult> {
    const result = this.chain.then(() => this.captionNow(request));
    this.chain = result.catch(() => undefined);
    return result;
  }

  /** Makes sure the model is on disk (downloading it when allowed); throws ModelUnavailableError otherwise. */
  async ensureModel(): Promise<void> {
    await this.prepare();
  }

  private async prepare(): Promise<{ device: Device; dtypes: CaptionDtypes; dir: string }> {
    if (this.resolvedDevice) return this.resolvedDevice;
    const { device } = await chooseDevice(this.options.device ?? 'auto');
    const dtypes = captionDtypesFor(device);
    const dir = await ensureCaptionModel({ ...this.options, dtypes });
    this.resolvedDevice = { device, dtypes, dir };
    return this.resolvedDevice;
  }

  private async captionNow(request: CaptionRequest): Promise<CaptionResult> {
    if (this.closed) throw new Error('the captioner is closed');
    this.cancelIdleRelease();
    const running = this.running ?? this.spawn(await this.prepare());
    try {
      const reply = await this.send(running, { op: 'caption', request });
      this.recentMs.push(reply.ms);
      if (this.recentMs.length > TIMING_WINDOW) this.recentMs.shift();
      return { caption: reply.caption, ms: reply.ms };
    } finally {
      this.scheduleIdleRelease();
    }
  }

  private spawn(model: { device: Device; dtypes: CaptionDtypes; dir: string }): Running {
    const workerData: SmolvlmSessionOptions = { modelDir: model.dir, device: model.device, dtypes: model.dtypes, threads: this.options.threads };
    const worker = startWorker(this.entry, { workerData, name: 'glimpse-captioner' });
    const running: Running = { worker, pending: new Map() };
    const fail = (error: Error) => {
      if (this.running === running) this.running = null;
      for (const task of running.pending.values()) task.reject(new Error(`the captioner stopped: ${error.message}`));
      running.pending.clear();
    };
    worker.on('message', (reply: CaptionWorkerReply) => {
      const task = running.pending.get(reply.id);
      if (!task) return;
      running.pending.delete(reply.id);
      if (running.pending.size === 0) worker.unref();
      if (reply.ok) task.resolve(reply);
      else task.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`its thread exited with code ${code}`)));
    worker.unref();
    this.running = running;
    return running;
  }

  private send(running: Running, body: CaptionWorkerBody): Promise<Extract<CaptionWorkerReply, { ok: true }>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      running.pending.set(id, { resolve, reject });
      // A busy worker keeps the process alive until it answers; an idle one does not.
      running.worker.ref();
      running.worker.postMessage({ ...body, id } as CaptionWorkerRequest);
    });
  }

  private cancelIdleRelease(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private scheduleIdleRelease(): void {
    this.cancelIdleRelease();
    this.idleTimer = setTimeout(() => void this.release(), this.options.idleReleaseMs);
    this.idleTimer.unref();
  }

  /** Stops the worker and frees the model; the next caption starts it again. */
  async release(): Promise<void> {
    this.cancelIdleRelease();
    const running = this.running;
    if (!running) return;
    this.running = null;
    await this.send(running, { op: 'close' }).catch(() => undefined);
    await running.worker.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.chain;
    await this.release();
  }
}
