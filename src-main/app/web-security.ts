// What the window may load and ask for: only the app's own renderer files, its image protocol and (in development)
// the dev server, compared by exact origin; one harmless permission. Free of Electron so the rules are unit-tested.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSameOrInside } from '../library/folder-rules';

export interface AppOrigins {
  /** file:// URL of the renderer's index.html. */
  rendererFileUrl: string;
  /** The folder the renderer was built into: the only files the window may load. */
  rendererDir: string;
  /** The Vite dev server in development (ELECTRON_RENDERER_URL), else undefined. */
  devServerUrl?: string | undefined;
}

/** The one permission the window uses: writing to the clipboard (copy a path). */
const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);
/** Schemes that never leave the machine: the image protocol, devtools, inline data and in-page blobs. */
const LOCAL_SCHEMES: ReadonlySet<string> = new Set(['glimpse:', 'devtools:', 'data:', 'blob:']);

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function devServerOrigin(origins: AppOrigins): URL | null {
  const dev = origins.devServerUrl ? parse(origins.devServerUrl) : null;
  return dev && (dev.protocol === 'http:' || dev.protocol === 'https:') ? dev : null;
}

/** Whether a page or frame at `url` is Glimpse's own renderer: its index.html, or exactly the dev server's origin. */
export function isTrustedSender(url: string, origins: AppOrigins): boolean {
  const dev = devServerOrigin(origins);
  const parsed = parse(url);
  if (dev && parsed && parsed.origin === dev.origin) return true;
  return url.split('#')[0].split('?')[0] === origins.rendererFileUrl;
}

function isAppFile(url: URL, rendererDir: string): boolean {
  if (url.host !== '') return false;
  let file: string;
  try {
    file = fileURLToPath(url);
  } catch {
    return false;
  }
  return isSameOrInside(path.resolve(file), path.resolve(rendererDir));
}

/** Whether the window may load `url` at all. */
export function isAllowedRequest(url: string, origins: AppOrigins): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (LOCAL_SCHEMES.has(parsed.protocol)) return true;
  if (parsed.protocol === 'file:') return isAppFile(parsed, origins.rendererDir);
  const dev = devServerOrigin(origins);
  if (!dev || parsed.host !== dev.host) return false;
  // The dev server's own pages and its hot-reload socket, on exactly its host and port.
  const socket = dev.protocol === 'https:' ? 'wss:' : 'ws:';
  return parsed.protocol === dev.protocol || parsed.protocol === socket;
}

/** The parts of Electron's Session this module sets up. */
export interface SessionLike {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void,
  ): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string, requestingOrigin: string, details: { requestingUrl?: string }) => boolean): void;
  webRequest: {
    onBeforeRequest(listener: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void): void;
  };
}

/** A frame's origin without its URL: the dev server's exactly, or file:// (only the app's files can load there). */
function isTrustedOrigin(origin: string, origins: AppOrigins): boolean {
  if (origin === 'file://' || origin === 'file:///') return true;
  const dev = devServerOrigin(origins);
  return dev !== null && origin === dev.origin;
}

function mayUse(permission: string, frame: { url?: string | undefined; origin?: string | undefined }, origins: AppOrigins): boolean {
  if (!GRANTED_PERMISSIONS.has(permission)) return false;
  if (frame.url) return isTrustedSender(frame.url, origins);
  return frame.origin !== undefined && isTrustedOrigin(frame.origin, origins);
}

/** Installs the request filter and both permission handlers (a request handler alone leaves checks granted). */
export function secureSession(session: SessionLike, origins: AppOrigins): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(mayUse(permission, { url: details.requestingUrl }, origins)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    mayUse(permission, { url: details.requestingUrl, origin: requestingOrigin }, origins),
  );
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url, origins) }));
}
