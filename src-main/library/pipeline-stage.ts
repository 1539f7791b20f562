// The unit of per-photo indexing work: the library's own stages (decode, EXIF, thumbnails) and the ones other
// layers pass in (embeddings, crops, faces) share this shape, so the persistent queue runs them all the same way.
import type { Transaction } from 'kysely';
import type { GlimpseConfig } from '../config';
import type { Catalog } from '../store/catalog';
import type { CatalogSchema, ImageRow } from '../store/schema';

export interface StageContext {
  catalog: Catalog;
  config: GlimpseConfig;
}

export interface PipelineStage {
  name: string;
  /** 1: what browsing and search need first; 2: background work after every photo finished pass 1. */
  pass: 1 | 2;
  /** What the output depends on (a model id); changing it redoes the stage for every photo. */
  version: string | null;
  /**
   * Resolves 'done' or 'skipped' (nothing to do for this photo), or the result to write with that outcome; throws with
   * a readable cause on failure.
   */
  run(image: ImageRow, ctx: StageContext): Promise<StageOutcome>;
}

/**
 * What a stage made, written by the library in the same transaction that marks the stage finished: a process killed
 * in between leaves neither, so no result ever sits beside a stage still to do (which a restart would redo).
 */
export interface StageResult {
  status: 'done' | 'skipped';
  /** Writes the result through `trx` only (another handle would wait on the transaction); false: the photo changed. */
  write(trx: Transaction<CatalogSchema>): Promise<boolean>;
}

export type StageOutcome = 'done' | 'skipped' | StageResult;

/**
 * Thrown by a stage whose work cannot be done right now for a reason outside the photo (a vector server that is
 * away): the stage goes back to the queue without counting an attempt, and the queue waits before trying again.
 */
export class StageDeferredError extends Error {
  override name = 'StageDeferredError';
  /**
   * Waiting alone will not clear it (a collection that does not fit the model): the queue still tries again later,
   * in case the person fixes it, but whoever waits for the import to finish (`glimpse index`) is told why at once.
   */
  readonly lasting: boolean;

  constructor(message: string, options: { lasting?: boolean } = {}) {
    super(message);
    this.lasting = options.lasting ?? false;
  }
}
