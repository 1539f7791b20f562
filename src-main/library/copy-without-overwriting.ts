// Copying a file into a folder without ever replacing what is there: used by exports (a copy handed to someone) and by
// uploads into the library's own folder, the two places Glimpse writes photo files.
import fs from 'node:fs';
import path from 'node:path';

/** Copies `source` into `folder` under its own name, or "name (2).ext", "name (3).ext"… when that is taken, keeping its times. */
export async function copyWithoutOverwriting(source: string, folder: string): Promise<string> {
  const ext = path.extname(source);
  const stem = path.basename(source, ext);
  for (let n = 1; ; n++) {
    const target = path.join(folder, n === 1 ? `${stem}${ext}` : `${stem} (${n})${ext}`);
    try {
      // EXCL makes the check and the write one step: a file appearing meanwhile is never overwritten.
      await fs.promises.copyFile(source, target, fs.constants.COPYFILE_EXCL);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    const stat = await fs.promises.stat(source);
    await fs.promises.utimes(target, stat.atime, stat.mtime);
    return target;
  }
}
