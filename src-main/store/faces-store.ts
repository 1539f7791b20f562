// Faces and people in the catalog: detected faces (box, score, thumbnail), who each face is, and the decisions a
// person made (pins, rejections, names, hidden people), kept in their own store module beside the catalog.
import { type Kysely, sql } from 'kysely';
import type { CatalogDatabase } from './database';
import type { ImagesTable } from './schema';

interface FaceRowTable {
  id: import('kysely').Generated<number>;
  image_id: number;
  person_id: number | null;
  box_x: number;
  box_y: number;
  box_width: number;
  box_height: number;
  score: number;
  descriptor: Uint8Array | null;
  created_at: string;
  /** 1 when a person put this face where it is (named, moved, confirmed, merged, split): clustering never moves it. */
  pinned: number;
  thumbnail: Uint8Array | null;
  age: number | null;
  gender: string | null;
  /** The detector and descriptor model that found it. */
  model: string | null;
}

interface PersonRowTable {
  id: import('kysely').Generated<number>;
  name: string | null;
  hidden: number;
  created_at: string;
  cover_face_id: number | null;
}

interface FaceRejectionsTable {
  face_id: number;
  person_id: number;
  created_at: string;
}

interface FacesSchema {
  faces: FaceRowTable;
  people: PersonRowTable;
  face_rejections: FaceRejectionsTable;
  images: ImagesTable;
}

export interface FaceRow {
  id: number;
  imageId: number;
  personId: number | null;
  box: [number, number, number, number];
  score: number;
  pinned: boolean;
}

export interface PersonRow {
  id: number;
  name: string | null;
  hidden: boolean;
  coverFaceId: number | null;
  createdAt: string;
}

export interface NewFace {
  box: [number, number, number, number];
  score: number;
  thumbnail: Uint8Array;
  age: number | null;
  gender: string | null;
}

export interface Assignment {
  faceId: number;
  personId: number | null;
}

/** SQLite caps bound parameters per statement; lists of ids are sent in slices this long. */
const ID_CHUNK = 500;
/** Two boxes of one photo overlapping this much are the same face, so a re-detection keeps its id and decisions. */
const SAME_FACE_IOU = 0.5;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += ID_CHUNK) out.push(items.slice(i, i + ID_CHUNK));
  return out;
}

