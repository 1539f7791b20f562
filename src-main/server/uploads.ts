// Browser drag & drop cannot hand the server a path, so dropped files arrive as multipart uploads: streamed (busboy)
// into a private temp folder, imported through `import.files` (which copies them into the library), then removed.
// Nothing is held in memory; a drop larger than one request's limits is sent in parts by the page.
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import type { ImportResult, Result } from '../../src-preload/api';
import type { Api } from '../api/api-types';

export interface UploadLimits {
  /** Bytes in one request, all files together. */
  maxBytes: number;
  /** Files in one request. */
  maxFiles: number;
  /** Where the per-request temp folders are made. */
  tempRoot: string;
}

export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
export const MAX_UPLOAD_FILES = 1000;
/** Most file systems allow 255 bytes per name; a margin leaves room for the library's own suffixes. */
export const MAX_UPLOAD_NAME_BYTES = 200;

export class UploadError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function capBytes(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const ext = path.extname(name);
  const kept = Buffer.byteLength(ext) <= 32 ? ext : '';
  const stem = [...name.slice(0, name.length - kept.length)];
  let bytes = Buffer.byteLength(stem.join(''));
  while (stem.length && bytes + Buffer.byteLength(kept) > maxBytes) bytes -= Buffer.byteLength(stem.pop()!);
  return `${stem.join('')}${kept}`;
}

/** A dropped file's name reduced to a plain, not too long file name: no folders, no control characters. */
export function safeUploadName(name: string, index: number): string {
  const printable = [...name].filter((char) => char.charCodeAt(0) >= 0x20).join('');
  const base = capBytes(path.basename(printable.replace(/\\/g, '/')).replace(/[<>:"|?*]/g, '_').trim(), MAX_UPLOAD_NAME_BYTES);
  return base && base !== '.' && base !== '..' ? base : `upload-${index}`;
}

function failure(message: string): Result<ImportResult> {
  return { ok: false, error: { code: 'INVALID_INPUT', message } };
}

/** Writes every "file" part under `dir`, one sub-folder per file so two drops of the same name stay apart. */
export function receiveFiles(req: IncomingMessage, dir: string, limits: UploadLimits): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { files: limits.maxFiles, fileSize: limits.maxBytes, fields: 16, parts: limits.maxFiles + 16 },
      });
    } catch (error) {
      reject(new UploadError(400, `Upload could not be read: ${(error as Error).message}`));
      return;
    }
    const paths: string[] = [];
    const writes: Promise<void>[] = [];
    const open = new Set<Readable>();
    let total = 0;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      for (const stream of open) stream.destroy();
      req.resume();
      reject(error);
    };
    parser.on('file', (field, stream, info) => {
      if (failed || field !== 'file') {
        stream.resume();
        return;
      }
      const index = paths.length;
      const target = path.join(dir, String(index), safeUploadName(info.filename ?? '', index));
      paths.push(target);
      open.add(stream);
      stream.on('limit', () => fail(new UploadError(413, `"${path.basename(target)}" is over the ${limits.maxBytes}-byte upload limit`)));
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          total += chunk.length;
          if (total > limits.maxBytes) done(new UploadError(413, `Upload is over the ${limits.maxBytes}-byte limit of one request: send it in parts`));
          else done(null, chunk);
        },
      });
      const write = fs
        .mkdir(path.dirname(target))
        .then(() => pipeline(stream, counter, createWriteStream(target, { flags: 'wx' })))
        .finally(() => open.delete(stream));
      write.catch(fail);
      writes.push(write);
    });
    parser.on('filesLimit', () =>
      fail(new UploadError(413, `More than ${limits.maxFiles} files in one upload: send them in parts of at most ${limits.maxFiles}`)),
    );
    parser.on('partsLimit', () => fail(new UploadError(413, 'Too many parts in one upload')));
    parser.on('fieldsLimit', () => fail(new UploadError(413, 'Too many fields in one upload')));
    parser.on('error', (error: Error) => fail(new UploadError(400, `Upload could not be read: ${error.message}`)));
    parser.on('close', () => {
      if (!failed) Promise.all(writes).then(() => resolve(paths), fail);
    });
    req.on('close', () => {
      if (!req.complete) fail(new UploadError(400, 'The upload was interrupted before it ended'));
    });
    req.pipe(parser);
  });
}

export async function importUpload(
  api: Api,
  req: IncomingMessage,
  limits: UploadLimits,
): Promise<{ status: number; body: Result<ImportResult> }> {
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    req.resume();
    return { status: 415, body: failure('Upload photos as multipart/form-data with one or more "file" fields') };
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    req.resume();
    return { status: 413, body: failure(`Upload of ${declared} bytes is over the ${limits.maxBytes}-byte limit of one request: send it in parts`) };
  }
  const dir = await fs.mkdtemp(path.join(limits.tempRoot, 'glimpse-upload-'));
  try {
    let paths: string[];
    try {
      paths = await receiveFiles(req, dir, limits);
    } catch (error) {
      if (error instanceof UploadError) return { status: error.status, body: failure(error.message) };
      throw error;
    }
    if (paths.length === 0) return { status: 400, body: failure('Upload contained no "file" fields') };
    const result = await api.invoke('import.files', { paths });
    if (!result.ok) return { status: 400, body: result };
    // A failure names the file the person dropped, not the temp copy it was read from.
    const failed = result.value.failed.map((failure) => ({ ...failure, path: path.basename(failure.path) }));
    return { status: 200, body: { ok: true, value: { ...result.value, failed } } };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
