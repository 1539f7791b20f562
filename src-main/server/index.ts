// Browser mode: the same Api the window uses, over HTTP on 127.0.0.1 — JSON calls, server-sent events, image bytes by
// id, uploads for drag & drop, and the built renderer — for headless/NAS use and for end-to-end tests in Chromium.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GalleryRequest, Result } from '../../src-preload/api';
import type { Api, ImageSize } from '../api/api-types';
import { TOKEN_COOKIE, generateToken, hostAllowed, presentedToken, tokenMatches } from './access-token';
import { serveRendererFile } from './renderer-files';
import { importUpload } from './uploads';

export interface ServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The per-run secret; a random one is generated when absent. */
  token?: string;
  /** The built renderer (index.html + assets); null serves the Api only. */
  rendererDir?: string | null;
  /** Largest JSON request body accepted. */
  maxJsonBytes?: number;
}

export interface RunningServer {
  /** The page to open, token included. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const IMAGE_SIZES: readonly ImageSize[] = ['thumb', 'view', 'original'];
const OPERATION_NAME = /^[a-z]+\.[a-zA-Z]+$/;
const PHOTO_ID = /^[1-9][0-9]{0,15}$/;
const DOT_SEGMENT = /(^|\/|%2f|\\|%5c)(\.|%2e){1,2}(\/|%2f|\\|%5c|$)/i;

const STATUS_BY_CODE: Record<string, number> = {
  INVALID_INPUT: 400,
  NOT_A_DIRECTORY: 400,
  ALREADY_ADDED: 409,
  NESTED_FOLDER: 409,
  FOLDER_REFUSED: 403,
  CONFIRMATION_REQUIRED: 409,
  UNSUPPORTED_FORMAT: 415,
  NOT_FOUND: 404,
  PERMISSION_DENIED: 403,
  MODEL_MISSING: 503,
  MODEL_DOWNLOAD_FAILED: 502,
  OFFLINE: 503,
  BACKEND_UNAVAILABLE: 503,
  INTERNAL: 500,
};

function statusOf(result: Result<unknown>): number {
  return result.ok ? 200 : (STATUS_BY_CODE[result.error.code] ?? 500);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function refuse(res: http.ServerResponse, status: number, message: string, code = 'INVALID_INPUT'): void {
  sendJson(res, status, { ok: false, error: { code, message } });
}

async function readJsonBody(req: http.IncomingMessage, limit: number): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return { ok: false, message: `Request body is over the ${limit}-byte limit` };
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `Request body is not valid JSON: ${(error as Error).message}` };
  }
}

function positiveInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

export async function startServer(api: Api, options: ServerOptions = {}): Promise<RunningServer> {
  const token = options.token ?? generateToken();
  const rendererDir = options.rendererDir ?? null;
  const maxJsonBytes = options.maxJsonBytes ?? 1024 * 1024;
  const eventStreams = new Set<http.ServerResponse>();
  let port = 0;

  function streamEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': connected\n\n');
    const unsubscribe = api.subscribe((event) => {
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    });
    // Proxies and idle timeouts close silent streams; a comment line every 20 s keeps it open.
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 20_000);
    eventStreams.add(res);
    const stop = () => {
      clearInterval(heartbeat);
      unsubscribe();
      eventStreams.delete(res);
    };
    req.on('close', stop);
    res.on('close', stop);
  }

  async function serveImage(res: http.ServerResponse, size: string, id: string): Promise<void> {
    if (!IMAGE_SIZES.includes(size as ImageSize)) return refuse(res, 400, `Unknown image size "${size}": use thumb, view or original`);
    if (!PHOTO_ID.test(id)) return refuse(res, 400, 'Images are served by photo id only', 'INVALID_INPUT');
    const file = await api.imageFile(Number(id), size as ImageSize);
    if (!file) return refuse(res, 404, `No ${size} image for photo ${id}`, 'NOT_FOUND');
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file.path);
    } catch {
      return refuse(res, 404, `The file for photo ${id} is gone from disk`, 'NOT_FOUND');
    }
    res.writeHead(200, {
      'content-type': file.contentType,
      'content-length': String(stat.size),
      'cache-control': 'private, max-age=60',
      'x-content-type-options': 'nosniff',
    });
    fs.createReadStream(file.path).on('error', () => res.destroy()).pipe(res);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!hostAllowed(req, port)) return refuse(res, 403, 'Requests must be addressed to 127.0.0.1 or localhost', 'PERMISSION_DENIED');
    const presented = presentedToken(req, url);
    if (!tokenMatches(presented, token)) {
      return refuse(res, 401, 'Missing or wrong access token: open the URL printed by `glimpse serve`', 'PERMISSION_DENIED');
    }
    // URL parsing would silently resolve '..' segments; a request that has them is refused, not reinterpreted.
    if (DOT_SEGMENT.test((req.url ?? '/').split('?')[0])) return refuse(res, 400, 'Paths with ".." segments are refused');
    // Opening the page with ?token= leaves a same-site cookie, so the page's own assets, images and events need no token.
    if (url.searchParams.has('token')) {
      res.setHeader('set-cookie', `${TOKEN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`);
    }
    const { pathname } = url;
    const method = req.method ?? 'GET';

    if (pathname === '/api/events' && method === 'GET') return streamEvents(req, res);
    if (pathname === '/api/upload') {
      if (method !== 'POST') return refuse(res, 405, 'Upload with POST');
      const { status, body } = await importUpload(api, req);
      return sendJson(res, status, body);
    }
    if (pathname.startsWith('/api/')) {
      if (method !== 'POST') return refuse(res, 405, 'Api operations are called with POST and a JSON body');
      const operation = pathname.slice('/api/'.length);
      if (!OPERATION_NAME.test(operation)) return refuse(res, 404, `Unknown operation "${operation}"`, 'NOT_FOUND');
      const body = await readJsonBody(req, maxJsonBytes);
      if (!body.ok) return refuse(res, 400, body.message);
      const result = await api.invoke(operation as never, body.value);
      return sendJson(res, statusOf(result), result);
    }
    const media = /^\/media\/([^/]+)\/(.+)$/.exec(pathname);
    if (media) {
      if (method !== 'GET' && method !== 'HEAD') return refuse(res, 405, 'Images are fetched with GET');
      return serveImage(res, media[1], media[2]);
    }
    if (pathname === '/gallery' && method === 'GET') {
      // The seed's endpoint, kept for scripts written against it: page numbers from 1, page_size.
      const input: GalleryRequest = {
        page: positiveInt(url.searchParams.get('page')),
        pageSize: positiveInt(url.searchParams.get('page_size')),
      };
      const result = await api.invoke('gallery.page', input);
      return sendJson(res, statusOf(result), result.ok ? result.value : result);
    }
    if (method !== 'GET' && method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
    return serveRendererFile(rendererDir, pathname, token, res);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else refuse(res, 500, `Internal error: ${(error as Error).message}`, 'INTERNAL');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${encodeURIComponent(token)}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of eventStreams) stream.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
