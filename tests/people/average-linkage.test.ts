// The clustering rules on hand-made descriptors, without a model: average linkage merges what is close, never two
// faces of one photo, never two people's pinned faces, never a face into a person it was rejected from, and the
// answer does not depend on the order the faces are given in.
import { describe, expect, it } from 'vitest';
import { clusterUnits, type ClusterUnit } from '../../src-main/people/average-linkage';
import { bcubed } from '../../src-main/people/bcubed';

/** A unit vector mostly along `axis`, tilted a little towards `tilt` (so faces of one person are close, not equal). */
function face(axis: number, tilt: number, amount = 0.25): Float32Array {
  const v = new Float32Array(8);
  v[axis] = 1;
  v[tilt] += amount;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function unit(id: number, vector: Float32Array, photo: number, extra: Partial<ClusterUnit> = {}): ClusterUnit {
  return { faceIds: [id], sum: vector, photos: new Set([photo]), anchor: null, rejected: new Set(), ...extra };
}

const groups = (units: ClusterUnit[]) => units.map((u) => u.faceIds.join(',')).sort();

describe('constrained average linkage', () => {
  it('groups faces of one person and keeps different people apart', () => {
    const units = [unit(1, face(0, 1), 1), unit(2, face(0, 2), 2), unit(3, face(0, 3), 3), unit(4, face(4, 5), 4), unit(5, face(4, 6), 5)];
    expect(groups(clusterUnits(units))).toEqual(['1,2,3', '4,5']);
  });

  it('never merges two faces of one photo, even when they look alike', () => {
    const units = [unit(1, face(0, 1), 7), unit(2, face(0, 2), 7)];
    expect(groups(clusterUnits(units))).toEqual(['1', '2']);
  });

  it('never merges two people’s pinned faces, and keeps a rejected face out of that person', () => {
    const anchorA = unit(1, face(0, 1), 1, { anchor: 10 });
    const anchorB = unit(2, face(0, 2), 2, { anchor: 11 });
    const rejected = unit(3, face(0, 3), 3, { rejected: new Set([10, 11]) });
    expect(groups(clusterUnits([anchorA, anchorB, rejected]))).toEqual(['1', '2', '3']);
  });

  it('gives the same groups whatever the order of its input', () => {
    const units = Array.from({ length: 12 }, (_, i) => unit(i + 1, face(i % 3, 3 + (i % 5), 0.2 + (i % 4) * 0.05), i + 1));
    const expected = groups(clusterUnits(units));
    for (let shift = 1; shift < 6; shift++) {
      const reordered = [...units.slice(shift), ...units.slice(0, shift)].reverse();
      expect(groups(clusterUnits(reordered))).toEqual(expected);
    }
    expect(expected).toHaveLength(3);
  });
});

describe('BCubed', () => {
  it('is 1/1 for a perfect clustering and drops precision when two people share a cluster', () => {
    const labels = new Map([[1, 'a'], [2, 'a'], [3, 'b'], [4, 'b']]);
    expect(bcubed(new Map([[1, 'x'], [2, 'x'], [3, 'y'], [4, 'y']]), labels)).toEqual({ precision: 1, recall: 1 });
    const merged = bcubed(new Map([[1, 'x'], [2, 'x'], [3, 'x'], [4, 'x']]), labels);
    expect(merged.precision).toBe(0.5);
    expect(merged.recall).toBe(1);
  });
});
