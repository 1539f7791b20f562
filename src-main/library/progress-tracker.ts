// Rates and ETAs for the progress events: remembers when photos finished over the last minute, overall and per
// folder, and turns catalog counts into the contract's Progress numbers.
import type { Progress } from '../../src-preload/api';

const WINDOW_MS = 60_000;

class RateWindow {
  private readonly times: number[] = [];

  record(now: number): void {
    this.times.push(now);
    this.trim(now);
  }

  perSecond(now: number): number {
    this.trim(now);
    if (this.times.length < 2) return 0;
    const span = Math.max(1_000, now - this.times[0]);
    return (this.times.length / span) * 1_000;
  }

  private trim(now: number): void {
    let drop = 0;
    while (drop < this.times.length && now - this.times[drop] > WINDOW_MS) drop++;
    if (drop > 0) this.times.splice(0, drop);
  }
}

export class ProgressTracker {
  private readonly pass1 = new RateWindow();
  private readonly pass2 = new RateWindow();
  private readonly byFolder = new Map<number, RateWindow>();

  /** A photo (or a file that failed before becoming one) finished pass 1. */
  photoFinished(folderId: number, now = Date.now()): void {
    this.pass1.record(now);
    let window = this.byFolder.get(folderId);
    if (!window) this.byFolder.set(folderId, (window = new RateWindow()));
    window.record(now);
  }

  backgroundStageFinished(now = Date.now()): void {
    this.pass2.record(now);
  }

  overall(counts: Omit<Progress, 'rate' | 'etaSeconds'>, now = Date.now()): Progress {
    return withRate(counts, this.pass1.perSecond(now));
  }

  background(counts: Omit<Progress, 'rate' | 'etaSeconds'>, now = Date.now()): Progress {
    return withRate(counts, this.pass2.perSecond(now));
  }

  folder(folderId: number, counts: Omit<Progress, 'rate' | 'etaSeconds'>, now = Date.now()): Progress {
    return withRate(counts, this.byFolder.get(folderId)?.perSecond(now) ?? 0);
  }
}

function withRate(counts: Omit<Progress, 'rate' | 'etaSeconds'>, rate: number): Progress {
  const etaSeconds = counts.pending > 0 && rate > 0 ? Math.ceil(counts.pending / rate) : null;
  return { ...counts, rate: Math.round(rate * 100) / 100, etaSeconds };
}
