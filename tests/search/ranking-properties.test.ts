// Properties of the scoring arithmetic that must hold for every input, not just the cases someone thought of.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyCutoff, calibrate, resolveRanking } from '../../src-main/search/ranking';
import { connectedGroups } from '../../src-main/search/near-duplicates';

const calibration = fc.record({ logitScale: fc.double({ min: 0.1, max: 200, noNaN: true }), logitBias: fc.double({ min: -20, max: 20, noNaN: true }) });
const temperature = fc.double({ min: 0.05, max: 10, noNaN: true });
const cosine = fc.double({ min: -1, max: 1, noNaN: true });

describe('ranking properties', () => {
  it('a higher final score never gets a lower calibrated probability', () => {
    fc.assert(
      fc.property(calibration, temperature, cosine, cosine, (cal, t, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(calibrate(high, cal, t)).toBeGreaterThanOrEqual(calibrate(low, cal, t));
      }),
    );
  });

  it('the cut-off never returns a hit below it, keeps the order, and keeps every hit above it up to the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true })), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 20 }), (scores, cutoff, limit) => {
        const ranked = scores.sort((x, y) => y - x).map((calibrated, id) => ({ id, calibrated }));
        const kept = applyCutoff(ranked, cutoff, limit);
        expect(kept.every((hit) => hit.calibrated >= cutoff)).toBe(true);
        expect(kept).toEqual(ranked.filter((hit) => hit.calibrated >= cutoff).slice(0, limit));
      }),
    );
  });

  it('weights are scaled to sum to 1 so the final score stays on the cosine scale', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0.001, max: 100, noNaN: true }), (g, l) => {
        const ranking = resolveRanking({ globalWeight: g, localWeight: l });
        expect(ranking.globalWeight + ranking.localWeight).toBeCloseTo(1, 12);
        expect(ranking.globalWeight / ranking.localWeight).toBeCloseTo(g / l, 6);
      }),
    );
  });

  it('groups photos linked directly or through a chain, and nothing else', () => {
    expect(connectedGroups([{ a: 1, b: 2 }, { a: 3, b: 2 }, { a: 7, b: 9 }, { a: 4, b: 4 }])).toEqual([[1, 2, 3], [7, 9]]);
    fc.assert(
      fc.property(fc.array(fc.record({ a: fc.integer({ min: 1, max: 30 }), b: fc.integer({ min: 1, max: 30 }) })), (links) => {
        const groups = connectedGroups(links);
        const groupOf = new Map(groups.flatMap((group, g) => group.map((id) => [id, g] as const)));
        for (const { a, b } of links) if (a !== b) expect(groupOf.get(a)).toBe(groupOf.get(b));
        expect(new Set(groups.flat()).size).toBe(groups.flat().length);
      }),
    );
  });
});
