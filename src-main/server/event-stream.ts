// Engine events to a browser as server-sent events. A client that stops reading must not make the server buffer
// events without bound: once more than a cap is waiting for it, it is disconnected (its page reconnects and reloads).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Api } from '../api/api-types';

export const DEFAULT_MAX_BUFFERED_EVENT_BYTES = 2 * 1024 * 1024;
const HEARTBEAT_MS = 20_000;

export function streamEvents(
  api: Api,
  req: IncomingMessage,
  res: ServerResponse,
  options: { maxBufferedBytes: number; streams: Set<ServerResponse> },
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const send = (chunk: string) => {
    if (res.destroyed) return;
    if (res.writableLength > options.maxBufferedBytes) {
      res.destroy();
      return;
    }
    res.write(chunk);
  };
  send(': connected\n\n');
  const unsubscribe = api.subscribe((event) => send(`data: ${JSON.stringify(event)}\n\n`));
  // Proxies and idle timeouts close silent streams; a comment line every 20 s keeps it open.
  const heartbeat = setInterval(() => send(': keep-alive\n\n'), HEARTBEAT_MS);
  options.streams.add(res);
  const stop = () => {
    clearInterval(heartbeat);
    unsubscribe();
    options.streams.delete(res);
  };
  req.on('close', stop);
  res.on('close', stop);
}
