// Which original file may leave the library (served to a window, opened or shown by the OS): only a photo that
// indexed as a picture, and only while the file is still the one that was indexed, so a link re-pointed at
// /etc/passwd, or a text file named .jpg, is never handed out as an image.
import fs from 'node:fs';
import type { ImageRow } from '../store/schema';

/** The decoded formats (image-source.ts names them) and the content types they are served as. */
const CONTENT_TYPE_BY_FORMAT: Readonly<Record<string, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
  avif: 'image/avif',
  heic: 'image/heic',
};

export interface ServableFile {
  path: string;
  contentType: string;
}

/** The photo's file and content type, or null when it is not ready, not a decoded image, or changed since indexing. */
export async function servableOriginal(image: Pick<ImageRow, 'path' | 'status' | 'format' | 'size_bytes' | 'mtime_ms'>): Promise<ServableFile | null> {
  if (image.status !== 'ready') return null;
  const contentType = image.format ? CONTENT_TYPE_BY_FORMAT[image.format] : undefined;
  if (!contentType) return null;
  // stat follows links, as indexing did: a link to a photo on another disk is served, a re-pointed link is not.
  const stat = await fs.promises.stat(image.path).catch(() => null);
  if (!stat?.isFile() || stat.size !== image.size_bytes || Math.floor(stat.mtimeMs) !== Math.floor(image.mtime_ms)) return null;
  return { path: image.path, contentType };
}
