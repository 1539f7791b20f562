// The captions domain of the catalog: what the captioner wrote for each photo (the text in images.caption, which
// the text index follows) and what it was made with, and the describe stage's queue rows for one photo, a list or all.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { CatalogSchema } from './schema';

export interface ImageCaptionsTable {
  image_id: number;
  model: string;
  prompt: string;
  duration_ms: number;
  created_at: string;
}

type CaptionSchema = CatalogSchema & { image_captions: ImageCaptionsTable };

export interface StoredCaption {
  imageId: number;
  path: string;
  /** null while the photo has no caption yet; "" when the model answered nothing. */
  caption: string | null;
  model: string | null;
  prompt: string | null;
  createdAt: string | null;
  durationMs: number | null;
  /** The describe stage's state, or null when captioning has never been turned on for this photo. */
  status: 'pending' | 'running' | 'done' | 'failed' | 'skipped' | null;
  error: string | null;
}

export interface CaptionCounts {
  total: number;
  done: number;
  failed: number;
  pending: number;
}

const PARKED_VERSION = 'captions off';

export type CaptionScope = { all: true } | { missing: true } | { ids: number[] };

export class CaptionStore {
  private readonly db: Kysely<CaptionSchema>;

  constructor(
    db: Kysely<CatalogSchema>,
    /** The describe stage's name in image_stages. */
    private readonly stage: string,
  ) {
    this.db = db.withTables<{ image_captions: ImageCaptionsTable }>();
  }

  /**
   * Stores a caption made from the photo's bytes `forHash`, through the transaction that also marks the describe stage
   * done; false (and nothing written) when the photo changed or went away meanwhile, so a caption never lands on other
   * bytes than it describes.
   */
  async record(
    trx: Transaction<CatalogSchema>,
    imageId: number,
    forHash: string,
    made: { caption: string; model: string; prompt: string; durationMs: number },
  ): Promise<boolean> {
    const db = trx.withTables<{ image_captions: ImageCaptionsTable }>();
    const updated = await db
      .updateTable('images')
      .set({ caption: made.caption, caption_model: made.model })
      .where('id', '=', imageId)
      .where('hash', '=', forHash)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return false;
    const row = { model: made.model, prompt: made.prompt, duration_ms: made.durationMs, created_at: new Date().toISOString() };
    await db
      .insertInto('image_captions')
      .values({ image_id: imageId, ...row })
      .onConflict((oc) => oc.column('image_id').doUpdateSet(row))
      .execute();
    return true;
  }

  async counts(): Promise<CaptionCounts> {
    const rows = await this.db
      .selectFrom('image_stages')
      .select(['status', sql<number>`count(*)`.as('n')])
      .where('stage', '=', this.stage)
      .groupBy('status')
      .execute();
    const counts: CaptionCounts = { total: 0, done: 0, failed: 0, pending: 0 };
    for (const row of rows) {
      const n = Number(row.n);
      counts.total += n;
      if (row.status === 'done' || row.status === 'skipped') counts.done += n;
      else if (row.status === 'failed') counts.failed += n;
      else counts.pending += n;
    }
    return counts;
  }

  /** Puts the photos in `scope` back in the describe queue; returns their ids (only photos the stage knows). */
  async requeue(scope: CaptionScope): Promise<number[]> {
    let query = this.db.selectFrom('image_stages').select('image_id').where('stage', '=', this.stage).where('status', '!=', 'running');
    if ('ids' in scope) query = query.where('image_id', 'in', scope.ids.length > 0 ? scope.ids : [-1]);
    else if ('missing' in scope) query = query.where('status', 'in', ['pending', 'failed']);
    const ids = (await query.orderBy('image_id').execute()).map((r) => r.image_id);
    for (let i = 0; i < ids.length; i += 500) {
      await this.db
        .updateTable('image_stages')
        .set({ status: 'pending', attempts: 0, error: null, updated_at: new Date().toISOString() })
        .where('stage', '=', this.stage)
        .where('image_id', 'in', ids.slice(i, i + 500))
        .where('status', '!=', 'running')
        .execute();
    }
    return ids;
  }

  /**
   * Captions were turned off: photos still waiting leave the queue (skipped, under a version no setting produces), so
   * they neither hold up other background stages nor count as work; turning captions on again queues them anew.
   */
  async park(): Promise<void> {
    await this.db
      .updateTable('image_stages')
      .set({ status: 'skipped', version: PARKED_VERSION, attempts: 0, updated_at: new Date().toISOString() })
      .where('stage', '=', this.stage)
      .where('status', 'in', ['pending', 'failed'])
      .execute();
  }

  /** How many of these photos still wait for (or are in) the describe stage. */
  async openCount(ids: number[]): Promise<number> {
    let open = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const row = await this.db
        .selectFrom('image_stages')
        .select(sql<number>`count(*)`.as('n'))
        .where('stage', '=', this.stage)
        .where('status', 'in', ['pending', 'running'])
        .where('image_id', 'in', ids.slice(i, i + 500))
        .executeTakeFirstOrThrow();
      open += Number(row.n);
    }
    return open;
  }

  async captions(ids: number[]): Promise<StoredCaption[]> {
    const out: StoredCaption[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('images')
        .leftJoin('image_captions', 'image_captions.image_id', 'images.id')
        .leftJoin('image_stages', (join) => join.onRef('image_stages.image_id', '=', 'images.id').on('image_stages.stage', '=', this.stage))
        .select([
          'images.id',
          'images.path',
          'images.caption',
          'images.caption_model',
          'image_captions.prompt',
          'image_captions.created_at',
          'image_captions.duration_ms',
          'image_stages.status',
          'image_stages.error',
        ])
        .where('images.id', 'in', ids.slice(i, i + 500))
        .orderBy('images.id')
        .execute();
      for (const r of rows) {
        // A caption from before the photo's bytes changed was cleared with them; its old record says nothing now.
        const current = r.caption !== null;
        out.push({
          imageId: r.id,
          path: r.path,
          caption: r.caption,
          model: r.caption_model,
          prompt: current ? r.prompt : null,
          createdAt: current ? r.created_at : null,
          durationMs: current ? r.duration_ms : null,
          status: r.status,
          error: r.error,
        });
      }
    }
    return out;
  }
}
