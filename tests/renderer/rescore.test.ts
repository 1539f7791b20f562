// The relevance slider's arithmetic: re-scoring at another temperature must equal what the engine would have
// computed, sigmoid(t·logit), and the cut-off must drop exactly the hits below it.
import { describe, expect, it } from 'vitest';
import { rescoreHits } from '../../src-renderer/search/rescore';
import { hit, photo } from './scripted-client';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('rescoreHits', () => {
  const logits = [2, 0.5, -1, -3];
  const hits = logits.map((logit, i) => hit(photo(i + 1, null), sigmoid(logit)));

  it('reproduces the calibrated score at a new temperature from the engine’s logit', () => {
    const doubled = rescoreHits(hits, 1, 2, 0);
    expect(doubled.map((h) => h.calibrated)).toEqual(logits.map((logit) => expect.closeTo(sigmoid(2 * logit), 9)));
    const back = rescoreHits(doubled, 2, 1, 0);
    expect(back.map((h) => h.score)).toEqual(logits.map((logit) => expect.closeTo(sigmoid(logit), 9)));
  });

  it('keeps the ranking order and drops hits below the cut-off', () => {
    const shown = rescoreHits(hits, 1, 1, 0.3);
    expect(shown.map((h) => h.photo.id)).toEqual([1, 2]);
    // A softer temperature pulls scores toward 0.5, so the third photo clears the same cut-off.
    expect(rescoreHits(hits, 1, 0.5, 0.3).map((h) => h.photo.id)).toEqual([1, 2, 3]);
  });

  it('leaves the global/local parts untouched', () => {
    const [first] = rescoreHits(hits, 1, 3, 0);
    expect(first.global).toBe(hits[0].global);
    expect(first.local).toBe(hits[0].local);
    expect(first.final).toBe(hits[0].final);
  });
});
