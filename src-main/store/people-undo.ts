// What a merge of people changed, kept so its Undo puts back the exact assignment, pins, names, covers and
// rejections it replaced — also from the CLI, in another process than the one that merged.
import type { Kysely } from 'kysely';
import type { CatalogDatabase } from './database';

/** Everything a merge overwrote, read just before it ran. */
export interface MergeSnapshot {
  into: { id: number; name: string | null; hidden: boolean; coverFaceId: number | null };
  sources: Array<{ id: number; name: string | null; hidden: boolean; coverFaceId: number | null; createdAt: string }>;
  /** Faces of the target and of the merged people, where they were and whether a person had put them there. */
  faces: Array<{ id: number; personId: number; pinned: boolean }>;
  /** Faces said not to be each merged person (deleted with it). */
  sourceRejections: Array<{ faceId: number; personId: number }>;
  /** Faces said not to be the target before the merge added the merged people's to them. */
  intoRejections: number[];
}

export class MergeUndoError extends Error {
  override name = 'MergeUndoError';
}

interface UndoSchema {
  people_merge_undo: { id: import('kysely').Generated<number>; created_at: string; snapshot: string };
  people: { id: number; name: string | null; hidden: number; created_at: string; cover_face_id: number | null };
  faces: { id: number; person_id: number | null; pinned: number };
  face_rejections: { face_id: number; person_id: number; created_at: string };
}

/** Merges that can still be undone; older ones are forgotten (an Undo is offered for seconds, not forever). */
const KEPT_MERGES = 50;

export class PeopleUndoStore {
  private readonly db: Kysely<UndoSchema>;

  constructor(database: Pick<CatalogDatabase, 'db'>) {
    this.db = database.db as unknown as Kysely<UndoSchema>;
  }

  async save(snapshot: MergeSnapshot): Promise<number> {
    const row = await this.db
      .insertInto('people_merge_undo')
      .values({ created_at: new Date().toISOString(), snapshot: JSON.stringify(snapshot) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    await this.db.deleteFrom('people_merge_undo').where('id', '<=', id - KEPT_MERGES).execute();
    return id;
  }

  /**
   * Puts a merge back in one transaction: the merged people return with their ids, names, covers and rejections, and
   * every face still where the merge put it goes back to where it was, pinned as it was. A face someone moved since
   * stays where they moved it: that later decision wins. Returns the snapshot restored.
   */
  async undo(undoId: number): Promise<MergeSnapshot> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('people_merge_undo').select('snapshot').where('id', '=', undoId).executeTakeFirst();
      if (!row) throw new MergeUndoError(`Merge ${undoId} was already undone or is too old to undo`);
      const snapshot = JSON.parse(row.snapshot) as MergeSnapshot;
      const { into } = snapshot;
      const target = await trx.selectFrom('people').select('id').where('id', '=', into.id).executeTakeFirst();
      if (!target) throw new MergeUndoError(`Person ${into.id} that the merge went into no longer exists: nothing to undo`);
      const sourceIds = snapshot.sources.map((s) => s.id);
      const taken = sourceIds.length ? await trx.selectFrom('people').select('id').where('id', 'in', sourceIds).execute() : [];
      if (taken.length > 0) throw new MergeUndoError(`Person ${taken[0].id} exists again: this merge was already undone`);

      await trx.updateTable('people').set({ name: into.name, hidden: into.hidden ? 1 : 0, cover_face_id: into.coverFaceId }).where('id', '=', into.id).execute();
      for (const source of snapshot.sources) {
        await trx
          .insertInto('people')
          .values({ id: source.id, name: source.name, hidden: source.hidden ? 1 : 0, created_at: source.createdAt, cover_face_id: source.coverFaceId })
          .execute();
      }
      const faceIds = snapshot.faces.map((f) => f.id);
      const stillThere = new Set<number>();
      for (let i = 0; i < faceIds.length; i += 500) {
        const part = faceIds.slice(i, i + 500);
        for (const face of await trx.selectFrom('faces').select('id').where('id', 'in', part).where('person_id', '=', into.id).execute()) stillThere.add(face.id);
      }
      for (const face of snapshot.faces) {
        if (!stillThere.has(face.id)) continue;
        await trx.updateTable('faces').set({ person_id: face.personId, pinned: face.pinned ? 1 : 0 }).where('id', '=', face.id).execute();
      }

      const before = new Set(snapshot.intoRejections);
      const rejectedNow = await trx.selectFrom('face_rejections').select('face_id').where('person_id', '=', into.id).execute();
      const added = rejectedNow.map((r) => r.face_id).filter((faceId) => !before.has(faceId));
      for (let i = 0; i < added.length; i += 500) {
        await trx.deleteFrom('face_rejections').where('person_id', '=', into.id).where('face_id', 'in', added.slice(i, i + 500)).execute();
      }
      const now = new Date().toISOString();
      for (const rejection of snapshot.sourceRejections) {
        const exists = await trx.selectFrom('faces').select('id').where('id', '=', rejection.faceId).executeTakeFirst();
        if (!exists) continue;
        await trx
          .insertInto('face_rejections')
          .values({ face_id: rejection.faceId, person_id: rejection.personId, created_at: now })
          .onConflict((c) => c.columns(['face_id', 'person_id']).doNothing())
          .execute();
      }
      await trx.deleteFrom('people_merge_undo').where('id', '=', undoId).execute();
      return snapshot;
    });
  }
}
