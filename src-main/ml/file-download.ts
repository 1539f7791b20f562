// Fetches one large file over HTTP into `<file>.part`, resuming with Range requests after a dropped connection
// (model weights are hundreds of MB), and only renames it into place once its size and sha256 check out.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface FileDownloadRequest {
  url: string;
  destination: string;
  /** Exact expected size; when null the server's Content-Length/Content-Range is trusted. */
  expectedBytes: number | null;
  /** Known sha256; when null, the hub's LFS sha256 (X-Linked-Etag on the redirect) is used if it sends one. */
  expectedSha256: string | null;
  headers?: Record<string, string>;
  onProgress?: (receivedBytes: number, totalBytes: number | null) => void;
  /** Attempts after a dropped connection or a 5xx answer, each resuming where the last one stopped. */
  maxAttempts?: number;
  retryDelayMs?: number;
  signal?: AbortSignal;
}

/** A failure no retry will fix (404, checksum mismatch): the caller reports it as is. */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

interface OpenedResponse {
  response: Response;
  /** sha256 the hub publishes for LFS files, read from the first hop before the CDN redirect. */
  linkedSha256: string | null;
  linkedBytes: number | null;
}

const SHA256_PATTERN = /^[0-9a-f]{64}$/;

function parseLinkedEtag(value: string | null): string | null {
  if (!value) return null;
  const bare = value.replace(/^W\//, '').replaceAll('"', '').trim().toLowerCase();
  return SHA256_PATTERN.test(bare) ? bare : null;
}

async function openResponse(url: string, offset: number, request: FileDownloadRequest): Promise<OpenedResponse> {
  const headers: Record<string, string> = { ...request.headers };
  if (offset > 0) headers.Range = `bytes=${offset}-`;
  const first = await fetch(url, { headers, redirect: 'manual', signal: request.signal });
  if (first.status < 300 || first.status >= 400) return { response: first, linkedSha256: null, linkedBytes: null };
  const location = first.headers.get('location');
  const linkedSha256 = parseLinkedEtag(first.headers.get('x-linked-etag'));
  const linkedSize = Number(first.headers.get('x-linked-size'));
  await first.body?.cancel();
  if (!location) throw new DownloadError(`${url} redirected without a location`, url, false);
  // The CDN hop gets the Range but not our own headers (they may carry a hub token).
  const rangeOnly: Record<string, string> = offset > 0 ? { Range: `bytes=${offset}-` } : {};
  const response = await fetch(new URL(location, url), { headers: rangeOnly, signal: request.signal });
  return { response, linkedSha256, linkedBytes: Number.isFinite(linkedSize) && linkedSize > 0 ? linkedSize : null };
}

/** Total size from `Content-Range: bytes a-b/total` or from Content-Length plus the resume offset. */
function totalFromResponse(response: Response, offset: number): number | null {
  const range = response.headers.get('content-range');
  const match = range?.match(/\/(\d+)\s*$/);
  if (match) return Number(match[1]);
  const length = Number(response.headers.get('content-length'));
  return Number.isFinite(length) && length >= 0 && response.headers.has('content-length') ? length + offset : null;
}

async function partSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Downloads `request.url` to `request.destination`. A `.part` file left by an earlier run is resumed. Resolves once
 * the verified file is in place; rejects with a DownloadError naming the URL and the cause otherwise.
 */
export async function downloadFile(request: FileDownloadRequest): Promise<void> {
  const partFile = `${request.destination}.part`;
  await mkdir(path.dirname(request.destination), { recursive: true });
  const maxAttempts = request.maxAttempts ?? 5;
  let expectedSha256 = request.expectedSha256?.toLowerCase() ?? null;
  let total = request.expectedBytes;
  let lastError: unknown;
  let completed = false;

  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    if (attempt > 1) await sleep((request.retryDelayMs ?? 500) * 2 ** (attempt - 2));
    let offset = await partSize(partFile);
    if (total !== null && offset > total) {
      await rm(partFile, { force: true });
      offset = 0;
    }
    try {
      const opened = await openResponse(request.url, offset, request);
      expectedSha256 ??= opened.linkedSha256;
      total ??= opened.linkedBytes;
      const { response } = opened;
      if (response.status === 416 && offset > 0) {
        // The part is already whole (or longer than the file): let verification decide.
        await response.body?.cancel();
        completed = true;
        break;
      }
      if (response.status === 404) {
        await response.body?.cancel();
        throw new DownloadError(`${request.url} was not found (HTTP 404)`, request.url, false);
      }
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        throw new DownloadError(`${request.url} answered HTTP ${response.status}`, request.url, response.status >= 500);
      }
      if (response.status === 200 && offset > 0) {
        // The server ignored the Range header: start over rather than append a second copy.
        await truncate(partFile, 0);
        offset = 0;
      }
      total ??= totalFromResponse(response, offset);
      let received = offset;
      let lastReport = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          received += chunk.length;
          const now = Date.now();
          if (now - lastReport >= 200) {
            lastReport = now;
            request.onProgress?.(received, total);
          }
          callback(null, chunk);
        },
      });
      await pipeline(
        Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>),
        counter,
        createWriteStream(partFile, { flags: offset > 0 ? 'a' : 'w' }),
      );
      request.onProgress?.(received, total);
      if (total === null || received >= total) {
        completed = true;
        break;
      }
      lastError = new DownloadError(`${request.url} ended after ${received} of ${total} bytes`, request.url, true);
    } catch (error) {
      if (error instanceof DownloadError && !error.retryable) throw error;
      if (request.signal?.aborted) throw error;
      lastError = error;
    }
  }
  if (!completed) {
    const cause = lastError instanceof Error ? lastError.message : String(lastError);
    throw new DownloadError(
      `${request.url} failed after ${maxAttempts} attempts (${cause}); the partial file is kept and the next try resumes it`,
      request.url,
      true,
    );
  }
  await verifyPart(request, partFile, total, expectedSha256);
  await rename(partFile, request.destination);
}

async function verifyPart(request: FileDownloadRequest, partFile: string, total: number | null, sha256: string | null) {
  const size = await partSize(partFile);
  if (total !== null && size !== total) {
    await rm(partFile, { force: true });
    throw new DownloadError(`${request.url} gave ${size} bytes, expected ${total}; the download was discarded`, request.url, true);
  }
  if (sha256) {
    const actual = await sha256OfFile(partFile);
    if (actual !== sha256) {
      await rm(partFile, { force: true });
      throw new DownloadError(
        `${request.url} failed its checksum (sha256 ${actual}, expected ${sha256}); the download was discarded`,
        request.url,
        false,
      );
    }
  }
}
