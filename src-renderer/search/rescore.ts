// The relevance slider re-ranks live without asking the engine again: the calibrated score is
// sigmoid(t · (scale·final + bias)), so changing t only rescales the logit the engine already computed.
import type { SearchHit } from '../../src-preload/api';

const EDGE = 1e-7;

function logit(p: number): number {
  const clamped = Math.min(1 - EDGE, Math.max(EDGE, p));
  return Math.log(clamped / (1 - clamped));
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** The hits as they would come back at `temperature` (instead of the engine's `fromTemperature`) and `cutoff`. */
export function rescoreHits(hits: SearchHit[], fromTemperature: number, temperature: number, cutoff: number): SearchHit[] {
  const factor = temperature / fromTemperature;
  return hits
    .map((hit) => {
      const calibrated = factor === 1 ? hit.calibrated : sigmoid(factor * logit(hit.calibrated));
      return { ...hit, calibrated, score: calibrated };
    })
    .filter((hit) => hit.calibrated >= cutoff)
    .sort((a, b) => b.calibrated - a.calibrated || b.final - a.final);
}
