// The catalog's side of the filter fields a vector server keeps on each photo's point (folder, date, people): reading
// them, and the queue of photos whose fields changed since they were written (filled by the triggers of migration 0086).
import { sql, type Kysely } from 'kysely';
import type { PhotoPayload } from './vectors/vector-store';
import type { CatalogSchema } from './schema';

export interface VectorPayloadPendingTable {
  image_id: number;
  /** Bumped on every change, so a writer only clears the entries it actually wrote. */
  seq: number;
}

type Db = Kysely<CatalogSchema & { vector_payload_pending: VectorPayloadPendingTable }>;

export interface PendingPayload {
  imageId: number;
  seq: number;
}

/** Below SQLite's bound-parameter limit with room to spare. */
const ID_CHUNK = 500;

export class VectorPayloads {
  private readonly db: Db;

  constructor(db: Kysely<CatalogSchema>) {
    this.db = db.withTables<{ vector_payload_pending: VectorPayloadPendingTable }>();
  }

  /** The payloads of the given photos; photos no longer in the catalog are absent. */
  async of(imageIds: number[]): Promise<Map<number, PhotoPayload>> {
    const out = new Map<number, PhotoPayload>();
    const ids = [...new Set(imageIds)];
    for (let start = 0; start < ids.length; start += ID_CHUNK) {
      const chunk = ids.slice(start, start + ID_CHUNK);
      const [images, faces] = await Promise.all([
        this.db
          .selectFrom('images')
          .select(['id', 'folder_id', sql<string>`coalesce(taken_at, added_at)`.as('taken')])
          .where('id', 'in', chunk)
          .execute(),
        this.db
          .selectFrom('faces')
          .select(['image_id', 'person_id'])
          .distinct()
          .where('image_id', 'in', chunk)
          .where('person_id', 'is not', null)
          .execute(),
      ]);
      for (const row of images) out.set(Number(row.id), { folderId: Number(row.folder_id), takenMs: Date.parse(row.taken), personIds: [] });
      for (const face of faces) out.get(Number(face.image_id))?.personIds.push(Number(face.person_id));
    }
    for (const payload of out.values()) payload.personIds.sort((a, b) => a - b);
    return out;
  }

  /** Up to `limit` photos whose payload changed since it was last written. */
  async pending(limit: number): Promise<PendingPayload[]> {
    const rows = await this.db.selectFrom('vector_payload_pending').select(['image_id', 'seq']).orderBy('image_id').limit(limit).execute();
    return rows.map((row) => ({ imageId: Number(row.image_id), seq: Number(row.seq) }));
  }

  async pendingCount(): Promise<number> {
    const row = await this.db.selectFrom('vector_payload_pending').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Queues photos whose points need their payload written (points found without one). */
  async markPending(imageIds: number[]): Promise<void> {
    const ids = [...new Set(imageIds)];
    for (let start = 0; start < ids.length; start += ID_CHUNK) {
      await this.db
        .insertInto('vector_payload_pending')
        .values(ids.slice(start, start + ID_CHUNK).map((id) => ({ image_id: id, seq: 1 })))
        .onConflict((oc) => oc.column('image_id').doUpdateSet({ seq: sql<number>`vector_payload_pending.seq + 1` }))
        .execute();
    }
  }

  /** Clears the entries that were written, unless they changed again meanwhile (their seq moved on). */
  async settle(written: PendingPayload[]): Promise<void> {
    for (let start = 0; start < written.length; start += ID_CHUNK) {
      const chunk = written.slice(start, start + ID_CHUNK);
      await this.db
        .deleteFrom('vector_payload_pending')
        .where((eb) => eb.or(chunk.map((entry) => eb.and([eb('image_id', '=', entry.imageId), eb('seq', '=', entry.seq)]))))
        .execute();
    }
  }

  /** A library whose vectors keep no payload (the embedded index) has nothing to write them to. */
  async forgetAll(): Promise<void> {
    await this.db.deleteFrom('vector_payload_pending').execute();
  }
}
