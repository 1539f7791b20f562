// Constrained average-linkage clustering of face descriptors (cosine on unit vectors), the method measured best on
// real photos (NOTES.md). Works on units — single faces or groups that must stay together — so the incremental
// clusterer can re-cluster a neighbourhood with whole people as units; pure, so it is tested without a model.
import usearch from 'usearch';

export interface ClusterUnit {
  /** Face ids in the unit; the smallest orders units, so the result never depends on input order. */
  faceIds: number[];
  /** Sum of the unit's unit-length descriptors: mean pairwise cosine between units is a dot of sums over sizes. */
  sum: Float32Array;
  /** Photos its faces are in: two faces of one photo are never one person. */
  photos: ReadonlySet<number>;
  /** The person whose pinned faces this unit carries; two units with different anchors never merge. */
  anchor: number | null;
  /** People its faces were said not to be: it never joins a unit anchored to one of them. */
  rejected: ReadonlySet<number>;
}

/**
 * Measured on the fixture photos (tests/people): precision 1.0 and recall ≥ 0.92 from 0.50 to 0.58; on a larger set
 * of 61 photos (NOTES.md) 0.55 gave 0.951 / 0.947 and 0.57–0.58 0.978 / 0.878. 0.56 sits between the two plateaus.
 */
export const SAME_PERSON_LINKAGE = 0.56;

/** Four running sums break the add chain's latency. */
export function dot(a: Float32Array, b: Float32Array): number {
  const n = a.length;
  const tail = n - (n % 4);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < tail; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (let i = tail; i < n; i++) s0 += a[i] * b[i];
  return s0 + s1 + (s2 + s3);
}

/**
 * Every pairwise dot product of the units' sums, row-major. usearch's SIMD exact search does the hundreds of
 * 1024-d products of a taken-apart person ~3× faster in CPU time than a JavaScript loop (bench/faces.ts clustering).
 */
function dotMatrix(units: ClusterUnit[]): Float64Array {
  const n = units.length;
  const dimensions = units[0].sum.length;
  const packed = new Float32Array(n * dimensions);
  units.forEach((u, i) => packed.set(u.sum, i * dimensions));
  const matches = usearch.exactSearch(packed, packed, dimensions, n, usearch.MetricKind.IP, 1);
  const out = new Float64Array(n * n);
  // One query gives a single Matches, more a BatchMatches; both hold n answers per query, in query order.
  const { keys, distances } = matches as { keys: BigUint64Array; distances: Float32Array };
  for (let q = 0; q < n; q++) {
    for (let r = 0; r < n; r++) out[q * n + Number(keys[q * n + r])] = 1 - distances[q * n + r];
  }
  return out;
}

/** What the rules look at; merging carries only this, the sums are added up once at the end. */
type UnitRules = Omit<ClusterUnit, 'sum'>;

function conflicts(a: UnitRules, b: UnitRules): boolean {
  if (a.anchor !== null && b.anchor !== null && a.anchor !== b.anchor) return true;
  if (a.anchor !== null && b.rejected.has(a.anchor)) return true;
  if (b.anchor !== null && a.rejected.has(b.anchor)) return true;
  const [small, large] = a.photos.size <= b.photos.size ? [a.photos, b.photos] : [b.photos, a.photos];
  for (const photo of small) if (large.has(photo)) return true;
  return false;
}

function mergeRules(a: UnitRules, b: UnitRules): UnitRules {
  return {
    faceIds: [...a.faceIds, ...b.faceIds].sort((x, y) => x - y),
    photos: new Set([...a.photos, ...b.photos]),
    anchor: a.anchor ?? b.anchor,
    rejected: new Set([...a.rejected, ...b.rejected]),
  };
}

/**
 * Merges the closest pair of units while their average linkage is at least `threshold` and no rule forbids it.
 * Linkages are updated with the Lance–Williams formula for average linkage, so each step costs O(units).
 */
export function clusterUnits(input: ClusterUnit[], threshold = SAME_PERSON_LINKAGE): ClusterUnit[] {
  const units = [...input].sort((a, b) => Math.min(...a.faceIds) - Math.min(...b.faceIds));
  const n = units.length;
  const size = units.map((u) => u.faceIds.length);
  const alive = units.map(() => true);
  const rules: UnitRules[] = [...units];
  /** The input units each slot holds: the linkages need no sums after the first matrix. */
  const members = units.map((u) => [u]);
  const link = new Float64Array(n * n).fill(-Infinity);
  const dots = n > 1 ? dotMatrix(units) : new Float64Array(0);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (conflicts(units[i], units[j])) continue;
      const value = dots[i * n + j] / (size[i] * size[j]);
      link[i * n + j] = value;
      link[j * n + i] = value;
    }
  }
  for (;;) {
    let best = -Infinity;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < n; i++) {
      if (!alive[i]) continue;
      for (let j = i + 1; j < n; j++) {
        if (alive[j] && link[i * n + j] > best) {
          best = link[i * n + j];
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0 || best < threshold) break;
    const merged = mergeRules(rules[bi], rules[bj]);
    for (let k = 0; k < n; k++) {
      if (!alive[k] || k === bi || k === bj) continue;
      const a = link[bi * n + k];
      const b = link[bj * n + k];
      const value = a === -Infinity || b === -Infinity || conflicts(merged, rules[k]) ? -Infinity : (size[bi] * a + size[bj] * b) / (size[bi] + size[bj]);
      link[bi * n + k] = value;
      link[k * n + bi] = value;
    }
    rules[bi] = merged;
    members[bi].push(...members[bj]);
    size[bi] += size[bj];
    alive[bj] = false;
  }
  const out: ClusterUnit[] = [];
  for (let i = 0; i < n; i++) {
    if (!alive[i]) continue;
    if (members[i].length === 1) {
      out.push(units[i]);
      continue;
    }
    const sum = new Float32Array(units[i].sum.length);
    for (const member of members[i]) for (let d = 0; d < sum.length; d++) sum[d] += member.sum[d];
    out.push({ ...rules[i], sum });
  }
  return out;
}
