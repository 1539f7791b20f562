// Moves a library's vectors from one store to another (embedded ⇄ Qdrant) a page at a time, resumable by skipping what
// the target already holds, and proves the copy by counts and by identical nearest neighbours for sample photos.
import type { PhotoVectors, VectorStore } from './vector-store';

export interface CopyProgress {
  seen: number;
  copied: number;
  skipped: number;
}

export interface CopyVerification {
  source: { photos: number; withCrops: number };
  target: { photos: number; withCrops: number };
  countsMatch: boolean;
  sampled: number;
  /** Sample photos whose top 10 neighbours came back identical, in the same order, from both stores. */
  identicalTop10: number;
}

function sameVectors(a: PhotoVectors, b: PhotoVectors): boolean {
  return (a.crops === null) === (b.crops === null) && (a.crops?.length ?? 0) === (b.crops?.length ?? 0);
}

/** Copies every photo's global and crop vectors; a photo the target already holds in the same shape is skipped. */
export async function copyVectors(
  source: VectorStore,
  target: VectorStore,
  options: { pageSize?: number; onProgress?: (progress: CopyProgress) => void } = {},
): Promise<CopyProgress> {
  if (source.dimensions !== target.dimensions) {
    throw new Error(`the source holds ${source.dimensions}-dimensional vectors and the target ${target.dimensions}-dimensional ones`);
  }
  const progress: CopyProgress = { seen: 0, copied: 0, skipped: 0 };
  for await (const page of source.scanGlobals(options.pageSize ?? 256)) {
    const ids = page.map((item) => item.id);
    const [stored, already] = await Promise.all([source.getMany(ids), target.getMany(ids)]);
    const missing = ids.filter((id) => {
      const have = already.get(id);
      const want = stored.get(id);
      return want !== undefined && (have === undefined || !sameVectors(want, have));
    });
    await target.upsertGlobals(missing.map((id) => ({ id, vector: stored.get(id)!.global })));
    const withCrops = missing.filter((id) => stored.get(id)!.crops !== null);
    if (withCrops.length > 0) await target.upsertCrops(withCrops.map((id) => ({ id, crops: stored.get(id)!.crops! })));
    progress.seen += ids.length;
    progress.copied += missing.length;
    progress.skipped += ids.length - missing.length;
    options.onProgress?.({ ...progress });
  }
  await target.flush();
  return progress;
}

/** Counts on both sides, and the top 10 "similar" photos of up to `samples` photos spread over the library. */
export async function verifyCopy(source: VectorStore, target: VectorStore, samples = 20): Promise<CopyVerification> {
  const [sourceCount, targetCount] = await Promise.all([source.count(), target.count()]);
  const ids: number[] = [];
  for await (const page of source.scanGlobals(1000)) ids.push(...page.map((item) => item.id));
  const step = Math.max(1, Math.floor(ids.length / samples));
  const chosen = ids.filter((_, i) => i % step === 0).slice(0, samples);
  const vectors = await source.getMany(chosen);
  let identical = 0;
  for (const id of chosen) {
    const query = vectors.get(id)!.global;
    const [a, b] = await Promise.all([source.search(query, 10), target.search(query, 10)]);
    if (a.length === b.length && a.every((match, i) => match.id === b[i].id)) identical++;
  }
  return {
    source: sourceCount,
    target: targetCount,
    countsMatch: sourceCount.photos === targetCount.photos && sourceCount.withCrops === targetCount.withCrops,
    sampled: chosen.length,
    identicalTop10: identical,
  };
}
