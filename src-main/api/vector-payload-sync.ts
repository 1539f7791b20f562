// Keeps the filter fields on a vector server's points (folder, date, people) in step with the catalog, and decides for
// each filtered search whether the filters can run there as payload conditions or must go as the ids the catalog
// resolved — the two give the same photos only while nothing waits to be written, so that is checked every time.
import type { SearchFilters } from '../../src-preload/api';
import { takenBounds } from '../store/taken-range';
import type { PendingPayload, VectorPayloads } from '../store/vector-payloads';
import type { PayloadFilter, PayloadWriter, VectorFilter } from '../store/vectors/vector-store';

/** A backlog this small is written before the search it holds up (one request); a larger one is written in the background. */
export const INLINE_PAYLOAD_WRITES = 256;
const BATCH = 256;

/** The search filters as payload conditions, with the catalog's bounds for the dates. */
export function toPayloadFilter(filters: SearchFilters): PayloadFilter {
  const { from, to } = takenBounds(filters);
  return {
    kind: 'payload',
    ...(filters.folderId !== undefined ? { folderId: filters.folderId } : {}),
    ...(from ? { takenFromMs: Date.parse(from) } : {}),
    ...(to ? { takenToMs: Date.parse(to) } : {}),
    ...(filters.personIds?.length ? { personIds: filters.personIds } : {}),
  };
}

export class VectorPayloadSync {
  /** Whether points written without payload (an older Glimpse, an outside copy) have all been queued. */
  private unpayloadedQueued = false;
  private background: Promise<void> | null = null;

  constructor(
    private readonly catalog: VectorPayloads,
    private readonly writer: PayloadWriter,
    /** Told when a background write fails (the server went away); the next filtered search tries again. */
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Payload conditions when every point is in step (writing a small backlog first), otherwise the catalog's ids. */
  async filterFor(filters: SearchFilters, resolveIds: () => Promise<Set<number> | null>): Promise<VectorFilter> {
    return (await this.inStep()) ? toPayloadFilter(filters) : resolveIds();
  }

  /** Whether every point carries the catalog's current payload. */
  async inStep(): Promise<boolean> {
    if (this.background) return false;
    if (!this.unpayloadedQueued) {
      const first = await this.writer.withoutPayload(BATCH);
      if (first.length > 0) {
        this.startBackground();
        return false;
      }
      this.unpayloadedQueued = true;
    }
    const waiting = await this.catalog.pendingCount();
    if (waiting === 0) return true;
    if (waiting > INLINE_PAYLOAD_WRITES) {
      this.startBackground();
      return false;
    }
    await this.writePending();
    return (await this.catalog.pendingCount()) === 0;
  }

  /** Writes everything waiting, now (also what a test or `glimpse migrate` waits for). */
  async catchUp(): Promise<void> {
    await this.background;
    await this.queueUnpayloaded();
    await this.writePending();
  }

  private startBackground(): void {
    this.background ??= this.catchUp()
      .catch((error: unknown) => this.onError(error))
      .finally(() => {
        this.background = null;
      });
  }

  private async queueUnpayloaded(): Promise<void> {
    if (this.unpayloadedQueued) return;
    // Walked by id rather than re-asked from the start: an id with no catalog row (a photo another library put there)
    // never gets a payload and would come back every time.
    let fromId: number | undefined;
    for (;;) {
      const ids = await this.writer.withoutPayload(BATCH, fromId);
      if (ids.length === 0) break;
      await this.catalog.markPending(ids);
      await this.writePending();
      fromId = ids[ids.length - 1]! + 1;
    }
    this.unpayloadedQueued = true;
  }

  private async writePending(): Promise<void> {
    // Bounded: entries changed again while being written stay queued for the next round instead of looping here.
    const rounds = Math.ceil((await this.catalog.pendingCount()) / BATCH) + 1;
    for (let round = 0; round < rounds; round++) {
      const batch = await this.catalog.pending(BATCH);
      if (batch.length === 0) return;
      await this.writeBatch(batch);
    }
  }

  /**
   * Photos without a point are settled too: their point is born with the payload (QdrantVectorStore.upsertGlobals reads
   * it after writing), and a change after this read bumps the entry's seq, so it stays queued.
   */
  private async writeBatch(batch: PendingPayload[]): Promise<void> {
    const payloads = await this.catalog.of(batch.map((entry) => entry.imageId));
    if (payloads.size > 0) await this.writer.write(payloads);
    await this.catalog.settle(batch);
  }
}
