// The integrity record kept beside each saved usearch index: usearch's native loader aborts the whole process on some
// damaged files (garbage → std::bad_alloc) and hangs on others, so a file reaches `Index.load` only when it is
// byte for byte what this store saved, written by a usearch whose loader reads what the file holds.
import crypto from 'node:crypto';
import fs from 'node:fs';

export interface IndexFileRecord {
  format: 1;
  bytes: number;
  sha256: string;
  dimensions: number;
  /** Live entries and removed (tombstoned) slots, as usearch's own header in the file states them. */
  present: number;
  removed: number;
  /** The usearch version that wrote the file, from the same header. */
  usearch: string;
}

export type IndexFileCheck = { ok: true; record: IndexFileRecord } | { ok: false; reason: string };

/**
 * usearch 2.25.3 overran its heap loading a file that holds removed slots (SIGABRT in `Index.load`, issue 7);
 * 2.26.2 reads such files correctly. Files with removals written by anything older are rebuilt instead of loaded.
 */
const REMOVALS_SAFE_SINCE = [2, 26, 2] as const;
const FORMAT = 1;
const MAGIC = 'usearch';
const HASH_CHUNK_BYTES = 4 << 20;

export function recordPathOf(indexFile: string): string {
  return `${indexFile}.json`;
}

/** Describes a file usearch has just saved, from its bytes; null when its layout is not the one this code knows. */
export function describeIndexFile(file: string): IndexFileRecord | null {
  const fd = fs.openSync(file, 'r');
  try {
    const bytes = fs.fstatSync(fd).size;
    const header = readHeader(fd, bytes);
    if (!header) return null;
    return { format: FORMAT, bytes, sha256: sha256Of(fd, bytes), ...header };
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes the record durably (tmp + fsync + rename) under the name `recordPathOf(indexFile)`. */
export function writeIndexFileRecord(indexFile: string, record: IndexFileRecord): void {
  const finalPath = recordPathOf(indexFile);
  const tmpPath = `${finalPath}.${process.pid}.tmp`;
  const fd = fs.openSync(tmpPath, 'w');
  try {
    fs.writeSync(fd, JSON.stringify(record));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmpPath, finalPath);
}

/** Whether `file` may be handed to usearch's loader, and if not, why (in words for a notice). */
export function checkIndexFile(file: string, dimensions: number): IndexFileCheck {
  let record: IndexFileRecord;
  try {
    record = JSON.parse(fs.readFileSync(recordPathOf(file), 'utf8')) as IndexFileRecord;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, reason: 'has no integrity record (saved by an older Glimpse, or cut off while saving)' };
    return { ok: false, reason: 'has an unreadable integrity record' };
  }
  if (record.format !== FORMAT || typeof record.sha256 !== 'string' || !Number.isSafeInteger(record.bytes)) {
    return { ok: false, reason: 'has an integrity record in an unknown format' };
  }
  if (record.dimensions !== dimensions) {
    return { ok: false, reason: `holds ${record.dimensions}-dimensional vectors, not ${dimensions}` };
  }
  if (record.removed > 0 && !atLeast(record.usearch, REMOVALS_SAFE_SINCE)) {
    return { ok: false, reason: `holds removed entries written by usearch ${record.usearch}, whose files with removals crash on loading` };
  }
  const fd = openIfPresent(file);
  if (fd === null) return { ok: false, reason: 'is missing' };
  try {
    const bytes = fs.fstatSync(fd).size;
    if (bytes !== record.bytes) return { ok: false, reason: `is ${bytes} bytes but ${record.bytes} were saved (truncated or overwritten)` };
    if (sha256Of(fd, bytes) !== record.sha256) return { ok: false, reason: 'does not match the checksum it was saved with (damaged)' };
  } finally {
    fs.closeSync(fd);
  }
  return { ok: true, record };
}

/**
 * usearch's dense file: a `[rows u32][columns u32]` vector matrix, then its header — "usearch", version u16 ×3,
 * four kind bytes, present u64, removed u64, dimensions u64.
 */
function readHeader(fd: number, bytes: number): Omit<IndexFileRecord, 'format' | 'bytes' | 'sha256'> | null {
  const matrix = Buffer.alloc(8);
  if (fs.readSync(fd, matrix, 0, 8, 0) !== 8) return null;
  const offset = 8 + matrix.readUInt32LE(0) * matrix.readUInt32LE(4);
  const head = Buffer.alloc(41);
  if (offset + head.length > bytes || fs.readSync(fd, head, 0, head.length, offset) !== head.length) return null;
  if (head.toString('latin1', 0, MAGIC.length) !== MAGIC) return null;
  return {
    usearch: `${head.readUInt16LE(7)}.${head.readUInt16LE(9)}.${head.readUInt16LE(11)}`,
    present: Number(head.readBigUInt64LE(17)),
    removed: Number(head.readBigUInt64LE(25)),
    dimensions: Number(head.readBigUInt64LE(33)),
  };
}

function sha256Of(fd: number, bytes: number): string {
  const hash = crypto.createHash('sha256');
  const chunk = Buffer.allocUnsafe(Math.min(HASH_CHUNK_BYTES, Math.max(bytes, 1)));
  for (let position = 0; position < bytes; ) {
    const read = fs.readSync(fd, chunk, 0, chunk.length, position);
    if (read === 0) break;
    hash.update(chunk.subarray(0, read));
    position += read;
  }
  return hash.digest('hex');
}

function openIfPresent(file: string): number | null {
  try {
    return fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function atLeast(version: string, minimum: readonly number[]): boolean {
  const parts = version.split('.').map(Number);
  for (let i = 0; i < minimum.length; i++) {
    if ((parts[i] ?? 0) !== minimum[i]) return (parts[i] ?? 0) > minimum[i];
  }
  return true;
}
