// The arithmetic behind calibrated scores and the CPU/GPU decision, checked without a GPU: the solver recovers
// SigLIP's affine head exactly and rejects graphs that are not one; the device choice explains itself.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { solveCalibration } from '../../src-main/ml/calibration';
import { chooseDevice, onnxRuntimeBinaryDir, probeSession } from '../../src-main/ml/device';

describe('solveCalibration', () => {
  it('recovers scale and bias exactly from two pairs', () => {
    const scale = 117.33;
    const bias = -12.93;
    const result = solveCalibration([
      { cosine: 0.12, logit: scale * 0.12 + bias },
      { cosine: 0.03, logit: scale * 0.03 + bias },
    ]);
    expect(result.logitScale).toBeCloseTo(scale, 6);
    expect(result.logitBias).toBeCloseTo(bias, 6);
  });

  it('refuses pairs that cannot separate scale from bias', () => {
    expect(() => solveCalibration([{ cosine: 0.5, logit: 1 }, { cosine: 0.5, logit: 1 }])).toThrow('same cosine');
  });

  it('refuses logits that are not an affine function of the cosine', () => {
    const pairs = [0, 0.25, 0.5, 1].map((c) => ({ cosine: c, logit: 10 * c * c }));
    expect(() => solveCalibration(pairs)).toThrow('is it a SigLIP export?');
  });
});

describe('device choice', () => {
  it('opens a session on the CPU with the built-in probe graph', async () => {
    await expect(probeSession('cpu')).resolves.toBeUndefined();
  });

  it('uses the CPU when asked to, without probing the GPU', async () => {
    await expect(chooseDevice('cpu')).resolves.toEqual({ device: 'cpu', reason: 'the CPU was chosen in the settings' });
  });

  it('falls back to the CPU with a remedy when the CUDA provider is not installed, and refuses a forced CUDA', async () => {
    const cudaInstalled = existsSync(path.join(onnxRuntimeBinaryDir(), 'libonnxruntime_providers_cuda.so'));
    const auto = await chooseDevice('auto');
    if (cudaInstalled) {
      // On a GPU machine the probe decides; either way the choice says why.
      expect(auto.reason.length).toBeGreaterThan(10);
      return;
    }
    expect(auto.device).toBe('cpu');
    expect(auto.reason).toContain('npm run setup:gpu');
    await expect(chooseDevice('cuda')).rejects.toThrow('CUDA was requested but cannot be used');
  });
});
