// Browser mode's side of the one client interface: the GlimpseBridge contract over the local server's HTTP, with the
// token in a header on every call (never a cookie, never the address), events read through fetch for the same reason
// (EventSource cannot send headers), images by the page key, and uploads for drag & drop sent in parts.
import type { GlimpseBridge, GlimpseEvent, ImportResult, Result } from '../../src-preload/api';

export interface HttpClientOptions {
  /** '' for the page's own origin. */
  baseUrl?: string;
  token: string;
  /** The per-run key the server put in the page; it opens image addresses and nothing else. */
  pageKey: string;
  fetch?: typeof fetch;
}

export interface HttpBridge extends GlimpseBridge {
  uploadFiles(files: File[], onProgress?: (sentFiles: number, totalFiles: number) => void): Promise<Result<ImportResult>>;
}

const TOKEN_HEADER = 'x-glimpse-token';
/** One upload request stays well inside the server's limits (1,000 files, 2 GiB), so a drop of any size goes in parts. */
export const UPLOAD_PART_FILES = 500;
export const UPLOAD_PART_BYTES = 256 * 1024 * 1024;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;

function unreachable(error: unknown): Result<never> {
  return {
    ok: false,
    error: { code: 'BACKEND_UNAVAILABLE', message: `Glimpse's server did not answer: ${(error as Error).message}` },
  };
}

async function readResult<T>(response: Response): Promise<Result<T>> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as Result<T>;
    if (body && typeof body === 'object' && 'ok' in body) return body;
  } catch {
    // Falls through to the status line below: a proxy or a crash answered with something that is not a Result.
  }
  return { ok: false, error: { code: 'INTERNAL', message: `Unexpected answer (${response.status}): ${text.slice(0, 200)}` } };
}

/** Files grouped into upload requests of at most `maxFiles` files and (but for one huge file alone) `maxBytes`. */
export function uploadParts(files: File[], maxFiles = UPLOAD_PART_FILES, maxBytes = UPLOAD_PART_BYTES): File[][] {
  const parts: File[][] = [];
  let current: File[] = [];
  let bytes = 0;
  for (const file of files) {
    if (current.length && (current.length >= maxFiles || bytes + file.size > maxBytes)) {
      parts.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += file.size;
  }
  if (current.length) parts.push(current);
  return parts;
}

/** Calls `onEvent` for each `data:` event of a server-sent event stream until it ends. */
async function readEventStream(body: ReadableStream<Uint8Array>, onEvent: (data: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
      if (data.length) onEvent(data.join('\n'));
    }
  }
}

export function createHttpClient(options: HttpClientOptions): HttpBridge {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const authHeader = { [TOKEN_HEADER]: options.token };
  const listeners = new Set<(event: GlimpseEvent) => void>();
  let stream: AbortController | null = null;

  function dispatch(data: string): void {
    let event: GlimpseEvent;
    try {
      event = JSON.parse(data) as GlimpseEvent;
    } catch {
      return;
    }
    for (const listener of listeners) listener(event);
  }

  /** Reads events until unsubscribed, reconnecting with back-off when the server restarts or drops a slow reader. */
  async function followEvents(controller: AbortController): Promise<void> {
    let delay = RECONNECT_MIN_MS;
    while (!controller.signal.aborted) {
      try {
        const response = await doFetch(`${base}/api/events`, { headers: authHeader, signal: controller.signal, cache: 'no-store' });
        if (response.ok && response.body) {
          delay = RECONNECT_MIN_MS;
          await readEventStream(response.body, dispatch);
        }
      } catch {
        // The stream was cut or the server is away: try again after the delay below.
      }
      if (controller.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, RECONNECT_MAX_MS);
    }
  }

  async function uploadPart(files: File[]): Promise<Result<ImportResult>> {
    const form = new FormData();
    for (const file of files) form.append('file', file, file.name);
    try {
      const response = await doFetch(`${base}/api/upload`, { method: 'POST', headers: authHeader, body: form });
      return await readResult<ImportResult>(response);
    } catch (error) {
      return unreachable(error);
    }
  }

  /** Image bytes go as a multipart upload: base64 in JSON would meet the server's 1 MB body limit. */
  async function detectFacesInBytes(base64: string): Promise<Result<never>> {
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const form = new FormData();
    form.append('file', new Blob([bytes]), 'image');
    try {
      const response = await doFetch(`${base}/api/faces.detect`, { method: 'POST', headers: authHeader, body: form });
      return await readResult(response);
    } catch (error) {
      return unreachable(error);
    }
  }

  return {
    async invoke(operation, input) {
      if (operation === 'faces.detect' && typeof input === 'object' && input !== null && 'bytes' in input && typeof input.bytes === 'string') {
        return detectFacesInBytes(input.bytes);
      }
      try {
        const response = await doFetch(`${base}/api/${operation}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...authHeader },
          body: input === undefined ? '' : JSON.stringify(input),
        });
        return await readResult(response);
      } catch (error) {
        return unreachable(error);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!stream) {
        stream = new AbortController();
        void followEvents(stream);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && stream) {
          stream.abort();
          stream = null;
        }
      };
    },
    imageUrl: (id, size) => `${base}/media/${size}/${id}?key=${encodeURIComponent(options.pageKey)}`,
    async uploadFiles(files, onProgress) {
      const total: ImportResult = { indexed: 0, duplicates: 0, failed: [] };
      let sent = 0;
      for (const part of uploadParts(files)) {
        const result = await uploadPart(part);
        if (!result.ok) {
          if (sent === 0) return result;
          const message = `${result.error.message} (the first ${sent} of ${files.length} files were imported)`;
          return { ok: false, error: { ...result.error, message } };
        }
        total.indexed += result.value.indexed;
        total.duplicates += result.value.duplicates;
        total.failed.push(...result.value.failed);
        sent += part.length;
        onProgress?.(sent, files.length);
      }
      return { ok: true, value: total };
    },
  };
}
