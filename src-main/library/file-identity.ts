// Decides what a file on disk is to the catalog, by content hash: a new photo, the same photo unchanged, a photo
// that moved or was renamed (row kept), a byte-identical copy, or a photo whose bytes changed in place. Every
// branch is idempotent, because a crash can interrupt it and the job then runs again from the start.
import fs from 'node:fs';
import type { Catalog, StageDefinition } from '../store/catalog';
import type { ImageRow, JobRow } from '../store/schema';
import { type HashedFile, hashFile } from './content-hash';
import { removeThumbnails } from './thumbnail-store';

export type IngestOutcome =
  | { kind: 'new' | 'unchanged' | 'moved' | 'changed' | 'duplicate'; imageId: number; removedIds: number[]; updatedIds?: number[] }
  /** The person removed this file from the library and it has not changed since. */
  | { kind: 'excluded'; removedIds: number[] };

export interface IdentityContext {
  catalog: Catalog;
  dataDir: string;
  stages: StageDefinition[];
  /**
   * Serialises the decisions (not the hashing): two copies of one photo hashed at once must not both see its old
   * path gone and both claim the row, which would leave one file untracked.
   */
  decisions: DecisionQueue;
}

export class DecisionQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

async function statOrNull(filePath: string): Promise<fs.Stats | null> {
  return fs.promises.stat(filePath).catch(() => null);
}

/**
 * The photo's bytes no longer live at its path: the first recorded copy still on disk (outside `exceptFolderId`)
 * takes over the row, id and everything derived. Copies found gone are forgotten. Returns whether one took over.
 */
export async function handOverToCopy(ctx: IdentityContext, image: ImageRow, exceptFolderId?: number): Promise<boolean> {
  for (const copy of await ctx.catalog.duplicatesOf(image.id)) {
    if (copy.folder_id === exceptFolderId) continue;
    const stat = await statOrNull(copy.path);
    if (stat?.isFile()) {
      await ctx.catalog.relocateImage(image.id, {
        folder_id: copy.folder_id,
        path: copy.path,
        size_bytes: stat.size,
        mtime_ms: Math.floor(stat.mtimeMs),
      });
      return true;
    }
    await ctx.catalog.deleteDuplicateByPath(copy.path);
  }
  return false;
}

/**
 * A photo's file is gone: a remaining byte-identical copy takes over (row, id and everything derived kept);
 * without one the photo leaves the catalog. Returns the removed id, if any.
 */
export async function settleLostFile(ctx: IdentityContext, image: ImageRow): Promise<number | null> {
  if (await handOverToCopy(ctx, image)) return null;
  await ctx.catalog.deleteImages([image.id]);
  await removeThumbnails(ctx.dataDir, image.hash);
  return image.id;
}

function isUniqueViolation(error: unknown): boolean {
  return /UNIQUE constraint|duplicate key value/i.test(String((error as Error)?.message));
}

/** Hashes the file of an ingest job and decides what it is, in the folder that holds the job when deciding. */
export async function ingestFile(ctx: IdentityContext, job: Pick<JobRow, 'id' | 'folder_id' | 'path'>): Promise<IngestOutcome> {
  const file = await hashFile(job.path);
  return ctx.decisions.run(async () => {
    // A parent folder added while this file was hashed has taken the job over (merges run between decisions).
    const folderId = (await ctx.catalog.ingestJobFolder(job.id)) ?? job.folder_id;
    return decide(ctx, folderId, job.path, file);
  });
}

async function decide(ctx: IdentityContext, folderId: number, filePath: string, file: HashedFile, retried = false): Promise<IngestOutcome> {
  const { catalog } = ctx;
  const removed = await catalog.removedFile(filePath);
  if (removed) {
    if (removed.size_bytes === file.sizeBytes && Math.floor(removed.mtime_ms) === file.mtimeMs) return { kind: 'excluded', removedIds: [] };
    await catalog.forgetRemovedFile(filePath);
  }
  const record = { size_bytes: file.sizeBytes, mtime_ms: file.mtimeMs };
  const removedIds: number[] = [];
  /** Other photos this decision moved (a copy taking over the old bytes of an edited file). */
  const updatedIds: number[] = [];
  let atPath = await catalog.getImageByPath(filePath);
  const byHash = await catalog.getImageByHash(file.hash);

  if (byHash && atPath?.id === byHash.id) {
    if (byHash.size_bytes !== file.sizeBytes || byHash.mtime_ms !== file.mtimeMs || byHash.folder_id !== folderId) {
      await catalog.updateImage(byHash.id, { ...record, folder_id: folderId });
    }
    await catalog.ensureStages([byHash.id], ctx.stages);
    return { kind: 'unchanged', imageId: byHash.id, removedIds };
  }

  if (byHash) {
    if (atPath) {
      // This path held another photo whose bytes are now gone from here.
      const lost = await settleLostFile(ctx, atPath);
      if (lost !== null) removedIds.push(lost);
      atPath = undefined;
    }
    const canonical = await statOrNull(byHash.path);
    if (canonical?.isFile() && byHash.path !== filePath) {
      await catalog.addDuplicateFile(byHash.id, folderId, filePath, file.sizeBytes, file.mtimeMs);
      return { kind: 'duplicate', imageId: byHash.id, removedIds };
    }
    await catalog.relocateImage(byHash.id, { folder_id: folderId, path: filePath, ...record });
    return { kind: 'moved', imageId: byHash.id, removedIds };
  }

  await catalog.deleteDuplicateByPath(filePath);
  // Edited in place while a copy still holds the old bytes: the copy keeps the old photo, this file is a new one.
  if (atPath && (await handOverToCopy(ctx, atPath))) {
    updatedIds.push(atPath.id);
    atPath = undefined;
  }
  if (atPath) {
    await catalog.replaceImageContent(atPath.id, { hash: file.hash, ...record });
    await removeThumbnails(ctx.dataDir, atPath.hash);
    await catalog.ensureStages([atPath.id], ctx.stages);
    return { kind: 'changed', imageId: atPath.id, removedIds };
  }
  let image: ImageRow;
  try {
    image = await catalog.insertImage({ folder_id: folderId, path: filePath, hash: file.hash, ...record });
  } catch (error) {
    // Another process sharing the catalog recorded these bytes first: this file is its copy.
    if (retried || !isUniqueViolation(error)) throw error;
    return decide(ctx, folderId, filePath, file, true);
  }
  await catalog.ensureStages([image.id], ctx.stages);
  return { kind: 'new', imageId: image.id, removedIds, updatedIds };
}
