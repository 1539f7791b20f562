// Walks a library folder and lists its photo files with size and mtime (what reconciliation compares), following
// symbolic links but never into a loop, and reporting files it cannot even look at instead of dropping them.
import fs from 'node:fs';
import path from 'node:path';
import type { FileFailure } from '../../src-preload/api';
import { describeFileFailure } from './failure-causes';
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

/** Lists photos under `root`; `skip` holds folders never to enter (the data dir with its thumbnails). */
export async function scanFolder(root: string, skip: readonly string[] = []): Promise<ScanResult> {
  const files: ScannedFile[] = [];
  const failures: FileFailure[] = [];
  const visited = new Set<string>();
  const skipped = new Set(skip.map((p) => path.resolve(p)));

  async function walk(dir: string): Promise<void> {
    let dirStat: fs.Stats;
    try {
      dirStat = await fs.promises.stat(dir);
    } catch {
      return;
    }
    // A directory reached twice (a link to a parent, two links to one place) is walked once.
    const key = `${dirStat.dev}:${dirStat.ino}`;
    if (visited.has(key)) return;
    visited.add(key);
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
      if (skipped.has(full)) continue;
      if (entry.isDirectory()) {
        await walk(full);
        continue;
      }
      if (entry.isSymbolicLink()) {
        let target: fs.Stats;
        try {
          target = await fs.promises.stat(full);
        } catch (error) {
          if (isPhotoPath(full)) failures.push({ path: full, error: describeFileFailure(error) });
          continue;
        }
        if (target.isDirectory()) await walk(full);
        else if (target.isFile() && isPhotoPath(full)) files.push({ path: full, sizeBytes: target.size, mtimeMs: Math.floor(target.mtimeMs) });
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

  await walk(root);
  return { files, failures };
}
