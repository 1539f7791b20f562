// Serves the built renderer (the same bundle Electron loads) to a browser, with the run's token placed in the page
// so its client can call the Api; nothing outside the renderer folder is reachable. Scripts, styles and fonts cannot
// send a header, so the page names them under /app/<page key>/, a per-run key that opens nothing but these files
// and images.
import fs from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.webp': 'image/webp',
};

/** The browser-mode page's policy: only its own scripts, styles, fonts, images and Api calls. */
export const BROWSER_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; " +
  "connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const TOKEN_META = 'glimpse-token';
export const PAGE_KEY_META = 'glimpse-page-key';
export const PAGE_FILES_PREFIX = '/app/';

/** What the page needs to call the Api (the token) and to load its files and images (the page key). */
export interface PageCredentials {
  token: string;
  pageKey: string;
}

/** The page with its credentials in meta tags and its own files addressed under the page key. */
export function preparePage(html: string, { token, pageKey }: PageCredentials): string {
  const metas = `<meta name="${TOKEN_META}" content="${token}">\n    <meta name="${PAGE_KEY_META}" content="${pageKey}">`;
  const withKey = html.replace(/(src|href)="\.?\/assets\//g, `$1="${PAGE_FILES_PREFIX}${pageKey}/assets/`);
  return withKey.includes('</head>') ? withKey.replace('</head>', `  ${metas}\n  </head>`) : `${metas}${withKey}`;
}

/** Resolves a request path inside `root`, or null when it would escape it or names nothing. */
export function resolveInside(root: string, requestPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const resolved = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  const rel = path.relative(root, resolved);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return resolved;
}

/**
 * Answers a request for the page or one of its files. Without `page` (a request that showed only the page key) the
 * page itself is not served, since it would hand out the token.
 */
export function serveRendererFile(
  rendererDir: string | null,
  requestPath: string,
  page: PageCredentials | null,
  res: ServerResponse,
): void {
  if (!rendererDir || !fs.existsSync(path.join(rendererDir, 'index.html'))) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The Glimpse interface is not built yet: run `npm run build:renderer` (or `npm run build`), then reload.\n');
    return;
  }
  let file = resolveInside(rendererDir, requestPath === '/' ? '/index.html' : requestPath);
  if (!file) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Bad path\n');
    return;
  }
  // Unknown routes without an extension are the single-page app's own routes.
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    if (path.extname(file)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
      return;
    }
    file = path.join(rendererDir, 'index.html');
  }
  const ext = path.extname(file);
  if (ext === '.html' && !page) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found\n');
    return;
  }
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
    'x-content-type-options': 'nosniff',
  };
  if (ext === '.html' && page) {
    headers['content-security-policy'] = BROWSER_CSP;
    headers['cache-control'] = 'no-store';
    res.writeHead(200, headers);
    res.end(preparePage(fs.readFileSync(file, 'utf8'), page));
    return;
  }
  headers['cache-control'] = requestPath.startsWith('/assets/') ? 'private, max-age=31536000, immutable' : 'no-cache';
  res.writeHead(200, headers);
  fs.createReadStream(file).pipe(res);
}
