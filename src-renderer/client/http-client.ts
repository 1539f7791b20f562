// Browser mode's side of the one client interface: the GlimpseBridge contract over the local server's HTTP + SSE,
// plus uploads for drag & drop (a browser cannot hand the server a file path).
import type { GlimpseBridge, GlimpseEvent, ImportResult, Result } from '../../src-preload/api';

export interface HttpClientOptions {
  /** '' for the page's own origin. */
  baseUrl?: string;
  token: string;
  fetch?: typeof fetch;
  createEventSource?: (url: string) => EventSource;
}

export interface HttpBridge extends GlimpseBridge {
  uploadFiles(files: File[]): Promise<Result<ImportResult>>;
}

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

export function createHttpClient(options: HttpClientOptions): HttpBridge {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const createEventSource = options.createEventSource ?? ((url: string) => new EventSource(url));
  const tokenQuery = `token=${encodeURIComponent(options.token)}`;
  const listeners = new Set<(event: GlimpseEvent) => void>();
  let source: EventSource | null = null;

  function openStream(): void {
    source = createEventSource(`${base}/api/events?${tokenQuery}`);
    source.onmessage = (message: MessageEvent<string>) => {
      let event: GlimpseEvent;
      try {
        event = JSON.parse(message.data) as GlimpseEvent;
      } catch {
        return;
      }
      for (const listener of listeners) listener(event);
    };
  }

  return {
    async invoke(operation, input) {
      try {
        const response = await doFetch(`${base}/api/${operation}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-glimpse-token': options.token },
          body: input === undefined ? '' : JSON.stringify(input),
        });
        return await readResult(response);
      } catch (error) {
        return unreachable(error);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!source) openStream();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
    imageUrl: (id, size) => `${base}/media/${size}/${id}?${tokenQuery}`,
    async uploadFiles(files) {
      const form = new FormData();
      for (const file of files) form.append('file', file, file.name);
      try {
        const response = await doFetch(`${base}/api/upload`, {
          method: 'POST',
          headers: { 'x-glimpse-token': options.token },
          body: form,
        });
        return await readResult<ImportResult>(response);
      } catch (error) {
        return unreachable(error);
      }
    },
  };
}
