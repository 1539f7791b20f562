// SigLIP's learned logit scale and bias turn a cosine into a real match probability. They are read from the
// checkpoint itself (the combined graph's logits for known pairs), solved once and cached next to the model.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const CALIBRATION_FILE = 'glimpse-calibration.json';

export interface Calibration {
  logitScale: number;
  logitBias: number;
}

export interface CalibrationRecord extends Calibration {
  modelId: string;
  /** The graph the values were read from, relative to the model folder. */
  source: string;
  /** Largest |logit − (scale·cos + bias)| over the pairs: ~1e-5 when the graph really is SigLIP's head. */
  maxResidual: number;
  /** Length of the embeddings the graph produced. */
  dims: number;
  measuredAt: string;
}

/** One text/image pair as the combined graph scored it. */
export interface ScoredPair {
  cosine: number;
  logit: number;
}

/**
 * Solves logit = scale·cos + bias from the pairs (least squares; exact for two). Throws when the pairs cannot
 * tell scale from bias, or when the graph's logits are not an affine function of the cosine.
 */
export function solveCalibration(pairs: ScoredPair[]): Calibration & { maxResidual: number } {
  if (pairs.length < 2) throw new Error('calibration needs at least two scored pairs');
  const meanCos = pairs.reduce((s, p) => s + p.cosine, 0) / pairs.length;
  const meanLogit = pairs.reduce((s, p) => s + p.logit, 0) / pairs.length;
  let covariance = 0;
  let variance = 0;
  for (const p of pairs) {
    covariance += (p.cosine - meanCos) * (p.logit - meanLogit);
    variance += (p.cosine - meanCos) ** 2;
  }
  if (variance < 1e-8) throw new Error('calibration pairs have the same cosine; scale and bias cannot be separated');
  const logitScale = covariance / variance;
  const logitBias = meanLogit - logitScale * meanCos;
  const maxResidual = Math.max(...pairs.map((p) => Math.abs(p.logit - (logitScale * p.cosine + logitBias))));
  const tolerance = 1e-3 * Math.max(1, Math.abs(logitScale));
  if (maxResidual > tolerance) {
    throw new Error(
      `the combined model's logits are not scale·cos + bias (residual ${maxResidual.toFixed(4)}); is it a SigLIP export?`,
    );
  }
  return { logitScale, logitBias, maxResidual };
}

export function calibrationPath(modelDir: string): string {
  return path.join(modelDir, CALIBRATION_FILE);
}

/** The cached values, or null when there are none (or they belong to another model or are malformed). */
export async function readCachedCalibration(modelDir: string, modelId: string): Promise<CalibrationRecord | null> {
  try {
    const record = JSON.parse(await readFile(calibrationPath(modelDir), 'utf8')) as Partial<CalibrationRecord>;
    if (record.modelId !== modelId) return null;
    if (!Number.isFinite(record.logitScale) || !Number.isFinite(record.logitBias)) return null;
    if (!Number.isInteger(record.dims) || (record.dims ?? 0) <= 0) return null;
    return record as CalibrationRecord;
  } catch {
    return null;
  }
}

/** Caches the values; a read-only model folder only costs a re-measurement next time, so that failure is returned. */
export async function writeCachedCalibration(modelDir: string, record: CalibrationRecord): Promise<Error | null> {
  const file = calibrationPath(modelDir);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`);
    await rename(temporary, file);
    return null;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
