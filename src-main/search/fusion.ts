// How deep search merges its two ranked lists (text index, image vectors) into one: weighted reciprocal-rank
// fusion (Cormack et al. 2009, k = 60) or a weighted sum of min–max normalised scores. Pure, so the evaluation
// can run both on the same lists and keep the better.
export type FusionMethod = 'rrf' | 'score-sum';

export interface RankedEntry {
  id: number;
  /** 1-based. */
  rank: number;
  score: number;
}

export interface FusionWeights {
  text: number;
  vector: number;
}

export const RRF_K = 60;
export const DEFAULT_FUSION: FusionMethod = 'rrf';
export const DEFAULT_FUSION_WEIGHTS: FusionWeights = { text: 1, vector: 1 };

export interface FusedEntry {
  id: number;
  score: number;
}

function normalised(list: RankedEntry[]): Map<number, number> {
  const scores = list.map((e) => e.score);
  const min = Math.min(...scores);
  const max = Math.max(...scores);
  return new Map(list.map((e) => [e.id, max > min ? (e.score - min) / (max - min) : 1]));
}

/** One list, best first; ties keep the vector order, then the text order, then ids (stable results). */
export function fuse(text: RankedEntry[], vector: RankedEntry[], method: FusionMethod, weights: FusionWeights = DEFAULT_FUSION_WEIGHTS): FusedEntry[] {
  const scores = new Map<number, number>();
  const add = (id: number, value: number) => scores.set(id, (scores.get(id) ?? 0) + value);
  if (method === 'rrf') {
    for (const e of text) add(e.id, weights.text / (RRF_K + e.rank));
    for (const e of vector) add(e.id, weights.vector / (RRF_K + e.rank));
  } else {
    for (const [id, s] of normalised(text)) add(id, weights.text * s);
    for (const [id, s] of normalised(vector)) add(id, weights.vector * s);
  }
  const vectorRank = new Map(vector.map((e) => [e.id, e.rank]));
  const textRank = new Map(text.map((e) => [e.id, e.rank]));
  const position = (map: Map<number, number>, id: number) => map.get(id) ?? Number.POSITIVE_INFINITY;
  return [...scores]
    .map(([id, score]) => ({ id, score }))
    .sort(
      (a, b) =>
        b.score - a.score ||
        position(vectorRank, a.id) - position(vectorRank, b.id) ||
        position(textRank, a.id) - position(textRank, b.id) ||
        a.id - b.id,
    );
}
