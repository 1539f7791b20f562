// Browser mode: the same Api the window uses, over HTTP on 127.0.0.1 — JSON calls, server-sent events, image bytes by
// id, uploads for drag & drop, and the built renderer — for headless/NAS use and for end-to-end tests in Chromium.
// What each route accepts as proof of the token, and why, is in the README's "Security" section.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import type { GalleryRequest, Result } from '../../src-preload/api';
import type { Api, ImageSize } from '../api/api-types';
import { CLEAR_LEGACY_COOKIE, generateToken, hasLegacyCookie, headerToken, hostAllowed, tokenMatches } from './access-token';
import { DEFAULT_MAX_BUFFERED_EVENT_BYTES, streamEvents } from './event-stream';
import { PAGE_FILES_PREFIX, serveRendererFile } from './renderer-files';
import { foreignOriginReason, mediaTypeOf } from './request-origin';
import { sendSignInPage, wantsHtml } from './sign-in-page';
import { detectFacesUpload, MAX_FACE_IMAGE_BYTES } from './face-upload';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, importUpload } from './uploads';

export interface ServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The per-run secret; a random one is generated when absent. */
  token?: string;
  /** The built renderer (index.html + assets); null serves the Api only. */
  rendererDir?: string | null;
  /** Largest JSON request body accepted. */
  maxJsonBytes?: number;
  /** Limits of one upload request, and where its temp folder is made (the OS temp folder by default). */
  uploads?: { maxBytes?: number; maxFiles?: number; tempRoot?: string; maxFaceImageBytes?: number };
  /** Bytes of events allowed to wait for one slow SSE client before it is disconnected. */
  maxBufferedEventBytes?: number;
  /** Where internal errors are written; standard error by default. */
  log?: (line: string) => void;
}

