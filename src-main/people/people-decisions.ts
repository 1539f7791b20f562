// What a person decides about people — names, merges, splits, moves, rejections, hiding, covers — recorded as
// pins and rejections that no clustering run overrides, plus the questions asked of the clusters: suggestions
// ("Is this Alice?") and "who is this face?". Works over the faces store and the faces vectors only.
import type { FaceRow, FaceStore } from '../store/faces-store';
import { dot } from './average-linkage';
import type { FaceVectors, PeopleClusterer } from './people-clusterer';

export class PeopleDecisionError extends Error {
  override name = 'PeopleDecisionError';
  constructor(
    message: string,
    readonly kind: 'NOT_FOUND' | 'INVALID_INPUT',
    readonly subject?: string,
  ) {
    super(message);
  }
}

/**
 * Faces this similar (average linkage) to a person are offered as "Is this …?", below the clustering cut so a person
 * confirms what clustering would not decide. Different people measured 0.21–0.65 (p95 0.55, NOTES.md); at 0.42 the
 * fixture photos offered strangers to Obama (0.44, 0.48), so 0.50.
 */
export const SUGGESTION_SIMILARITY = 0.5;
const SUGGESTION_NEIGHBOURS = 200;

export interface Scored<T> {
  item: T;
  similarity: number;
}

export class PeopleDecisions {
  constructor(
    private readonly store: FaceStore,
    private readonly vectors: FaceVectors,
    private readonly clusterer: PeopleClusterer,
  ) {}

  async requirePerson(id: number) {
    const person = await this.store.person(id);
    if (!person) throw new PeopleDecisionError(`There is no person with id ${id}`, 'NOT_FOUND', String(id));
    return person;
  }

  private async requireFaces(ids: number[]): Promise<FaceRow[]> {
    const faces = await this.store.faces(ids);
    const missing = ids.filter((id) => !faces.some((f) => f.id === id));
    if (missing.length > 0) throw new PeopleDecisionError(`There is no face with id ${missing.join(', ')}`, 'NOT_FOUND', String(missing[0]));
    return faces;
  }

  /** Naming a person confirms its faces: they are pinned to it. A name already in use is refused (merge instead). */
  async rename(id: number, name: string | null): Promise<void> {
    await this.requirePerson(id);
    const clean = name === null ? null : name.trim().replace(/\s+/g, ' ');
    if (clean !== null) {
      const other = await this.store.personByName(clean);
      if (other && other.id !== id) {
        throw new PeopleDecisionError(`${clean} is already person ${other.id}: merge the two instead of giving both one name`, 'INVALID_INPUT', 'name');
      }
    }
    await this.store.updatePerson(id, { name: clean === '' ? null : clean });
    await this.store.pinFacesOf([id]);
  }

  async setHidden(id: number, hidden: boolean): Promise<void> {
    await this.requirePerson(id);
    await this.store.updatePerson(id, { hidden });
    await this.store.pinFacesOf([id]);
  }

  async setCover(id: number, faceId: number): Promise<void> {
    await this.requirePerson(id);
    const [face] = await this.requireFaces([faceId]);
    if (face.personId !== id) throw new PeopleDecisionError(`Face ${faceId} is not one of person ${id}'s faces`, 'INVALID_INPUT', String(faceId));
    await this.store.updatePerson(id, { coverFaceId: faceId });
  }

  /** One person from several: the faces of `from` move to `into`, pinned, and so do their rejections. */
  async merge(into: number, from: number[]): Promise<void> {
    const target = await this.requirePerson(into);
    const sources = [...new Set(from)].filter((id) => id !== into);
    if (sources.length === 0) throw new PeopleDecisionError('Name at least one other person to merge into this one', 'INVALID_INPUT', 'from');
    const people = await Promise.all(sources.map((id) => this.requirePerson(id)));
    const faces = await this.store.facesOfPeople(sources);
    await this.store.assign(faces.map((f) => ({ faceId: f.id, personId: into })), true);
    await this.store.pinFacesOf([into]);
    await this.store.moveRejections(sources, into);
    if (!target.name) {
      const named = people.find((p) => p.name);
      if (named) {
        await this.store.updatePerson(named.id, { name: null });
        await this.store.updatePerson(into, { name: named.name });
      }
    }
    await this.store.deletePeople(sources);
    this.clusterer.forget([into, ...sources]);
  }

  /** The chosen faces become a new person; both sides are pinned, so they stay apart. */
  async split(id: number, faceIds: number[]): Promise<number> {
    await this.requirePerson(id);
    const faces = await this.requireFaces(faceIds);
    const foreign = faces.filter((f) => f.personId !== id);
    if (foreign.length > 0) throw new PeopleDecisionError(`Face ${foreign[0].id} is not one of person ${id}'s faces`, 'INVALID_INPUT', String(foreign[0].id));
    await this.store.pinFacesOf([id]);
    const created = await this.store.createPerson();
    await this.store.assign(faces.map((f) => ({ faceId: f.id, personId: created })), true);
    await this.store.reject(faceIds, id);
    this.clusterer.forget([id]);
    return created;
  }

  /**
   * Moves faces to a person (confirming suggestions, fixing a face in the viewer). Two faces of one photo may be
   * the same person only because someone said so here.
   */
  async assign(faceIds: number[], personId: number): Promise<void> {
    await this.requirePerson(personId);
    const faces = await this.requireFaces(faceIds);
    await this.store.assign(faces.map((f) => ({ faceId: f.id, personId })), true);
    this.clusterer.forget([personId, ...faces.flatMap((f) => (f.personId === null ? [] : [f.personId]))]);
    await this.store.deleteEmptyMachinePeople();
  }

