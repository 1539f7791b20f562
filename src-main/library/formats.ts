// Which files the library treats as photos: one list of extensions shared by the scanner, the watcher and import,
// so a file is either a photo everywhere or nowhere.
import path from 'node:path';

export const PHOTO_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg', '.jpeg', '.jpe', '.jfif',
  '.png',
  '.webp',
  '.gif',
  '.tif', '.tiff',
  '.avif',
  '.heic', '.heif', '.hif',
]);

export function isPhotoPath(filePath: string): boolean {
  return PHOTO_EXTENSIONS.has(path.extname(filePath).toLowerCase());
}

/** Hidden files and folders (".Trash", ".thumbnails", editors' temp files) are never part of the library. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.');
}
