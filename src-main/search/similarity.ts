// Cosine similarity of unit vectors is a dot product; the crop re-rank does a few hundred of these per query.

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** The best match of `query` over a photo's crops: the local score of the re-rank. */
export function maxSimilarity(query: Float32Array, vectors: Float32Array[]): number {
  let best = -Infinity;
  for (const vector of vectors) best = Math.max(best, dot(query, vector));
  return best;
}
