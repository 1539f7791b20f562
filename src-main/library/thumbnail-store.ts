// Where thumbnails live: <dataDir>/thumbnails/<first two hex digits>/<sha256>.<size>.webp, keyed by content hash,
// so a rename or move reuses them and a change of content (new hash) never serves a stale picture.
import fs from 'node:fs';
import path from 'node:path';
import { rotatedRenditionPaths } from './rotated-renditions';

export type ThumbnailSize = 'grid' | 'view';

export function thumbnailPath(dataDir: string, hash: string, size: ThumbnailSize): string {
  return path.join(dataDir, 'thumbnails', hash.slice(0, 2), `${hash}.${size}.webp`);
}

export async function removeThumbnails(dataDir: string, hash: string): Promise<void> {
  await Promise.all(
    (['grid', 'view'] as const)
      .flatMap((size) => [thumbnailPath(dataDir, hash, size), ...rotatedRenditionPaths(thumbnailPath(dataDir, hash, size))])
      .map((file) => fs.promises.rm(file, { force: true })),
  );
}
