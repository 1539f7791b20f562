// The data dir holds the catalog (every path and caption), the vectors and a thumbnail of every photo: on Unix it is
// made private to its owner (0700, its own files 0600-like), whatever the umask, including data dirs made before.
import fs from 'node:fs';
import path from 'node:path';

const GROUP_AND_OTHERS = 0o077;

async function removeGroupAndOthers(target: string, mode: number): Promise<void> {
  if ((mode & GROUP_AND_OTHERS) === 0) return;
  // A folder someone else owns cannot be changed (EPERM); it stays as it is rather than stopping the app.
  await fs.promises.chmod(target, mode & 0o7700 & ~GROUP_AND_OTHERS).catch(() => undefined);
}

/** Creates the data dir if needed and takes away group and others' access to it and to what lies directly in it. */
export async function makeDataDirPrivate(dataDir: string): Promise<void> {
  await fs.promises.mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  await removeGroupAndOthers(dataDir, (await fs.promises.stat(dataDir)).mode);
  // Only the top level: its folders (thumbnails, vectors, Imported) being private closes everything below them.
  for (const entry of await fs.promises.readdir(dataDir, { withFileTypes: true })) {
    if (!entry.isFile() && !entry.isDirectory()) continue;
    const target = path.join(dataDir, entry.name);
    const stat = await fs.promises.lstat(target).catch(() => null);
    if (stat) await removeGroupAndOthers(target, stat.mode);
  }
}
