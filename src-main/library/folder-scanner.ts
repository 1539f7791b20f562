// Walks a library folder and lists its photo files with size and mtime (what reconciliation compares), following
// symbolic links but never into a loop nor into a system folder, and reporting files it cannot even look at instead
// of dropping them.
import fs from 'node:fs';
import path from 'node:path';
import type { FileFailure } from '../../src-preload/api';
import { describeFileFailure } from './failure-causes';
import { isPseudoFilesystem, systemFolderOf, systemFolderOnLinkPath } from './folder-rules';
import { isHiddenName, isPhotoPath } from './formats';

export interface ScannedFile {
  path: string;
  sizeBytes: number;
  mtimeMs: number;
}

export interface ScanResult {
  files: ScannedFile[];
  /** Photo-named entries that could not be examined (a symbolic link loop, a vanished file…). */
  failures: FileFailure[];
}

/**
 * Lists photos under `root`; `skip` holds folders never to enter (the data dir with its thumbnails), compared by
 * identity (device and inode), so the root itself, a link to it and another name for it are all skipped. System
 * folders (/proc, /sys, /dev, /run, a pseudo-filesystem mounted anywhere) are never entered, and a link whose path
 * passes through one is never followed.
 */
export async function scanFolder(root: string, skip: readonly string[] = []): Promise<ScanResult> {
  const files: ScannedFile[] = [];
  const failures: FileFailure[] = [];
  const visited = new Set<string>();
  const skipped = new Set<string>();
  for (const folder of skip) {
    const stat = await fs.promises.stat(folder).catch(() => null);
    if (stat) skipped.add(`${stat.dev}:${stat.ino}`);
  }

  /** `real` is the folder's real path, `parentDev` the device it was reached from (null for the root). */
  async function walk(dir: string, real: string, parentDev: number | null): Promise<void> {
    let dirStat: fs.Stats;
    try {
      dirStat = await fs.promises.stat(dir);
    } catch {
      return;
    }
    // A directory reached twice (a link to a parent, two links to one place) is walked once.
    const key = `${dirStat.dev}:${dirStat.ino}`;
    if (visited.has(key) || skipped.has(key)) return;
    visited.add(key);
    if (systemFolderOf(real)) return;
    // Only a mount point can change the file system, so only there is its kind looked up.
    if (dirStat.dev !== parentDev && (await isPseudoFilesystem(dir))) return;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (dir === root) throw error;
      failures.push({ path: dir, error: `cannot list this folder: ${describeFileFailure(error)}` });
      return;
    }
    // Sorted, so the first of several identical copies (the one that becomes the photo) is predictable.
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (isHiddenName(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(full, path.join(real, entry.name), dirStat.dev);
        continue;
      }
      if (entry.isSymbolicLink()) {
        const system = await systemFolderOnLinkPath(full);
        if (system) {
          failures.push({ path: full, error: `not followed: this link leads into ${system}, a system folder, not to photos` });
          continue;
        }
        let target: fs.Stats;
        try {
          target = await fs.promises.stat(full);
        } catch (error) {
          if (isPhotoPath(full)) failures.push({ path: full, error: describeFileFailure(error) });
          continue;
        }
        if (target.isDirectory()) {
          const targetReal = await fs.promises.realpath(full).catch(() => null);
          if (targetReal) await walk(full, targetReal, dirStat.dev);
        } else if (target.isFile() && isPhotoPath(full)) files.push({ path: full, sizeBytes: target.size, mtimeMs: Math.floor(target.mtimeMs) });
        continue;
      }
      if (!isPhotoPath(full)) continue;
      try {
        const stat = await fs.promises.stat(full);
        // Special files with photo names (a named pipe called x.jpg) go to the queue, which reports them.
        files.push({ path: full, sizeBytes: stat.size, mtimeMs: Math.floor(stat.mtimeMs) });
      } catch (error) {
        failures.push({ path: full, error: describeFileFailure(error) });
      }
    }
  }

  await walk(root, await fs.promises.realpath(root), null);
  return { files, failures };
}
