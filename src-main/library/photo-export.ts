// "Export a copy": the originals' bytes copied into a folder the person chose, never over an existing file, so handing
// photos to someone (a USB stick, a shared folder) can neither change the library nor destroy anything already there.
import fs from 'node:fs';
import path from 'node:path';
import type { ExportResult } from '../../src-preload/api';
import { GlimpseError } from '../errors';
import { copyWithoutOverwriting } from './copy-without-overwriting';
import { describeFileFailure } from './failure-causes';
import { refuseReservedFolder } from './folder-rules';

const REFUSAL = 'copies cannot be exported there';

/** Why writing into a folder failed, in words: the read-side causes of describeFileFailure speak of reading. */
const WRITE_CAUSES: Record<string, string> = {
  ENOSPC: 'the disk of the export folder is full',
  EDQUOT: 'the disk quota of the export folder is used up',
  EROFS: 'the export folder is on a read-only disk',
  EACCES: 'permission denied: Glimpse is not allowed to write into the export folder',
  EPERM: 'permission denied: Glimpse is not allowed to write into the export folder',
  ENAMETOOLONG: 'the file name is too long for the export folder',
};

function permissionDenied(folder: string): GlimpseError {
  return new GlimpseError('PERMISSION_DENIED', `Glimpse is not allowed to write into ${folder}`, folder);
}

/**
 * The real path of the export folder, created when only its parent exists. Refused like library folders are: Glimpse's
 * data dir (`dataDir`, a real path) and system folders; a missing parent is an error rather than a tree of new folders,
 * so a typo does not scatter folders across the disk.
 */
export async function prepareExportFolder(requested: string, dataDir: string): Promise<string> {
  if (!path.isAbsolute(requested)) {
    throw new GlimpseError('INVALID_INPUT', `${requested} is not a full path: give the export folder from the top of the disk`, requested);
  }
  const wanted = path.resolve(requested);
  const stat = await fs.promises.stat(wanted).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    if (error.code === 'EACCES' || error.code === 'EPERM') throw permissionDenied(wanted);
    if (error.code === 'ENOTDIR') throw new GlimpseError('NOT_A_DIRECTORY', `${wanted} lies under a file, not a folder`, wanted);
    throw error;
  });
  if (stat && !stat.isDirectory()) throw new GlimpseError('NOT_A_DIRECTORY', `${wanted} is a file, not a folder`, wanted);
  let real: string;
  if (stat) {
    real = await fs.promises.realpath(wanted);
    await refuseReservedFolder(real, dataDir, REFUSAL);
  } else {
    const parent = path.dirname(wanted);
    const parentStat = await fs.promises.stat(parent).catch(() => null);
    if (!parentStat?.isDirectory()) {
      throw new GlimpseError('NOT_FOUND', `There is no folder ${parent} to create ${path.basename(wanted)} in: give a folder that exists, or one inside a folder that exists`, wanted);
    }
    // Checked before creating anything, so a refused place never gets an empty folder.
    real = path.join(await fs.promises.realpath(parent), path.basename(wanted));
    await refuseReservedFolder(real, dataDir, REFUSAL);
    await fs.promises.mkdir(real).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return;
      if (error.code === 'EACCES' || error.code === 'EPERM' || error.code === 'EROFS') throw permissionDenied(parent);
      throw error;
    });
    real = await fs.promises.realpath(real);
  }
  try {
    await fs.promises.access(real, fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    throw permissionDenied(real);
  }
  return real;
}

function writeFailure(error: unknown, source: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const sourceGone = code === 'ENOENT' && !fs.existsSync(source);
  if (sourceGone) return `the original is no longer at ${source}`;
  if (code && WRITE_CAUSES[code]) return WRITE_CAUSES[code];
  return describeFileFailure(error);
}

export interface ExportSource {
  id: number;
  /** The original's path, or null for an id the library does not know. */
  path: string | null;
}

/** Copies each photo's original into `folder` (from prepareExportFolder), one answer per photo, in the order given. */
export async function exportOriginals(sources: ExportSource[], folder: string): Promise<ExportResult> {
  const result: ExportResult = { folder, exported: [], failed: [] };
  for (const source of sources) {
    if (source.path === null) {
      result.failed.push({ id: source.id, path: null, error: `there is no photo with id ${source.id} in the library` });
      continue;
    }
    try {
      result.exported.push({ id: source.id, from: source.path, to: await copyWithoutOverwriting(source.path, folder) });
    } catch (error) {
      result.failed.push({ id: source.id, path: source.path, error: writeFailure(error, source.path) });
    }
  }
  return result;
}
