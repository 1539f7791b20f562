// Turns the errors that file systems, sharp and the decoders throw into one-line causes a person can act on,
// so every failed photo in the catalog says why in words, not errno codes or libvips internals.
import fs from 'node:fs/promises';
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

/** libvips loses its message when a decode fails on one of its own threads; sharp then says only this. */
const OPAQUE_DECODER_MESSAGE = /^(unknown error|error|)$/i;

/** Whether a JPEG or PNG stops before its end marker: what "truncated" means for the formats cameras and phones write. */
async function endsEarly(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(8);
    await handle.read(head, 0, 8, 0);
    const tail = Buffer.alloc(Math.min(size, 64));
    await handle.read(tail, 0, tail.length, size - tail.length);
    if (head[0] === 0xff && head[1] === 0xd8) return !tail.includes(Buffer.from([0xff, 0xd9]));
    if (head.toString('latin1', 1, 4) === 'PNG') return !tail.includes(Buffer.from('IEND', 'latin1'));
    return false;
  } finally {
    await handle.close();
  }
}

/**
 * The cause of a failed indexing stage on `file`: as describeFileFailure, but when the decoder's own message was lost,
 * the file is checked for the commonest reason (it ends early) so the person still reads why.
 */
export async function describePhotoFailure(error: unknown, file: string): Promise<string> {
  const cause = describeFileFailure(error);
  if (!OPAQUE_DECODER_MESSAGE.test(cause.trim())) return cause;
  const truncated = await endsEarly(file).catch(() => false);
  return truncated
    ? 'the image is damaged or truncated (the file ends before the picture does)'
    : 'the image could not be decoded (the decoder gave no reason); the file may be damaged';
}
