// The grid and viewer pictures of a turned photo: made once from the upright thumbnails (never from or to the original
// file) beside them in the data dir, and made again when the thumbnail they came from is newer.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import sharp from 'sharp';
import type { QuarterTurns } from '../../src-preload/api';

/** `<hash>.grid.webp` → `<hash>.grid.r1.webp`: one file per rotation, so a picture's address names what it shows. */
export function rotatedRenditionPath(uprightPath: string, turns: QuarterTurns): string {
  return uprightPath.replace(/\.webp$/, `.r${turns}.webp`);
}

async function mtimeOf(file: string): Promise<number | null> {
  return fs.promises.stat(file).then((stat) => stat.mtimeMs, () => null);
}

/** The turned picture's path, written when missing or older than its upright source; null when the source is gone. */
export async function rotatedRendition(uprightPath: string, turns: QuarterTurns, quality: number): Promise<string | null> {
  if (turns === 0) return uprightPath;
  const target = rotatedRenditionPath(uprightPath, turns);
  const [sourceTime, targetTime] = await Promise.all([mtimeOf(uprightPath), mtimeOf(target)]);
  if (sourceTime === null) return null;
  if (targetTime !== null && targetTime >= sourceTime) return target;
  const bytes = await sharp(uprightPath).rotate(turns * 90).webp({ quality, effort: 2 }).toBuffer();
  // Readers never see half a file, and two requests writing at once each rename a whole one.
  const tmp = `${target}.${process.pid}.${randomUUID()}.tmp`;
  await fs.promises.writeFile(tmp, bytes);
  await fs.promises.rename(tmp, target);
  return target;
}

/** Every rotated picture next to an upright one, for removal with it. */
export function rotatedRenditionPaths(uprightPath: string): string[] {
  return ([1, 2, 3] as const).map((turns) => rotatedRenditionPath(uprightPath, turns));
}
