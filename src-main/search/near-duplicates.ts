// Near-duplicates (re-encoded copies, resized exports, burst shots) are photos whose global vectors nearly
// coincide: link every photo to its close neighbours above a threshold and take the connected groups.
import type { VectorStore } from '../store/vectors/vector-store';
import { SearchError } from './search-error';
import { dot } from './similarity';

export const DEFAULT_NEAR_DUPLICATE_THRESHOLD = 0.95;
/** Neighbours looked at per photo; a group larger than this still forms through chains of links. */
const NEIGHBOURS_PER_PHOTO = 10;

export interface SimilarityLink {
  a: number;
  b: number;
}

export interface NearDuplicateGroup {
  /** Member ids, ascending. */
  ids: number[];
  /** The smallest cosine similarity between any two members. */
  similarity: number;
}

export function assertThreshold(threshold: number): void {
  if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 1) {
    throw new SearchError('INVALID_INPUT', `threshold must be a cosine similarity in (0, 1], got ${String(threshold)}`, 'threshold');
  }
}

/** Connected components (union–find) of the links, as sorted id lists of two or more members. */
export function connectedGroups(links: Iterable<SimilarityLink>): number[][] {
  const parent = new Map<number, number>();
  const root = (id: number): number => {
    let node = id;
    while (parent.get(node)! !== node) {
      const grand = parent.get(parent.get(node)!)!;
      parent.set(node, grand);
      node = grand;
    }
    return node;
  };
  for (const { a, b } of links) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = root(a);
    const rb = root(b);
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  const groups = new Map<number, number[]>();
  for (const id of parent.keys()) {
    const r = root(id);
    const group = groups.get(r);
    if (group) group.push(id);
    else groups.set(r, [id]);
  }
  return [...groups.values()].filter((group) => group.length > 1).map((group) => group.sort((x, y) => x - y));
}

export function minPairwiseSimilarity(vectors: Float32Array[]): number {
  let smallest = 1;
  for (let i = 0; i < vectors.length; i++) {
    for (let j = i + 1; j < vectors.length; j++) smallest = Math.min(smallest, dot(vectors[i], vectors[j]));
  }
  return smallest;
}

/** Walks the whole library a page at a time, asking the index for each photo's nearest neighbours. */
export async function findNearDuplicateGroups(vectors: VectorStore, threshold: number): Promise<NearDuplicateGroup[]> {
  assertThreshold(threshold);
  const links: SimilarityLink[] = [];
  for await (const page of vectors.scanGlobals(1024)) {
    const neighbours = await vectors.searchMany(
      page.map((entry) => entry.vector),
      NEIGHBOURS_PER_PHOTO + 1,
    );
    page.forEach((entry, i) => {
      for (const match of neighbours[i]) {
        if (match.id !== entry.id && match.similarity >= threshold) links.push({ a: entry.id, b: match.id });
      }
    });
  }
  const groups: NearDuplicateGroup[] = [];
  for (const ids of connectedGroups(links)) {
    const stored = await vectors.getMany(ids);
    const present = ids.filter((id) => stored.has(id));
    if (present.length < 2) continue;
    groups.push({ ids: present, similarity: minPairwiseSimilarity(present.map((id) => stored.get(id)!.global)) });
  }
  return groups.sort((x, y) => y.similarity - x.similarity || x.ids[0] - y.ids[0]);
}
