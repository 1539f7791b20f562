// Browser drag & drop cannot hand the server a path, so dropped files arrive as multipart uploads: they are written
// to a private temp folder, imported through `import.files` (which copies them into the library), then removed.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { ImportResult, Result } from '../../src-preload/api';
import type { Api } from '../api/api-types';

export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

/** A dropped file's name reduced to a plain file name: no folders, no control characters. */
export function safeUploadName(name: string, index: number): string {
  const printable = [...name].filter((char) => char.charCodeAt(0) >= 0x20).join('');
  const base = path.basename(printable.replace(/\\/g, '/')).replace(/[<>:"|?*]/g, '_').trim();
  return base && base !== '.' && base !== '..' ? base : `upload-${index}`;
}

function failure(message: string): Result<ImportResult> {
  return { ok: false, error: { code: 'INVALID_INPUT', message } };
}

export async function importUpload(api: Api, req: IncomingMessage): Promise<{ status: number; body: Result<ImportResult> }> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) {
    return { status: 415, body: failure('Upload photos as multipart/form-data with one or more "file" fields') };
  }
  const length = Number(req.headers['content-length'] ?? NaN);
  if (!Number.isFinite(length)) return { status: 411, body: failure('Upload needs a Content-Length header') };
  if (length > MAX_UPLOAD_BYTES) {
    return { status: 413, body: failure(`Upload of ${length} bytes is over the ${MAX_UPLOAD_BYTES}-byte limit`) };
  }
  let form: FormData;
  try {
    const request = new Request('http://upload.local/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
      duplex: 'half',
    } as RequestInit);
    form = await request.formData();
  } catch (error) {
    return { status: 400, body: failure(`Upload could not be read: ${(error as Error).message}`) };
  }
  const files = form.getAll('file').filter((entry): entry is File => typeof entry !== 'string');
  if (files.length === 0) return { status: 400, body: failure('Upload contained no "file" fields') };

  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'glimpse-upload-'));
  try {
    const paths: string[] = [];
    for (const [index, file] of files.entries()) {
      // One sub-folder per file keeps two uploads with the same name apart without renaming either.
      const target = path.join(dir, String(index), safeUploadName(file.name, index));
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, Buffer.from(await file.arrayBuffer()));
      paths.push(target);
    }
    const result = await api.invoke('import.files', { paths });
    return { status: result.ok ? 200 : 400, body: result };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
