// Groups faces into people as photos arrive, without re-reading every face: each batch of new faces re-clusters
// only its neighbourhood (the people its nearest faces belong to, taken apart into faces when small) with
// constrained average linkage, so the result matches clustering everything at once instead of arrival order.
import type { FaceRow, FaceStore } from '../store/faces-store';
import { clusterUnits, SAME_PERSON_LINKAGE, type ClusterUnit } from './average-linkage';

/** The faces collection of the vector store: unit-length descriptors by face id. */
export interface FaceVectors {
  getMany(faceIds: number[]): Promise<Map<number, Float32Array>>;
  nearest(vector: Float32Array, k: number): Promise<Array<{ id: number; similarity: number }>>;
}

export type ClusterStore = Pick<FaceStore, 'neighbourhood' | 'assign' | 'createPerson' | 'deleteEmptyMachinePeople' | 'allFaceIds' | 'clearMachineAssignments'>;

export interface ClustererOptions {
  threshold?: number;
  /** Nearest faces looked at per new face. */
  neighbours?: number;
  /** Faces less similar than this to a new face do not pull their person into the neighbourhood. */
  neighbourSimilarity?: number;
  /** People with more faces than this stay whole (one unit) when re-clustered: they are settled. */
  atomiseAtMost?: number;
}

/** Nearest faces a new face looks at: the faces index's search beam is this wide too, no wider. */
export const CLUSTER_NEIGHBOURS = 24;
const DEFAULTS: Required<ClustererOptions> = { threshold: SAME_PERSON_LINKAGE, neighbours: CLUSTER_NEIGHBOURS, neighbourSimilarity: 0.4, atomiseAtMost: 40 };
/** Faces per clustering batch during a rebuild. */
const REBUILD_BATCH = 200;

export class PeopleClusterer {
  private readonly options: Required<ClustererOptions>;
  /** One clustering at a time: concurrent photos would otherwise re-cluster overlapping neighbourhoods. */
  private running: Promise<unknown> = Promise.resolve();
  /** Descriptor sums of settled people, with the face count they were computed for. */
  private readonly sums = new Map<number, { count: number; sum: Float32Array }>();

