// Drains the persistent queue in the catalog (ingest jobs, then per-photo stages, pass 1 before pass 2) with
// bounded concurrency. Work is claimed from the database, never held only in memory, so a crash loses nothing:
// whatever was running becomes pending again at the next start.
import PQueue from 'p-queue';
import type { Catalog, ClaimedStage } from '../store/catalog';
import type { JobRow } from '../store/schema';

export interface WorkHandlers {
  ingest(job: JobRow): Promise<void>;
  /** Runs a claimed stage; returns the photo's next stage when it could claim it at once (same worker carries on). */
  stage(claim: ClaimedStage): Promise<ClaimedStage | null>;
  /** Called when the queue ran dry (nothing claimable and nothing running). */
  drained(): Promise<void>;
  /** A claim failed: true when it was the catalog's server being away (the handler deferred claiming), false to rethrow. */
  catalogAway?(error: unknown): boolean;
  /** The catalog's server answers again after being away, and claims left over from then are back in the queue. */
  catalogBack?(): void;
}

export class WorkRunner {
  private readonly queue: PQueue;
  private paused = false;
  private stopped = true;
  private wake: (() => void) | null = null;
  /** A kick that arrived while the loop was busy claiming: the next sleep returns at once. */
  private kicked = false;
  private loop: Promise<void> | null = null;
  /** Claiming waits until this time (ms since epoch) after a stage was deferred; doubles while deferrals repeat. */
  private deferredUntil = 0;
  private deferDelayMs = 0;
  /** The catalog's server was away since claims were last known to be in hand. */
  private catalogWasAway = false;
  private stopListening: Promise<(() => Promise<void>) | null> | null = null;
  /** The latest announcement on its way, so closing does not cut it off. */
  private announcing: Promise<void> = Promise.resolve();

  constructor(
    private readonly catalog: Catalog,
    private readonly stageOrder: string[],
    concurrency: number,
    private readonly handlers: WorkHandlers,
    /**
     * How long an idle runner sleeps before looking for work again: the fallback for announcements it missed and for
     * leases of crashed processes running out. Work this process queues, or (PostgreSQL) another one announces, wakes it at once.
     */
    private readonly idlePollMs = 5_000,
  ) {
    this.queue = new PQueue({ concurrency });
    this.queue.on('next', () => this.kick());
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Tasks claimed and not yet finished. */
  get inFlight(): number {
    return this.queue.size + this.queue.pending;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const signals = this.catalog.workSignals;
    // Not listening (the server refused the extra connection) leaves the poll, which still finds the work.
    this.stopListening = signals ? signals.listen(() => this.kick()).catch(() => null) : null;
    this.loop = this.run();
  }

  /** Resolves once the runner hears other processes' announcements (at once where there are none to hear). */
  async listening(): Promise<void> {
    await this.stopListening;
  }

  /** New work was queued here: start on it, and wake the idle indexers of other processes sharing the catalog. */
  announce(): void {
    this.kick();
    const signals = this.catalog.workSignals;
    if (signals) this.announcing = signals.announce().catch(() => {});
  }

  /** New work may be in the catalog. */
  kick(): void {
    const wake = this.wake;
    this.wake = null;
    if (wake) wake();
    else this.kicked = true;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.kick();
  }

  /**
   * Something the stages need is away (a vector server): stop claiming for a while, backing off from 1 s to a minute
   * while it stays away. The person's own pause is separate and untouched.
   */
  deferAfterFailure(): number {
    this.deferDelayMs = Math.min(60_000, this.deferDelayMs === 0 ? 1_000 : this.deferDelayMs * 2);
    this.deferredUntil = Date.now() + this.deferDelayMs;
    return this.deferDelayMs;
  }

  /** Work failed because the catalog's server was away: claims made as it went may be left to free once nothing runs. */
  noteCatalogAway(): void {
    this.catalogWasAway = true;
  }

  /** A stage succeeded: the next deferral starts from the shortest wait again. */
  clearDeferral(): void {
    this.deferDelayMs = 0;
    this.deferredUntil = 0;
  }

  /** Stops claiming and waits for the tasks already running. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.kick();
    await this.announcing;
    const stopListening = await this.stopListening;
    this.stopListening = null;
    await stopListening?.();
    await this.loop;
    await this.queue.onIdle();
  }

  /** Takes one photo through as many of its stages as are ready, in one queue slot, until paused or stopped. */
  private async carry(first: ClaimedStage): Promise<void> {
    let claim: ClaimedStage | null = first;
    while (claim) {
      const next: ClaimedStage | null = await this.handlers.stage(claim);
      if (next && (this.paused || this.stopped)) {
        await this.catalog.releaseStage(next.imageId, next.stage).catch((error: unknown) => {
          // Still shown running under this process's name: freed with the other lost claims once the server answers.
          if (!this.handlers.catalogAway?.(error)) throw error;
        });
        return;
      }
      claim = next;
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.kicked) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.kick(), ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    // Claimed work starts at once (no backlog in memory), so a crash never counts an attempt that did not run.
    const capacity = this.queue.concurrency;
    while (!this.stopped) {
      if (this.paused) {
        await this.sleep(60_000);
        continue;
      }
      const deferred = this.deferredUntil - Date.now();
      if (deferred > 0) {
        await this.sleep(deferred);
        continue;
      }
      const free = capacity - this.inFlight;
      if (free <= 0) {
        await this.sleep(1_000);
        continue;
      }
      let claimed = 0;
      try {
        if (this.catalogWasAway && this.inFlight === 0) {
          // Nothing runs here now, so whatever the catalog still shows running under this process's name is a claim
          // made as the connection broke (its reply never came): renewed leases would hold it forever.
          await this.catalog.releaseOwnClaims();
          this.catalogWasAway = false;
          this.handlers.catalogBack?.();
        }
        const jobs = await this.catalog.claimIngestJobs(free);
        for (const job of jobs) void this.queue.add(() => this.handlers.ingest(job));
        claimed += jobs.length;
        if (claimed < free) {
          const stages = await this.catalog.claimStages(this.stageOrder, free - claimed);
          for (const claim of stages) void this.queue.add(() => this.carry(claim));
          claimed += stages.length;
        }
        if (claimed > 0) continue;
        if (this.inFlight === 0) await this.handlers.drained();
      } catch (error) {
        // Wait, then claim again. A claim whose commit reached the server before its reply was lost is freed below.
        if (this.handlers.catalogAway?.(error)) continue;
        throw error;
      }
      // Nothing claimable: wait for a running task to finish (it may unblock the next stage) or for new work.
      await this.sleep(this.inFlight === 0 ? this.idlePollMs : 1_000);
    }
  }
}
