// Turns the errors that file systems, sharp and the decoders throw into one-line causes a person can act on,
// so every failed photo in the catalog says why in words, not errno codes or libvips internals.
import { describeError } from '../errors';

/** An expected, per-file failure whose message is already written for people. */
export class PhotoFileError extends Error {
  override name = 'PhotoFileError';
}

const ERRNO_CAUSES: Record<string, string> = {
  ENOENT: 'the file was deleted or moved before Glimpse could read it',
  EACCES: 'permission denied: Glimpse is not allowed to read this file',
  EPERM: 'permission denied: Glimpse is not allowed to read this file',
  ELOOP: 'symbolic link loop: the link points back to itself and leads to no file',
  EISDIR: 'this is a folder, not a file',
  EIO: 'the disk reported a read error (input/output error)',
  ENAMETOOLONG: 'the path is too long for this system',
  EMFILE: 'too many open files; it will be retried on the next scan',
};

export function describeFileFailure(error: unknown): string {
  if (error instanceof PhotoFileError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && ERRNO_CAUSES[code]) return ERRNO_CAUSES[code];
  const message = describeError(error);
  if (/unsupported image format|unknown image format|not a known file format/i.test(message)) {
    return 'not an image Glimpse can read: the contents are not a JPEG, PNG, WebP, GIF, TIFF, AVIF or HEIC picture';
  }
  if (/premature end|truncated|corrupt|unexpected end|invalid|damaged|bad huffman|marker/i.test(message)) {
    return `the image is damaged or truncated (${message.replace(/^.*?:\s*/, '')})`;
  }
  if (/Input file is missing|no such file/i.test(message)) return ERRNO_CAUSES.ENOENT;
  if (/exceeds pixel limit/i.test(message)) return `decompression bomb refused: ${message}`;
  return message;
}
