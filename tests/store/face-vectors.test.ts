// The faces collection contract against every store that can hold it: the embedded index (exact scan and HNSW graph)
// always, and a Qdrant server when GLIMPSE_QDRANT_URL points at one (`docker compose up -d qdrant`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusteredSpace } from '../../bench/synthetic-vectors';
import { openEmbeddedVectorStore } from '../../src-main/store/vectors/embedded-vector-store';
import { QdrantFaceStore } from '../../src-main/store/vectors/qdrant-face-store';
import { copyVectors, verifyCopy } from '../../src-main/store/vectors/vector-copy';
import { describeFaceVectorStoreContract } from './face-vectors-contract';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-face-vectors-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

describeFaceVectorStoreContract('embedded, exact scan', {
  async location(dimensions) {
    const dir = path.join(scratch, `faces-${++counter}`);
    return { open: () => openEmbeddedVectorStore({ dir, dimensions }) };
  },
});

describeFaceVectorStoreContract('embedded, HNSW graph', {
  async location(dimensions) {
    const dir = path.join(scratch, `faces-${++counter}`);
    return { open: () => openEmbeddedVectorStore({ dir, dimensions, exactSearchBelow: 0, filteredExactLimit: 0 }) };
  },
});

const serverUrl = process.env.GLIMPSE_QDRANT_URL;
if (serverUrl) {
  describeFaceVectorStoreContract(`Qdrant at ${serverUrl}`, {
    async location(dimensions) {
      // A collection per test: the face model name is what names it.
      const faceModel = `faces-contract-${process.pid}-${Date.now()}-${++counter}`;
      return { open: () => QdrantFaceStore.open({ url: serverUrl, apiKey: process.env.GLIMPSE_QDRANT_API_KEY ?? null, faceModel, dimensions }) };
    },
  });

  describe(`moving face descriptors to Qdrant at ${serverUrl} and back`, () => {
    it('copies every face both ways, verified by counts and identical nearest faces', async () => {
      const space = clusteredSpace(32, 6, 5);
      const embedded = await openEmbeddedVectorStore({ dir: path.join(scratch, 'faces-source'), dimensions: 32 });
      const qdrant = await QdrantFaceStore.open({ url: serverUrl, apiKey: process.env.GLIMPSE_QDRANT_API_KEY ?? null, faceModel: `faces-copy-${process.pid}-${Date.now()}`, dimensions: 32 });
      const back = await openEmbeddedVectorStore({ dir: path.join(scratch, 'faces-back'), dimensions: 32 });
      try {
        await embedded.upsertGlobals(Array.from({ length: 300 }, (_, i) => ({ id: i + 1, vector: space.sample() })));
        expect(await copyVectors(embedded, qdrant)).toEqual({ seen: 300, copied: 300, skipped: 0 });
        expect(await copyVectors(embedded, qdrant)).toEqual({ seen: 300, copied: 0, skipped: 300 });
        const there = await verifyCopy(embedded, qdrant);
        expect(there.target).toEqual({ photos: 300, withCrops: 0 });
        expect(there.identicalTop10).toBe(there.sampled);
        expect(await copyVectors(qdrant, back)).toEqual({ seen: 300, copied: 300, skipped: 0 });
        expect((await verifyCopy(qdrant, back)).countsMatch).toBe(true);
      } finally {
        await Promise.all([embedded.close(), qdrant.close(), back.close()]);
      }
    });
  });
} else {
  describe('faces collection contract: Qdrant', () => {
    // Reported as skipped, with why, rather than passed: there is no Qdrant server on this machine.
    it.skip('skipped: GLIMPSE_QDRANT_URL is not set (start one with `docker compose up -d qdrant` to run the contract against it)', () => {});
  });
}