  /** "Not this person": the faces leave it, are never offered to it again, and the person's other faces are confirmed. */
  async reject(id: number, faceIds: number[]): Promise<void> {
    await this.requirePerson(id);
    const faces = await this.requireFaces(faceIds);
    await this.store.reject(faceIds, id);
    const leaving = faces.filter((f) => f.personId === id);
    await this.store.assign(leaving.map((f) => ({ faceId: f.id, personId: null })), true);
    await this.store.pinFacesOf([id]);
    this.clusterer.forget([id]);
    // The rejected faces may belong with someone else: let clustering place them again (never back here).
    await this.clusterer.addFaces(leaving.map((f) => f.id));
  }

  /** A person's representation: the sum and count of all its faces' descriptors (not one face). */
  private async representation(personId: number): Promise<{ sum: Float32Array; count: number; faces: FaceRow[] } | null> {
    const faces = await this.store.facesOfPeople([personId]);
    const vectors = await this.vectors.getMany(faces.map((f) => f.id));
    if (vectors.size === 0) return null;
    const dimensions = vectors.values().next().value?.length ?? 1024;
    const sum = new Float32Array(dimensions);
    for (const v of vectors.values()) for (let i = 0; i < dimensions; i++) sum[i] += v[i];
    return { sum, count: vectors.size, faces };
  }

  /**
   * Faces not (yet) this person's that look like it, most similar first: unassigned faces and faces of unnamed
   * groups, never one rejected from it, one pinned elsewhere, or one in a photo where the person already is.
   */
  async suggestions(personId: number, limit: number): Promise<Array<Scored<FaceRow>>> {
    await this.requirePerson(personId);
    const representation = await this.representation(personId);
    if (!representation) return [];
    const { sum, count, faces } = representation;
    const norm = Math.sqrt(dot(sum, sum));
    const direction = sum.map((v) => v / norm);
    const matches = await this.vectors.nearest(direction, SUGGESTION_NEIGHBOURS);
    const candidates = await this.store.faces(matches.map((m) => m.id));
    const [rejected, people] = await Promise.all([this.store.rejectedFrom(personId), this.store.people()]);
    const named = new Set(people.filter((p) => p.name !== null || p.hidden).map((p) => p.id));
    const photos = new Set(faces.map((f) => f.imageId));
    const vectors = await this.vectors.getMany(candidates.map((c) => c.id));
    const out: Array<Scored<FaceRow>> = [];
    for (const face of candidates) {
      if (face.personId === personId || face.pinned || rejected.has(face.id) || photos.has(face.imageId)) continue;
      if (face.personId !== null && named.has(face.personId)) continue;
      const vector = vectors.get(face.id);
      if (!vector) continue;
      const similarity = dot(vector, sum) / count;
      if (similarity >= SUGGESTION_SIMILARITY) out.push({ item: face, similarity });
    }
    return out.sort((a, b) => b.similarity - a.similarity || a.item.id - b.item.id).slice(0, limit);
  }

  /** Who this face may be: people ranked by average similarity to all their faces, and the closest faces elsewhere. */
  async similarToFace(faceId: number, limit: number): Promise<{ people: Array<Scored<number>>; faces: Array<Scored<FaceRow>> }> {
    const [face] = await this.requireFaces([faceId]);
    const vector = (await this.vectors.getMany([faceId])).get(faceId);
    if (!vector) throw new PeopleDecisionError(`Face ${faceId} has no descriptor yet: its photo is still being indexed`, 'NOT_FOUND', String(faceId));
    const matches = (await this.vectors.nearest(vector, limit * 4 + 1)).filter((m) => m.id !== faceId);
    const rows = new Map((await this.store.faces(matches.map((m) => m.id))).map((f) => [f.id, f]));
    const faces = matches
      .map((m) => ({ item: rows.get(m.id), similarity: m.similarity }))
      .filter((s): s is Scored<FaceRow> => s.item !== undefined && s.item.imageId !== face.imageId)
      .slice(0, limit);
    const candidates = [...new Set(faces.flatMap((f) => (f.item.personId === null ? [] : [f.item.personId])))];
    const people: Array<Scored<number>> = [];
    for (const personId of candidates) {
      const representation = await this.representation(personId);
      if (representation) people.push({ item: personId, similarity: dot(vector, representation.sum) / representation.count });
    }
    people.sort((a, b) => b.similarity - a.similarity);
    return { people, faces };
  }

  /** For unnamed groups, the named person they resemble most (average linkage), when close enough to ask. */
  async namedLookalikes(unnamed: number[], named: number[]): Promise<Map<number, Scored<number>>> {
    const out = new Map<number, Scored<number>>();
    if (unnamed.length === 0 || named.length === 0) return out;
    const reps = new Map<number, { sum: Float32Array; count: number }>();
    for (const id of [...unnamed, ...named]) {
      const r = await this.representation(id);
      if (r) reps.set(id, r);
    }
    const rejections = await this.store.rejections((await this.store.facesOfPeople(unnamed)).map((f) => f.id));
    const groupOf = new Map((await this.store.facesOfPeople(unnamed)).map((f) => [f.id, f.personId as number]));
    const refused = new Set([...rejections].flatMap(([faceId, people]) => [...people].map((p) => `${groupOf.get(faceId)}:${p}`)));
    for (const u of unnamed) {
      const a = reps.get(u);
      if (!a) continue;
      let best: Scored<number> | null = null;
      for (const n of named) {
        const b = reps.get(n);
        // A group with a face already said not to be this person is not asked about again.
        if (!b || refused.has(`${u}:${n}`)) continue;
        const similarity = dot(a.sum, b.sum) / (a.count * b.count);
        if (similarity >= SUGGESTION_SIMILARITY && (!best || similarity > best.similarity)) best = { item: n, similarity };
      }
      if (best) out.set(u, best);
    }
    return out;
  }
}
