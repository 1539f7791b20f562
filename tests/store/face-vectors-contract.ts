// What the people code needs of the faces collection, written once and run against every store that can hold it
// (the embedded index always, Qdrant when a server is configured): one descriptor per face id, nearest faces by cosine.
import { describe, expect, it } from 'vitest';
import type { VectorStore } from '../../src-main/store/vectors/vector-store';

export interface FaceVectorStoreHarness {
  /** A fresh, empty faces collection of `dimensions`-d descriptors; `open` again after `close` sees what was written. */
  location(dimensions: number): Promise<{ open(): Promise<VectorStore> }>;
}

const D = 16;

/** A descriptor pointing mostly along `axis`, leaning towards the next axis by `lean` (not unit length, as Human's are not). */
function descriptor(axis: number, lean = 0, scale = 7): Float32Array {
  const v = new Float32Array(D);
  v[axis] = scale;
  v[(axis + 1) % D] += lean * scale;
  return v;
}

export function describeFaceVectorStoreContract(name: string, harness: FaceVectorStoreHarness): void {
  describe(`faces collection contract: ${name}`, () => {
    it('keeps one unit descriptor per face id and replaces it when the face is detected again', async () => {
      const location = await harness.location(D);
      const store = await location.open();
      await store.upsertGlobals([
        { id: 101, vector: descriptor(0) },
        { id: 102, vector: descriptor(3, 0, 12) },
      ]);
      const first = await store.getMany([101, 102, 999]);
      expect([...first.keys()].sort()).toEqual([101, 102]);
      expect(Math.hypot(...first.get(102)!.global)).toBeCloseTo(1, 3);
      expect(first.get(101)!.crops).toBeNull();
      await store.upsertGlobals([{ id: 101, vector: descriptor(5) }]);
      expect((await store.get(101))!.global[5]).toBeCloseTo(1, 3);
      expect(await store.count()).toEqual({ photos: 2, withCrops: 0 });
      await store.close();
    });

    it('finds the nearest faces, best first, with their cosine similarity, and only among the ids asked for', async () => {
      const location = await harness.location(D);
      const store = await location.open();
      await store.upsertGlobals([
        { id: 1, vector: descriptor(0) },
        { id: 2, vector: descriptor(0, 0.3) },
        { id: 3, vector: descriptor(0, 1.5) },
        { id: 4, vector: descriptor(8) },
      ]);
      const nearest = await store.search(descriptor(0), 3);
      expect(nearest.map((m) => m.id)).toEqual([1, 2, 3]);
      expect(nearest[0].similarity).toBeCloseTo(1, 3);
      expect(nearest[1].similarity).toBeCloseTo(1 / Math.hypot(1, 0.3), 3);
      expect((await store.search(descriptor(0), 4, new Set([3, 4]))).map((m) => m.id)).toEqual([3, 4]);
      expect(await store.search(descriptor(0), 4, new Set())).toEqual([]);
      const many = await store.searchMany([descriptor(8), descriptor(0, 1.5)], 1);
      expect(many.map((matches) => matches[0].id)).toEqual([4, 3]);
      await store.close();
    });

    it('forgets removed faces, counting only those it held, and keeps the rest across a reopen', async () => {
      const location = await harness.location(D);
      const store = await location.open();
      await store.upsertGlobals([1, 2, 3].map((id) => ({ id, vector: descriptor(id) })));
      expect(await store.delete([2, 77])).toBe(1);
      expect(await store.delete([])).toBe(0);
      await store.flush();
      await store.close();
      const reopened = await location.open();
      expect(await reopened.count()).toEqual({ photos: 2, withCrops: 0 });
      expect((await reopened.search(descriptor(2), 3)).map((m) => m.id)).not.toContain(2);
      const scanned: number[] = [];
      for await (const page of reopened.scanGlobals(1)) scanned.push(...page.map((item) => item.id));
      expect(scanned).toEqual([1, 3]);
      await reopened.close();
    });

    it('refuses a descriptor of the wrong size or without a direction, naming the face, and keeps the others', async () => {
      const location = await harness.location(D);
      const store = await location.open();
      await store.upsertGlobals([{ id: 5, vector: descriptor(1) }]);
      const wrongSize = store.upsertGlobals([{ id: 6, vector: new Float32Array(D + 1).fill(1) }]);
      await expect(wrongSize).rejects.toMatchObject({ name: 'VectorInputError', photoId: 6 });
      await expect(wrongSize).rejects.toThrow(new RegExp(`\\b6\\b.* has ${D + 1} dimensions; this store holds ${D}-dimensional vectors`));
      await expect(store.upsertGlobals([{ id: 7, vector: new Float32Array(D) }])).rejects.toThrow(/\b7\b.* is all zeros/);
      expect(await store.count()).toEqual({ photos: 1, withCrops: 0 });
      await store.close();
    });
  });
}
