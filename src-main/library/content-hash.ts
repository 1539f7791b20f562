// A photo's identity is the sha256 of its bytes; hashing streams the file once, and size and mtime come from the
// same open file descriptor, so what is recorded always describes the bytes that were hashed.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { PhotoFileError } from './failure-causes';

export interface HashedFile {
  hash: string;
  sizeBytes: number;
  mtimeMs: number;
}

export async function hashFile(filePath: string): Promise<HashedFile> {
  // stat before open: opening a named pipe for reading would wait forever for a writer.
  const before = await fs.promises.stat(filePath);
  if (!before.isFile()) throw new PhotoFileError(notARegularFile(before));
  if (before.size === 0) throw new PhotoFileError('empty file (0 bytes): nothing to index');
  const handle = await fs.promises.open(filePath, 'r');
  try {
    const stat = await handle.stat();
    const hash = createHash('sha256');
    for await (const chunk of handle.createReadStream({ autoClose: false, highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
    return { hash: hash.digest('hex'), sizeBytes: stat.size, mtimeMs: Math.floor(stat.mtimeMs) };
  } finally {
    await handle.close();
  }
}

function notARegularFile(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'this is a folder, not a file';
  if (stat.isFIFO()) return 'this is a named pipe, not a photo file';
  if (stat.isSocket()) return 'this is a socket, not a photo file';
  return 'this is a device or special file, not a photo file';
}
