// The behaviour every VectorStore must have, written once and run against each implementation (embedded now,
// Qdrant later), so switching stores changes nothing a search can notice.
import { describe, expect, it } from 'vitest';
import type { VectorStore } from '../../src-main/store/vectors/vector-store';

/** Opens stores over one backing location; `open` again after `close` must see what was written before. */
export interface VectorStoreHarness {
  /** A fresh, empty location holding `dimensions`-d vectors; returns an opener for it. */
  location(dimensions: number): Promise<{ open(): Promise<VectorStore> }>;
}

const D = 8;

function axis(i: number, lean = 0, towards = (i + 1) % D): Float32Array {
  const v = new Float32Array(D);
  v[i] = 1;
  v[towards] += lean;
  return v;
}

function norm(v: Float32Array): Float32Array {
  const length = Math.hypot(...v);
  return v.map((x) => x / length);
}

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 3));
}

export function describeVectorStoreContract(name: string, harness: VectorStoreHarness): void {
  describe(`VectorStore contract: ${name}`, () => {
    async function openFresh() {
      const location = await harness.location(D);
      return { location, store: await location.open() };
    }

    it('stores global vectors as unit vectors and returns them, with no crops until pass 2 adds them', async () => {
      const { store } = await openFresh();
      await store.upsertGlobals([{ id: 1, vector: new Float32Array([3, 4, 0, 0, 0, 0, 0, 0]) }]);
      const got = await store.get(1);
      expectClose(got!.global, new Float32Array([0.6, 0.8, 0, 0, 0, 0, 0, 0]));
      expect(got!.crops).toBeNull();
      expect(await store.get(2)).toBeNull();
      expect(await store.count()).toEqual({ photos: 1, withCrops: 0 });
      await store.upsertCrops([{ id: 1, crops: [axis(0), axis(1), axis(2), axis(3), axis(4)] }]);
      const withCrops = await store.get(1);
      expect(withCrops!.crops).toHaveLength(5);
      expectClose(withCrops!.crops![3], axis(3));
      expect(await store.count()).toEqual({ photos: 1, withCrops: 1 });
      await store.close();
    });

    it('ranks by cosine similarity, best first, and reports the similarity', async () => {
      const { store } = await openFresh();
      await store.upsertGlobals([
        { id: 10, vector: axis(0) },
        { id: 11, vector: axis(0, 0.5) },
        { id: 12, vector: axis(0, 2) },
        { id: 13, vector: axis(5) },
      ]);
      const matches = await store.search(axis(0), 3);
      expect(matches.map((m) => m.id)).toEqual([10, 11, 12]);
      expect(matches[0].similarity).toBeCloseTo(1, 3);
      expect(matches[1].similarity).toBeCloseTo(1 / Math.hypot(1, 0.5), 3);
      expect(await store.search(axis(0), 100)).toHaveLength(4);
      await store.close();
    });

    it('restricts a search to the allowed ids, even when the nearest photos are excluded', async () => {
      const { store } = await openFresh();
      await store.upsertGlobals(Array.from({ length: 30 }, (_, i) => ({ id: i + 1, vector: axis(i % D, i / 10) })));
      const allowed = new Set([7, 15, 23]);
      const matches = await store.search(axis(0), 10, allowed);
      expect(matches.map((m) => m.id).sort((a, b) => a - b)).toEqual([7, 15, 23]);
      expect(await store.search(axis(0), 10, new Set())).toEqual([]);
      expect(await store.search(axis(0), 10, new Set([999]))).toEqual([]);
      await store.close();
    });

    it('replaces a global vector on upsert and keeps the crops already stored', async () => {
      const { store } = await openFresh();
      await store.upsertGlobals([{ id: 1, vector: axis(0) }, { id: 2, vector: axis(1) }]);
      await store.upsertCrops([{ id: 1, crops: [axis(4)] }]);
      await store.upsertGlobals([{ id: 1, vector: axis(2) }]);
      expect((await store.search(axis(2), 1))[0].id).toBe(1);
      expect((await store.search(axis(0), 2)).map((m) => m.id)).not.toContain(undefined);
      expect((await store.get(1))!.crops).toHaveLength(1);
      expect(await store.count()).toEqual({ photos: 2, withCrops: 1 });
      await store.close();
    });

    it('forgets deleted photos in get, search and count, and accepts them again later', async () => {
      const { store } = await openFresh();
      await store.upsertGlobals([{ id: 1, vector: axis(0) }, { id: 2, vector: axis(0, 0.1) }, { id: 3, vector: axis(3) }]);
      expect(await store.delete([1, 99])).toBe(1);
      expect(await store.get(1)).toBeNull();
      expect((await store.search(axis(0), 3)).map((m) => m.id)).toEqual([2, 3]);
      expect(await store.count()).toEqual({ photos: 2, withCrops: 0 });
      await store.upsertGlobals([{ id: 1, vector: axis(0) }]);
      expect((await store.search(axis(0), 1))[0].id).toBe(1);
      await store.close();
    });

    it('rejects a bad batch as a whole, naming the photo and the cause, and loses nothing stored before', async () => {
      const { store } = await openFresh();
      await store.upsertGlobals([{ id: 1, vector: axis(0) }]);
      await expect(store.upsertGlobals([{ id: 2, vector: axis(1) }, { id: 3, vector: new Float32Array(5) }])).rejects.toThrow(
        /photo 3 has 5 dimensions; this store holds 8/,
      );
      await expect(store.upsertGlobals([{ id: 4, vector: new Float32Array(D) }])).rejects.toThrow(/photo 4 is all zeros/);
      await expect(store.upsertGlobals([{ id: 5, vector: new Float32Array(D).fill(NaN) }])).rejects.toThrow(/photo 5 contains NaN/);
      await expect(store.upsertCrops([{ id: 1, crops: [axis(2)] }, { id: 6, crops: [axis(2)] }])).rejects.toThrow(
        /photo 6 arrived before its global vector/,
      );
      await expect(store.upsertGlobals([{ id: 0, vector: axis(1) }])).rejects.toThrow(/photo id 0 is not a positive integer/);
      expect(await store.count()).toEqual({ photos: 1, withCrops: 0 });
      expect(await store.get(2)).toBeNull();
      await store.close();
    });

    it('returns the stored vectors of several photos at once and walks all of them in id order', async () => {
      const { store } = await openFresh();
      await store.upsertGlobals([5, 3, 9, 1].map((id) => ({ id, vector: axis(id % D) })));
      const many = await store.getMany([1, 2, 9]);
      expect([...many.keys()].sort()).toEqual([1, 9]);
      expectClose(many.get(9)!.global, axis(1));
      const seen: number[] = [];
      for await (const page of store.scanGlobals(3)) seen.push(...page.map((entry) => entry.id));
      expect(seen).toEqual([1, 3, 5, 9]);
      const batch = await store.searchMany([axis(3), axis(5)], 1);
      expect(batch.map((matches) => matches[0].id)).toEqual([3, 5]);
      await store.close();
    });

    it('reopens after close with the same vectors, crops and search results', async () => {
      const { location, store } = await openFresh();
      const vectors = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, vector: norm(axis(i % D, (i % 7) / 3, (i + 3) % D)) }));
      await store.upsertGlobals(vectors);
      await store.upsertCrops([{ id: 4, crops: [axis(1), axis(2)] }]);
      await store.delete([7]);
      const before = await store.search(axis(2), 10);
      await store.close();
      const reopened = await location.open();
      expect(await reopened.count()).toEqual({ photos: 39, withCrops: 1 });
      expect(await reopened.search(axis(2), 10)).toEqual(before);
      expect((await reopened.get(4))!.crops).toHaveLength(2);
      expect(await reopened.get(7)).toBeNull();
      await reopened.close();
    });
  });
}
