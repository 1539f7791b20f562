// The scoring arithmetic of a text search, kept pure so every number a person sees can be recomputed by hand:
// global + crop similarity → weighted final → the model's own calibrated probability → cut-off.
import type { RankingSettings, ScoreParts } from '../../src-preload/api';
import type { PhotoVectors } from '../store/vectors/vector-store';
import { SearchError } from './search-error';
import { dot, maxSimilarity } from './similarity';

export const DEFAULT_RANKING: RankingSettings = { globalWeight: 0.7, localWeight: 0.3, temperature: 1, cutoff: 0.01 };

/** How many photos the global recall stage hands to the crop re-rank. */
export const DEFAULT_RECALL_SIZE = 50;

export interface Calibration {
  logitScale: number;
  logitBias: number;
}

export interface RankedCandidate extends ScoreParts {
  id: number;
  globalOnly: boolean;
}

function invalid(field: string, message: string): SearchError {
  return new SearchError('INVALID_INPUT', `ranking.${field} ${message}`, `ranking.${field}`);
}

/**
 * Settings for one search: `requested` over `base`, validated. Weights are scaled to sum to 1, so `final` stays on
 * the cosine scale the model's logit scale and bias were learned for (0.7/0.3 is already normalised).
 */
export function resolveRanking(requested: Partial<RankingSettings> | undefined, base: RankingSettings = DEFAULT_RANKING): RankingSettings {
  const merged = { ...base, ...requested };
  for (const field of ['globalWeight', 'localWeight'] as const) {
    if (!Number.isFinite(merged[field]) || merged[field] < 0) throw invalid(field, `must be a number ≥ 0, got ${String(merged[field])}`);
  }
  const weightSum = merged.globalWeight + merged.localWeight;
  if (weightSum === 0) throw invalid('globalWeight', 'and ranking.localWeight cannot both be 0');
  if (!Number.isFinite(merged.temperature) || merged.temperature <= 0) {
    throw invalid('temperature', `must be a number > 0, got ${String(merged.temperature)}`);
  }
  if (!Number.isFinite(merged.cutoff) || merged.cutoff < 0 || merged.cutoff > 1) {
    throw invalid('cutoff', `must be a probability between 0 and 1, got ${String(merged.cutoff)}`);
  }
  return {
    globalWeight: merged.globalWeight / weightSum,
    localWeight: merged.localWeight / weightSum,
    temperature: merged.temperature,
    cutoff: merged.cutoff,
  };
}

/** SigLIP's match probability `sigmoid(t·(scale·final + bias))`; t > 1 sharpens, t < 1 softens. */
export function calibrate(final: number, calibration: Calibration, temperature: number): number {
  const logit = temperature * (calibration.logitScale * final + calibration.logitBias);
  return 1 / (1 + Math.exp(-logit));
}

/** Fuses a photo's global and (when embedded) crop similarity; photos without crops rank on global alone. */
export function scorePhoto(
  query: Float32Array,
  vectors: PhotoVectors,
  ranking: RankingSettings,
  calibration: Calibration,
): ScoreParts & { globalOnly: boolean } {
  const global = dot(query, vectors.global);
  const local = vectors.crops && vectors.crops.length > 0 ? maxSimilarity(query, vectors.crops) : null;
  const final = local === null ? global : ranking.globalWeight * global + ranking.localWeight * local;
  return { global, local, final, calibrated: calibrate(final, calibration, ranking.temperature), globalOnly: local === null };
}

/** Scores every recalled candidate and orders them best first (ties by id, so results are stable). */
export function rankCandidates(
  query: Float32Array,
  candidates: Map<number, PhotoVectors>,
  ranking: RankingSettings,
  calibration: Calibration,
): RankedCandidate[] {
  const ranked: RankedCandidate[] = [];
  for (const [id, vectors] of candidates) ranked.push({ id, ...scorePhoto(query, vectors, ranking, calibration) });
  return ranked.sort((a, b) => b.final - a.final || a.id - b.id);
}

/** Drops candidates whose calibrated probability is below the cut-off and keeps at most `limit`. */
export function applyCutoff<T extends { calibrated: number }>(ranked: T[], cutoff: number, limit: number): T[] {
  return ranked.filter((candidate) => candidate.calibrated >= cutoff).slice(0, limit);
}