  constructor(
    private readonly store: ClusterStore,
    private readonly vectors: FaceVectors,
    options: ClustererOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  get threshold(): number {
    return this.options.threshold;
  }

  /** Places new (or re-detected) faces among people; returns the ids of people whose faces changed. */
  addFaces(faceIds: number[]): Promise<Set<number>> {
    const next = this.running.then(() => this.cluster(faceIds));
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Starts over from the decisions alone: every machine guess is dropped and every face clustered again. */
  rebuild(): Promise<Set<number>> {
    const next = this.running.then(async () => {
      await this.store.clearMachineAssignments();
      this.sums.clear();
      const changed = new Set<number>();
      const ids = await this.store.allFaceIds();
      for (let i = 0; i < ids.length; i += REBUILD_BATCH) {
        for (const id of await this.cluster(ids.slice(i, i + REBUILD_BATCH))) changed.add(id);
      }
      return changed;
    });
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Forgets cached sums, after people were changed by hand. */
  forget(personIds?: Iterable<number>): void {
    if (!personIds) this.sums.clear();
    else for (const id of personIds) this.sums.delete(id);
  }

  private async cluster(faceIds: number[]): Promise<Set<number>> {
    const { neighbours, neighbourSimilarity, atomiseAtMost, threshold } = this.options;
    const freshVectors = await this.vectors.getMany(faceIds);
    const nearIds = new Set<number>(faceIds);
    for (const vector of freshVectors.values()) {
      for (const match of await this.vectors.nearest(vector, neighbours)) if (match.similarity >= neighbourSimilarity) nearIds.add(match.id);
    }
    // One read for the new faces, their neighbours, every face of the people among them, and their rejections.
    const { faces: rows, rejections } = await this.store.neighbourhood([...nearIds]);
    const wanted = new Set(faceIds);
    if (!rows.some((f) => wanted.has(f.id))) return new Set();
    const byPerson = new Map<number, FaceRow[]>();
    for (const face of rows) {
      if (face.personId === null) continue;
      const list = byPerson.get(face.personId);
      if (list) list.push(face);
      else byPerson.set(face.personId, [face]);
    }

    const all = new Map<number, FaceRow>(rows.map((f) => [f.id, f]));
    const whole: number[] = [];
    const groups: FaceRow[][] = [];
    for (const [personId, faces] of byPerson) {
      if (faces.length > atomiseAtMost) whole.push(personId);
      else {
        const pinned = faces.filter((f) => f.pinned);
        if (pinned.length > 0) groups.push(pinned);
        for (const f of faces) if (!f.pinned) groups.push([f]);
      }
    }
    for (const face of all.values()) if (face.personId === null) groups.push([face]);

    // The new faces' vectors were read above; only the other loose faces are read now.
    const looseIds = groups.flat().map((f) => f.id).filter((id) => !freshVectors.has(id));
    const others = await this.vectors.getMany(looseIds);
    const vectors = new Map([...freshVectors, ...others]);
    const dimensions = freshVectors.values().next().value?.length ?? 1024;
    const units: ClusterUnit[] = [];
    for (const faces of groups) {
      const present = faces.filter((f) => vectors.has(f.id));
      if (present.length === 0) continue;
      // A lone face's sum is its descriptor: shared, not copied (merges build new sums and never write into one).
      const sum = present.length === 1 ? (vectors.get(present[0].id) as Float32Array) : new Float32Array(dimensions);
      if (present.length > 1) {
        for (const f of present) {
          const v = vectors.get(f.id) as Float32Array;
          for (let i = 0; i < dimensions; i++) sum[i] += v[i];
        }
      }
      units.push({
        faceIds: present.map((f) => f.id),
        sum,
        photos: new Set(present.map((f) => f.imageId)),
        anchor: present[0].pinned ? present[0].personId : null,
        rejected: new Set(present.flatMap((f) => [...(rejections.get(f.id) ?? [])])),
      });
    }
    for (const personId of whole) {
      const faces = byPerson.get(personId) as FaceRow[];
      units.push({
        faceIds: faces.map((f) => f.id),
        sum: await this.sumOf(personId, faces, dimensions),
        photos: new Set(faces.map((f) => f.imageId)),
        anchor: personId,
        rejected: new Set(faces.flatMap((f) => [...(rejections.get(f.id) ?? [])])),
      });
    }

    const clusters = clusterUnits(units, threshold);
    return this.apply(clusters, all);
  }

  private async sumOf(personId: number, faces: FaceRow[], dimensions: number): Promise<Float32Array> {
    const cached = this.sums.get(personId);
    if (cached && cached.count === faces.length) return cached.sum;
    const sum = new Float32Array(dimensions);
    for (const v of (await this.vectors.getMany(faces.map((f) => f.id))).values()) for (let i = 0; i < dimensions; i++) sum[i] += v[i];
    this.sums.set(personId, { count: faces.length, sum });
    return sum;
  }

  /** Gives each cluster a person: its anchor, else the person most of its faces had, else a new one (two faces or more). */
  private async apply(clusters: ClusterUnit[], before: Map<number, FaceRow>): Promise<Set<number>> {
    const claimed = new Set<number>();
    for (const c of clusters) if (c.anchor !== null) claimed.add(c.anchor);
    const ordered = [...clusters].sort((a, b) => b.faceIds.length - a.faceIds.length || a.faceIds[0] - b.faceIds[0]);
    const changes: Array<{ faceId: number; personId: number | null }> = [];
    const changed = new Set<number>();
    /** People that lost a face: the only ones this run can leave empty. */
    const left = new Set<number>();
    for (const cluster of ordered) {
      let target = cluster.anchor;
      if (target === null) {
        const votes = new Map<number, number>();
        for (const id of cluster.faceIds) {
          const prior = before.get(id)?.personId ?? null;
          if (prior !== null && !claimed.has(prior) && !cluster.rejected.has(prior)) votes.set(prior, (votes.get(prior) ?? 0) + 1);
        }
        const best = [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
        if (best) target = best[0];
        else if (cluster.faceIds.length >= 2) target = await this.store.createPerson();
        if (target !== null) claimed.add(target);
      }
      for (const id of cluster.faceIds) {
        const prior = before.get(id)?.personId ?? null;
        if (prior === target) continue;
        changes.push({ faceId: id, personId: target });
        if (prior !== null) {
          changed.add(prior);
          left.add(prior);
        }
        if (target !== null) changed.add(target);
      }
    }
    await this.store.assign(changes, false);
    if (left.size > 0) await this.store.deleteEmptyMachinePeople(left.size <= 500 ? [...left] : undefined);
    this.forget(changed);
    return changed;
  }
}
