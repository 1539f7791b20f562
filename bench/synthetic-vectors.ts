// Seeded clustered unit vectors shaped like image embeddings, so benchmarks and index tests are repeatable
// without a model: real photo libraries cluster (trips, pets, documents), which is what makes ANN recall hard.

/** mulberry32: a tiny seedable PRNG, so the same seed gives the same library on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function normalizeInPlace(vector: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i] * vector[i];
  const inverse = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i] *= inverse;
  return vector;
}

export interface ClusteredSpace {
  dimensions: number;
  /** A unit vector near one of the cluster centres; `spread` is the per-axis noise (0.035 ≈ cosine 0.7 to its centre at 768-d). */
  sample(spread?: number): Float32Array;
  /** A vector close to `base` (cosine ≈ 1 − jitter²·d/2), like a crop of the same photo or a re-encoded copy. */
  near(base: Float32Array, jitter: number): Float32Array;
}

export function clusteredSpace(dimensions: number, clusters: number, seed: number): ClusteredSpace {
  const random = seededRandom(seed);
  const centres: Float32Array[] = [];
  for (let c = 0; c < clusters; c++) {
    const centre = new Float32Array(dimensions);
    for (let i = 0; i < dimensions; i++) centre[i] = gaussian(random);
    centres.push(normalizeInPlace(centre));
  }
  const defaultSpread = 1 / Math.sqrt(dimensions);
  // Per-axis noise is uniform with the wanted standard deviation: in hundreds of dimensions it behaves like
  // Gaussian noise, and it is several times cheaper to draw for a million photos × 6 vectors.
  const noisy = (base: Float32Array, deviation: number) => {
    const width = 2 * Math.sqrt(3) * deviation;
    const vector = new Float32Array(dimensions);
    for (let i = 0; i < dimensions; i++) vector[i] = base[i] + width * (random() - 0.5);
    return normalizeInPlace(vector);
  };
  return {
    dimensions,
    sample: (spread = defaultSpread) => noisy(centres[Math.floor(random() * clusters)], spread),
    near: (base, jitter) => noisy(base, jitter),
  };
}
