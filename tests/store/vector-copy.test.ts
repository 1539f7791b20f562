// Moving vectors between stores: everything arrives (crops included), a second run copies nothing again, and the
// verification sees identical neighbours — run here between two embedded stores, the same code as embedded ⇄ Qdrant.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusteredSpace } from '../../bench/synthetic-vectors';
import { openEmbeddedVectorStore } from '../../src-main/store/vectors/embedded-vector-store';
import { copyVectors, verifyCopy } from '../../src-main/store/vectors/vector-copy';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-copy-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('copying vectors between stores', () => {
  it('copies globals and crops, resumes without copying twice, and verifies by counts and neighbours', async () => {
    const dimensions = 32;
    const space = clusteredSpace(dimensions, 12, 7);
    const source = await openEmbeddedVectorStore({ dir: path.join(scratch, 'source'), dimensions });
    const target = await openEmbeddedVectorStore({ dir: path.join(scratch, 'target'), dimensions });
    try {
      const globals = Array.from({ length: 300 }, (_, i) => ({ id: i + 1, vector: space.sample() }));
      await source.upsertGlobals(globals);
      await source.upsertCrops(globals.filter((g) => g.id % 2 === 0).map((g) => ({ id: g.id, crops: [space.near(g.vector, 0.05), space.near(g.vector, 0.1)] })));
      // Half of it already copied by an earlier, interrupted run.
      await target.upsertGlobals(globals.slice(0, 100).filter((g) => g.id % 2 === 1));

      const progress: number[] = [];
      const first = await copyVectors(source, target, { pageSize: 64, onProgress: (p) => progress.push(p.seen) });
      expect(first).toEqual({ seen: 300, copied: 250, skipped: 50 });
      expect(progress.at(-1)).toBe(300);
      const again = await copyVectors(source, target);
      expect(again).toEqual({ seen: 300, copied: 0, skipped: 300 });

      const copiedCrops = (await target.get(42))!.crops!;
      expect(copiedCrops).toHaveLength(2);
      expect(Array.from(copiedCrops[1]).map((x) => x.toFixed(2))).toEqual(Array.from((await source.get(42))!.crops![1]).map((x) => x.toFixed(2)));

      const check = await verifyCopy(source, target);
      expect(check.countsMatch).toBe(true);
      expect(check.target).toEqual({ photos: 300, withCrops: 150 });
      expect(check.sampled).toBe(20);
      expect(check.identicalTop10).toBe(20);
    } finally {
      await Promise.all([source.close(), target.close()]);
    }
  });

  it('refuses stores of different sizes', async () => {
    const a = await openEmbeddedVectorStore({ dir: path.join(scratch, 'a'), dimensions: 8 });
    const b = await openEmbeddedVectorStore({ dir: path.join(scratch, 'b'), dimensions: 16 });
    try {
      await expect(copyVectors(a, b)).rejects.toThrow('the source holds 8-dimensional vectors and the target 16-dimensional ones');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
