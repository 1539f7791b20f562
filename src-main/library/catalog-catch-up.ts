// Work the library does outside the indexing queue (a folder's scan, a watcher's change, settling deleted files) that
// met the catalog's server away: it is kept and run again once the server answers, so nothing the disk did is lost.
import { describeError } from '../errors';
import { catalogAwayCause, isCatalogServerAway } from '../store/catalog-server-away';

type Notice = (level: 'info' | 'warn' | 'error', message: string) => void;

const FIRST_WAIT_MS = 1_000;
const LONGEST_WAIT_MS = 30_000;

export class CatalogCatchUp {
  /** Waiting work by key (one per folder, one for settling removals…), in the order it first waited. */
  private readonly waiting = new Map<string, { what: string; work: () => Promise<void> }>();
  private waitMs = FIRST_WAIT_MS;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private closed = false;

  constructor(
    private readonly serverName: () => string,
    private readonly notice: Notice,
  ) {}

  /** Runs `work` now; when the server is away, it waits (see `defer`) and this resolves. Any other error rejects. */
  async attempt(key: string, what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!this.defer(key, what, error, work)) throw error;
    }
  }

  /**
   * `error` came from `work` failing: when it says the catalog's server is away, the person is told (once per piece of
   * work while it waits) and `work` runs again once the server answers; false for any other error. `what` reads
   * after "…went away: <cause>; ", e.g. "catching up with /photos".
   */
  defer(key: string, what: string, error: unknown, work: () => Promise<void>): boolean {
    if (!isCatalogServerAway(error)) return false;
    if (this.closed) return true;
    if (!this.waiting.has(key)) this.notice('warn', `${this.serverName()} went away: ${catalogAwayCause(error)}; ${what} waits until it is back`);
    this.waiting.set(key, { what, work });
    this.arm();
    return true;
  }

  /** Nothing waits for the server. */
  get idle(): boolean {
    return this.waiting.size === 0;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.waiting.clear();
  }

  private arm(): void {
    if (this.timer || this.running || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runWaiting();
    }, this.waitMs);
  }

  /** Runs what waits, in order, until the server fails again (then waits longer) or everything is done. */
  private async runWaiting(): Promise<void> {
    this.running = true;
    try {
      for (const [key, entry] of this.waiting) {
        if (this.closed) return;
        try {
          await entry.work();
        } catch (error) {
          if (isCatalogServerAway(error)) {
            this.waitMs = Math.min(LONGEST_WAIT_MS, this.waitMs * 2);
            return;
          }
          this.notice('error', `${entry.what} failed: ${describeError(error)}`);
        }
        // Deferred again while it ran (a second change to the same folder): keep the newer one for the next round.
        if (this.waiting.get(key) === entry) this.waiting.delete(key);
      }
      if (this.waiting.size === 0 && !this.closed) {
        this.waitMs = FIRST_WAIT_MS;
        this.notice('info', `${this.serverName()} is back; caught up with what the library folders saw meanwhile`);
      }
    } finally {
      this.running = false;
      if (this.waiting.size > 0) this.arm();
    }
  }
}