export interface RunningServer {
  /** The page to open, token included (the page drops it from the address bar once it has it). */
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

/** Headers on every answer: nothing may be embedded by or leak its address to another origin. */
const COMMON_HEADERS: Record<string, string> = {
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

const NO_TOKEN = 'Missing or wrong access token: open the link printed by `glimpse serve` (or `npm start`)';
const TOKEN_IN_HEADER = 'Api calls must send the access token in the X-Glimpse-Token header; a token in the address only opens the page';

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
  const pageKey = generateToken();
  const uploadLimits = {
    maxBytes: options.uploads?.maxBytes ?? MAX_UPLOAD_BYTES,
    maxFiles: options.uploads?.maxFiles ?? MAX_UPLOAD_FILES,
    tempRoot: options.uploads?.tempRoot ?? os.tmpdir(),
  };
  const faceUploadLimits = { maxBytes: options.uploads?.maxFaceImageBytes ?? MAX_FACE_IMAGE_BYTES, tempRoot: uploadLimits.tempRoot };
  const maxBufferedEventBytes = options.maxBufferedEventBytes ?? DEFAULT_MAX_BUFFERED_EVENT_BYTES;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let port = 0;

  /** Internal messages can name files and code: they go to the log, and the answer carries a reference to them. */
  function internalFailure(detail: string): Result<never> {
    const reference = randomBytes(4).toString('hex');
    log(`glimpse serve: internal error ${reference}: ${detail}`);
    return { ok: false, error: { code: 'INTERNAL', message: `Internal error (reference ${reference}): the details are in Glimpse's log` } };
  }

  function sendResult(res: http.ServerResponse, status: number, result: Result<unknown>): void {
    if (!result.ok && result.error.code === 'INTERNAL') return sendJson(res, 500, internalFailure(result.error.message));
    sendJson(res, status, result);
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
    for (const [name, value] of Object.entries(COMMON_HEADERS)) res.setHeader(name, value);
    if (!hostAllowed(req, port)) return refuse(res, 403, 'Requests must be addressed to 127.0.0.1 or localhost', 'PERMISSION_DENIED');
    // The cookie older versions set would still go to every server on 127.0.0.1: expire it wherever it shows up.
    if (hasLegacyCookie(req)) res.setHeader('set-cookie', CLEAR_LEGACY_COOKIE);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      return refuse(res, 400, 'The request address could not be read');
    }
    // URL parsing would silently resolve '..' segments; a request that has them is refused, not reinterpreted.
    const rawPath = (req.url ?? '/').split('?')[0];
    if (DOT_SEGMENT.test(rawPath)) return refuse(res, 400, 'Paths with ".." segments are refused');
    const { pathname } = url;
    const method = req.method ?? 'GET';
    const fromHeader = tokenMatches(headerToken(req), token);

    if (pathname.startsWith('/api/')) {
      if (!fromHeader) return refuse(res, 401, url.searchParams.has('token') ? TOKEN_IN_HEADER : NO_TOKEN, 'PERMISSION_DENIED');
      const isEvents = pathname === '/api/events';
      const foreign = foreignOriginReason(req, { changesState: !isEvents });
      if (foreign) return refuse(res, 403, foreign, 'PERMISSION_DENIED');
      if (isEvents) {
        if (method !== 'GET') return refuse(res, 405, 'Events are read with GET');
        return streamEvents(api, req, res, { maxBufferedBytes: maxBufferedEventBytes, streams: eventStreams });
      }
      if (method !== 'POST') return refuse(res, 405, 'Api operations are called with POST and a JSON body');
      if (pathname === '/api/upload') {
        const { status, body } = await importUpload(api, req, uploadLimits);
        if (!res.socket || res.socket.destroyed) return; // the client left mid-upload: nobody to answer
        if (status !== 200) res.setHeader('connection', 'close');
        return sendResult(res, status, body);
      }
      const operation = pathname.slice('/api/'.length);
      if (!OPERATION_NAME.test(operation)) return refuse(res, 404, `Unknown operation "${operation}"`, 'NOT_FOUND');
      // Image bytes for face detection would not fit the JSON limit: they may come as a multipart upload instead.
      if (operation === 'faces.detect' && mediaTypeOf(req) === 'multipart/form-data') {
        const { status, body } = await detectFacesUpload(api, req, faceUploadLimits);
        if (!res.socket || res.socket.destroyed) return;
        if (status !== null) res.setHeader('connection', 'close');
        return sendResult(res, status ?? statusOf(body), body);
      }
      // A form or a "simple" fetch from another page can send text/plain without asking first; JSON cannot be sent so.
      if (mediaTypeOf(req) !== 'application/json') {
        return refuse(res, 415, 'Api operations take a JSON body: send Content-Type: application/json', 'UNSUPPORTED_FORMAT');
      }
      const body = await readJsonBody(req, maxJsonBytes);
      if (!body.ok) {
        const hint = operation === 'faces.detect' ? ': send a large image as multipart/form-data with one "file" field instead' : '';
        // The rest of a body cut off at the limit is still on its way: this connection cannot carry another request.
        res.setHeader('connection', 'close');
        return refuse(res, 400, `${body.message}${hint}`);
      }
      const result = await api.invoke(operation as never, body.value);
      return sendResult(res, statusOf(result), result);
    }
    const pageFile = rawPath.startsWith(`${PAGE_FILES_PREFIX}${pageKey}/`) ? rawPath.slice(PAGE_FILES_PREFIX.length + pageKey.length) : null;
    const media = /^\/media\/([^/]+)\/(.+)$/.exec(pathname);
    // The token in the address opens the page (and the seed's /gallery for scripts); images never take it there.
    const fromUrl = !media && tokenMatches(url.searchParams.get('token'), token);
    const mediaKeyShown = media !== null && tokenMatches(url.searchParams.get('key'), pageKey);
    if (!fromHeader && !fromUrl && pageFile === null && !mediaKeyShown) {
      if (method === 'GET' && !media && wantsHtml(req.headers.accept)) return sendSignInPage(res);
      return refuse(res, 401, NO_TOKEN, 'PERMISSION_DENIED');
    }
    if (method !== 'GET' && method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
    // Opening the page is a navigation from anywhere (the terminal's link); its files and images load only into it.
    const opensPage = pageFile === null && !media && pathname !== '/gallery';
    if (!opensPage) {
      const foreign = foreignOriginReason(req, { changesState: false });
      if (foreign) return refuse(res, 403, foreign, 'PERMISSION_DENIED');
    }
    if (media) return serveImage(res, media[1], media[2]);
    if (pageFile !== null) return serveRendererFile(rendererDir, pageFile, null, res);
    if (pathname === '/gallery') {
      // The seed's endpoint, kept for scripts written against it: page numbers from 1, page_size.
      const input: GalleryRequest = {
        page: positiveInt(url.searchParams.get('page')),
        pageSize: positiveInt(url.searchParams.get('page_size')),
      };
      const result = await api.invoke('gallery.page', input);
      if (!result.ok) return sendResult(res, statusOf(result), result);
      return sendJson(res, 200, result.value);
    }
    return serveRendererFile(rendererDir, pathname, { token, pageKey }, res);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const failure = internalFailure((error as Error)?.stack ?? String(error));
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, failure);
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
