// When a background model download fails (offline, hub down), it is tried again later with a doubling wait — never
// once per search — and the window is told why it failed and when the next try is.
const DEFAULT_BASE_MS = 30_000;
const MAX_WAIT_MS = 30 * 60_000;

export interface ModelFetchState {
  fetchError: string | null;
  retryAt: string | null;
}

export class ModelFetchSchedule {
  private failures = 0;
  private lastError: string | null = null;
  private retryAt: Date | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly baseMs = DEFAULT_BASE_MS,
    private readonly retry: () => void,
  ) {}

  failed(reason: string): void {
    if (this.stopped) return;
    this.lastError = reason;
    const wait = Math.min(MAX_WAIT_MS, this.baseMs * 2 ** this.failures);
    this.failures++;
    this.retryAt = new Date(Date.now() + wait);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.retryAt = null;
      this.retry();
    }, wait);
    this.timer.unref();
  }

  succeeded(): void {
    this.failures = 0;
    this.lastError = null;
    this.retryAt = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  state(): ModelFetchState {
    return { fetchError: this.lastError, retryAt: this.retryAt?.toISOString() ?? null };
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