function iou(a: readonly number[], b: readonly number[]): number {
  const ix = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

function centresInEachOther(a: readonly number[], b: readonly number[]): boolean {
  const inside = (box: readonly number[], x: number, y: number) => x >= box[0] && x <= box[0] + box[2] && y >= box[1] && y <= box[1] + box[3];
  return inside(a, b[0] + b[2] / 2, b[1] + b[3] / 2) && inside(b, a[0] + a[2] / 2, a[1] + a[3] / 2);
}

const FACE_COLUMNS = ['id', 'image_id', 'person_id', 'box_x', 'box_y', 'box_width', 'box_height', 'score', 'pinned'] as const;

type SelectedFace = Pick<FaceRowTable, 'image_id' | 'person_id' | 'box_x' | 'box_y' | 'box_width' | 'box_height' | 'score' | 'pinned'> & { id: number };

function toFace(row: SelectedFace): FaceRow {
  return {
    id: row.id,
    imageId: row.image_id,
    personId: row.person_id,
    box: [row.box_x, row.box_y, row.box_width, row.box_height],
    score: row.score,
    pinned: row.pinned === 1,
  };
}

function toPerson(row: { id: number; name: string | null; hidden: number; cover_face_id: number | null; created_at: string }): PersonRow {
  return { id: row.id, name: row.name, hidden: row.hidden === 1, coverFaceId: row.cover_face_id, createdAt: row.created_at };
}

export class FaceStore {
  private readonly db: Kysely<FacesSchema>;

  constructor(database: Pick<CatalogDatabase, 'db'>) {
    this.db = database.db as unknown as Kysely<FacesSchema>;
  }

  /**
   * Records a photo's detections. A new box that overlaps an old one is the same face: it keeps its id, person, pin
   * and rejections (so a re-index or a model change loses no decision); old faces with no match are removed. After a
   * model change, boxes around each other's centres also match, since another detector frames a face differently.
   */
  async replaceDetections(imageId: number, faces: NewFace[], model: string): Promise<{ ids: number[]; removed: number[] }> {
    return this.db.transaction().execute(async (trx) => {
      const oldRows = await trx.selectFrom('faces').select([...FACE_COLUMNS, 'model']).where('image_id', '=', imageId).execute();
      const old = oldRows.map(toFace);
      const pairs: Array<{ overlap: number; oldIndex: number; newIndex: number }> = [];
      old.forEach((o, oldIndex) => faces.forEach((n, newIndex) => pairs.push({ overlap: iou(o.box, n.box), oldIndex, newIndex })));
      pairs.sort((a, b) => b.overlap - a.overlap);
      const matched = new Map<number, FaceRow>();
      const usedOld = new Set<number>();
      for (const pair of pairs) {
        if (pair.overlap < SAME_FACE_IOU) break;
        if (usedOld.has(pair.oldIndex) || matched.has(pair.newIndex)) continue;
        usedOld.add(pair.oldIndex);
        matched.set(pair.newIndex, old[pair.oldIndex]);
      }
      // Another model may draw its boxes differently (the whole head, not the face): a box around the same centre
      // as a face the old model found is that face, so its decisions carry over to the new model.
      for (const pair of pairs) {
        if (pair.overlap === 0) break;
        if (usedOld.has(pair.oldIndex) || matched.has(pair.newIndex) || oldRows[pair.oldIndex].model === model) continue;
        if (!centresInEachOther(old[pair.oldIndex].box, faces[pair.newIndex].box)) continue;
        usedOld.add(pair.oldIndex);
        matched.set(pair.newIndex, old[pair.oldIndex]);
      }
      const now = new Date().toISOString();
      const ids: number[] = [];
      for (const [index, face] of faces.entries()) {
        const values = {
          box_x: face.box[0],
          box_y: face.box[1],
          box_width: face.box[2],
          box_height: face.box[3],
          score: face.score,
          thumbnail: face.thumbnail,
          age: face.age,
          gender: face.gender,
          model,
        };
        const previous = matched.get(index);
        if (previous) {
          await trx.updateTable('faces').set(values).where('id', '=', previous.id).execute();
          ids.push(previous.id);
        } else {
          const row = await trx
            .insertInto('faces')
            .values({ ...values, image_id: imageId, person_id: null, pinned: 0, descriptor: null, created_at: now })
            .returning('id')
            .executeTakeFirstOrThrow();
          ids.push(Number(row.id));
        }
      }
      const removed = old.filter((_, i) => !usedOld.has(i)).map((f) => f.id);
      for (const part of chunks(removed)) await trx.deleteFrom('faces').where('id', 'in', part).execute();
      return { ids, removed };
    });
  }

  async facesOfImages(imageIds: number[]): Promise<FaceRow[]> {
    const out: FaceRow[] = [];
    for (const part of chunks(imageIds)) {
      out.push(...(await this.db.selectFrom('faces').select(FACE_COLUMNS).where('image_id', 'in', part).orderBy('id').execute()).map(toFace));
    }
    return out;
  }

  async faces(ids: number[]): Promise<FaceRow[]> {
    const out: FaceRow[] = [];
    for (const part of chunks([...new Set(ids)])) {
      out.push(...(await this.db.selectFrom('faces').select(FACE_COLUMNS).where('id', 'in', part).execute()).map(toFace));
    }
    return out.sort((a, b) => a.id - b.id);
  }

  async facesOfPeople(personIds: number[]): Promise<FaceRow[]> {
    const out: FaceRow[] = [];
    for (const part of chunks([...new Set(personIds)])) {
      out.push(...(await this.db.selectFrom('faces').select(FACE_COLUMNS).where('person_id', 'in', part).orderBy('id').execute()).map(toFace));
    }
    return out;
  }

  /**
   * The given faces, every face of the people they belong to, and what each of those faces was said not to be: all
   * clustering reads about a neighbourhood, in one round trip per slice of ids instead of three.
   */
  async neighbourhood(ids: number[]): Promise<{ faces: FaceRow[]; rejections: Map<number, Set<number>> }> {
    const faces = new Map<number, FaceRow>();
    const rejections = new Map<number, Set<number>>();
    for (const part of chunks([...new Set(ids)])) {
      // Written as SQL, not built: kysely's builder spent more CPU on this query's id list than the database did.
      const { rows } = await sql<SelectedFace & { rejected: number | null }>`
        with near as (select id, person_id from faces where id in (${sql.join(part)}))
        select f.id, f.image_id, f.person_id, f.box_x, f.box_y, f.box_width, f.box_height, f.score, f.pinned, r.person_id as rejected
        from faces f left join face_rejections r on r.face_id = f.id
        where f.id in (select id from near) or f.person_id in (select person_id from near)`.execute(this.db);
      for (const row of rows) {
        if (!faces.has(row.id)) faces.set(row.id, toFace(row));
        if (row.rejected === null) continue;
        const set = rejections.get(row.id) ?? new Set<number>();
        set.add(Number(row.rejected));
        rejections.set(row.id, set);
      }
    }
    return { faces: [...faces.values()].sort((a, b) => a.id - b.id), rejections };
  }

  async unassignedFaces(limit: number): Promise<FaceRow[]> {
    return (await this.db.selectFrom('faces').select(FACE_COLUMNS).where('person_id', 'is', null).orderBy('id').limit(limit).execute()).map(toFace);
  }

  async allFaceIds(): Promise<number[]> {
    return (await this.db.selectFrom('faces').select('id').orderBy('id').execute()).map((r) => r.id);
  }

  async counts(): Promise<{ faces: number; unassigned: number; people: number }> {
    const [faces, unassigned, people] = await Promise.all([
      this.db.selectFrom('faces').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
      this.db.selectFrom('faces').select(sql<number>`count(*)`.as('n')).where('person_id', 'is', null).executeTakeFirstOrThrow(),
      this.db.selectFrom('people').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { faces: Number(faces.n), unassigned: Number(unassigned.n), people: Number(people.n) };
  }

  async thumbnails(ids: number[]): Promise<Map<number, Uint8Array>> {
    const out = new Map<number, Uint8Array>();
    for (const part of chunks([...new Set(ids)])) {
      for (const row of await this.db.selectFrom('faces').select(['id', 'thumbnail']).where('id', 'in', part).execute()) {
        if (row.thumbnail) out.set(row.id, row.thumbnail);
      }
    }
    return out;
  }

  /** Photo paths of faces, for listings that name the photo. */
  async photoPaths(imageIds: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (const part of chunks([...new Set(imageIds)])) {
      for (const row of await this.db.selectFrom('images').select(['id', 'path']).where('id', 'in', part).execute()) out.set(row.id, row.path);
    }
    return out;
  }

  // ------------------------------------------------------------ people

  async people(ids?: number[]): Promise<PersonRow[]> {
    let query = this.db.selectFrom('people').select(['id', 'name', 'hidden', 'cover_face_id', 'created_at']).orderBy('id');
    if (ids) {
      if (ids.length === 0) return [];
      query = query.where('id', 'in', ids);
    }
    return (await query.execute()).map(toPerson);
  }

  async person(id: number): Promise<PersonRow | undefined> {
    return (await this.people([id]))[0];
  }

  async personByName(name: string): Promise<PersonRow | undefined> {
    const rows = await this.db.selectFrom('people').select(['id', 'name', 'hidden', 'cover_face_id', 'created_at']).where(sql`lower(name)`, '=', name.toLowerCase()).orderBy('id').execute();
    return rows.map(toPerson)[0];
  }

  /** Per person: how many faces, in how many photos, and its most confident face (a cover when none was chosen). */
  async personStats(): Promise<Map<number, { faces: number; photos: number; bestFaceId: number }>> {
    const rows = await this.db
      .selectFrom('faces')
      .select(['person_id', sql<number>`count(*)`.as('n'), sql<number>`count(distinct image_id)`.as('photos')])
      .where('person_id', 'is not', null)
      .groupBy('person_id')
      .execute();
    const best = await this.db
      .selectFrom('faces as f')
      .select(['f.person_id', sql<number>`min(f.id)`.as('id')])
      .where('f.person_id', 'is not', null)
      .where((eb) =>
        eb('f.score', '=', eb.selectFrom('faces as g').select(sql<number>`max(g.score)`.as('m')).whereRef('g.person_id', '=', 'f.person_id')),
      )
      .groupBy('f.person_id')
      .execute();
    const bestOf = new Map(best.map((r) => [Number(r.person_id), Number(r.id)]));
    return new Map(rows.map((r) => [Number(r.person_id), { faces: Number(r.n), photos: Number(r.photos), bestFaceId: bestOf.get(Number(r.person_id)) ?? 0 }]));
  }

  async createPerson(name: string | null = null): Promise<number> {
    const row = await this.db
      .insertInto('people')
      .values({ name, hidden: 0, created_at: new Date().toISOString(), cover_face_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async updatePerson(id: number, changes: { name?: string | null; hidden?: boolean; coverFaceId?: number | null }): Promise<void> {
    const values: Partial<Pick<PersonRowTable, 'name' | 'hidden' | 'cover_face_id'>> = {};
    if (changes.name !== undefined) values.name = changes.name;
    if (changes.hidden !== undefined) values.hidden = changes.hidden ? 1 : 0;
    if (changes.coverFaceId !== undefined) values.cover_face_id = changes.coverFaceId;
    if (Object.keys(values).length > 0) await this.db.updateTable('people').set(values).where('id', '=', id).execute();
  }

  async deletePeople(ids: number[]): Promise<void> {
    for (const part of chunks(ids)) {
      await this.db.updateTable('faces').set({ person_id: null }).where('person_id', 'in', part).execute();
      await this.db.deleteFrom('people').where('id', 'in', part).execute();
    }
  }

  /** Moves faces between people in one transaction; `pin` marks the moves as a person's decision. */
  async assign(assignments: Assignment[], pin: boolean): Promise<void> {
    if (assignments.length === 0) return;
    const byPerson = new Map<number | null, number[]>();
    for (const { faceId, personId } of assignments) byPerson.set(personId, [...(byPerson.get(personId) ?? []), faceId]);
    const write = async (db: Kysely<FacesSchema>) => {
      for (const [personId, faceIds] of byPerson) {
        for (const part of chunks(faceIds)) {
          await db
            .updateTable('faces')
            .set(pin ? { person_id: personId, pinned: personId === null ? 0 : 1 } : { person_id: personId })
            .where('id', 'in', part)
            .execute();
        }
      }
    };
    // One statement is atomic on its own: the usual clustering write (a new face joining a person) skips the
    // transaction's two extra round trips.
    if (byPerson.size === 1 && assignments.length <= ID_CHUNK) await write(this.db);
    else await this.db.transaction().execute(write);
  }

  async pinFacesOf(personIds: number[]): Promise<void> {
    for (const part of chunks(personIds)) await this.db.updateTable('faces').set({ pinned: 1 }).where('person_id', 'in', part).execute();
  }

  async reject(faceIds: number[], personId: number): Promise<void> {
    const now = new Date().toISOString();
    for (const part of chunks(faceIds)) {
      await this.db
        .insertInto('face_rejections')
        .values(part.map((faceId) => ({ face_id: faceId, person_id: personId, created_at: now })))
        .onConflict((c) => c.columns(['face_id', 'person_id']).doNothing())
        .execute();
    }
  }

  /** For each face, the people it was said not to be. */
  async rejections(faceIds: number[]): Promise<Map<number, Set<number>>> {
    const out = new Map<number, Set<number>>();
    for (const part of chunks([...new Set(faceIds)])) {
      for (const row of await this.db.selectFrom('face_rejections').select(['face_id', 'person_id']).where('face_id', 'in', part).execute()) {
        const set = out.get(row.face_id) ?? new Set<number>();
        set.add(row.person_id);
        out.set(row.face_id, set);
      }
    }
    return out;
  }

  async rejectedFrom(personId: number): Promise<Set<number>> {
    const rows = await this.db.selectFrom('face_rejections').select('face_id').where('person_id', '=', personId).execute();
    return new Set(rows.map((r) => r.face_id));
  }

  /** Rejections of `from` people become rejections of `into` (after a merge). */
  async moveRejections(from: number[], into: number): Promise<void> {
    for (const personId of from) {
      const faces = [...(await this.rejectedFrom(personId))];
      if (faces.length > 0) await this.reject(faces, into);
    }
  }

  /** Photos in which every one of the given people appears (people listed together means "together"). */
  async photosWithPeople(personIds: number[]): Promise<Set<number>> {
    const wanted = [...new Set(personIds)];
    if (wanted.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('faces')
      .select('image_id')
      .where('person_id', 'in', wanted)
      .groupBy('image_id')
      .having(sql<number>`count(distinct person_id)`, '=', wanted.length)
      .execute();
    return new Set(rows.map((r) => r.image_id));
  }

  /**
   * Unnamed, visible people with no face left: leftovers of clustering, with nothing a person decided about them.
   * `among` limits the check to people whose faces just changed.
   */
  async deleteEmptyMachinePeople(among?: number[]): Promise<void> {
    if (among?.length === 0) return;
    let query = this.db.deleteFrom('people');
    if (among) query = query.where('id', 'in', among.slice(0, ID_CHUNK));
    await query
      .where('name', 'is', null)
      .where('hidden', '=', 0)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('faces').select('faces.id').whereRef('faces.person_id', '=', 'people.id'))))
      .execute();
  }

  /** Clears machine guesses (unpinned assignments) so clustering starts over; decisions stay. */
  async clearMachineAssignments(): Promise<void> {
    await this.db.updateTable('faces').set({ person_id: null }).where('pinned', '=', 0).execute();
    await this.deleteEmptyMachinePeople();
  }

  /** Forgets every face, person and decision (privacy). */
  async forgetAll(): Promise<{ faces: number; people: number }> {
    const before = await this.counts();
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('face_rejections').execute();
      await trx.deleteFrom('faces').execute();
      await trx.deleteFrom('people').execute();
    });
    return { faces: before.faces, people: before.people };
  }
}
