// The window's request filter and permission handlers, through a fake session: only the app's own renderer files,
// the image protocol and (in development) exactly the dev server's origin load; one permission, for Glimpse only.
import { describe, expect, it } from 'vitest';
import { isAllowedRequest, isTrustedSender, secureSession, type AppOrigins, type SessionLike } from '../../src-main/app/web-security';

const RENDERER_DIR = '/opt/glimpse/resources/app.asar/out/renderer';
const packaged: AppOrigins = { rendererFileUrl: `file://${RENDERER_DIR}/index.html`, rendererDir: RENDERER_DIR };
const development: AppOrigins = { ...packaged, devServerUrl: 'http://localhost:5173' };

class FakeSession implements SessionLike {
  requestHandler: Parameters<SessionLike['setPermissionRequestHandler']>[0] | null = null;
  checkHandler: Parameters<SessionLike['setPermissionCheckHandler']>[0] | null = null;
  beforeRequest: Parameters<SessionLike['webRequest']['onBeforeRequest']>[0] | null = null;
  webRequest = { onBeforeRequest: (listener: NonNullable<FakeSession['beforeRequest']>) => void (this.beforeRequest = listener) };
  setPermissionRequestHandler(handler: NonNullable<FakeSession['requestHandler']>) {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: NonNullable<FakeSession['checkHandler']>) {
    this.checkHandler = handler;
  }
  /** Whether a request for `url` would be cancelled. */
  cancels(url: string): boolean {
    let cancel: boolean | undefined;
    this.beforeRequest!({ url }, (response) => (cancel = response.cancel));
    return cancel === true;
  }
  asks(permission: string, requestingUrl: string): boolean {
    let granted: boolean | undefined;
    this.requestHandler!(null, permission, (answer) => (granted = answer), { requestingUrl });
    return granted === true;
  }
}

describe('window request filter', () => {
  it('loads the renderer’s own files and the image protocol, and no other file on disk', () => {
    const session = new FakeSession();
    secureSession(session, packaged);
    for (const url of [`file://${RENDERER_DIR}/index.html`, `file://${RENDERER_DIR}/assets/index-1a2b.js`, 'glimpse://thumb/4', 'data:image/png;base64,AAAA', 'devtools://devtools/bundled/inspector.html']) {
      expect(session.cancels(url), url).toBe(false);
    }
    for (const url of [
      'file:///etc/passwd',
      'file:///home/ann/Pictures/beach.jpg',
      `file://${RENDERER_DIR}/../../../../../etc/passwd`,
      `file://${RENDERER_DIR}/%2e%2e/%2e%2e/secrets`,
      `file://${RENDERER_DIR}-evil/index.html`,
      'file://fileserver/share/index.html',
      'https://evil.example/',
      'http://localhost:5173/',
      'not a url',
    ]) {
      expect(session.cancels(url), url).toBe(true);
    }
  });

  it('in development, allows exactly the dev server’s origin and its hot-reload socket', () => {
    const session = new FakeSession();
    secureSession(session, development);
    expect(session.cancels('http://localhost:5173/src/main.tsx')).toBe(false);
    expect(session.cancels('ws://localhost:5173/')).toBe(false);
    for (const url of ['http://localhost:5174/', 'http://localhost:5173.evil.example/', 'http://127.0.0.1:8080/', 'ws://localhost:9229/', 'https://localhost:5173/']) {
      expect(session.cancels(url), url).toBe(true);
    }
  });
});

describe('trusted sender', () => {
  it('compares the dev server’s origin exactly, not as a prefix', () => {
    expect(isTrustedSender('http://localhost:5173/', development)).toBe(true);
    expect(isTrustedSender('http://localhost:5173/#/search', development)).toBe(true);
    expect(isTrustedSender('http://localhost:5173.evil.example/', development)).toBe(false);
    expect(isTrustedSender('http://localhost:51730/', development)).toBe(false);
    expect(isTrustedSender('http://localhost:5173@evil.example/', development)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/', packaged)).toBe(false);
  });

  it('accepts the renderer page with a query or fragment and nothing beside it', () => {
    expect(isTrustedSender(`${packaged.rendererFileUrl}#/folders`, packaged)).toBe(true);
    expect(isTrustedSender(`${packaged.rendererFileUrl}.evil`, packaged)).toBe(false);
    expect(isTrustedSender('file:///tmp/index.html', packaged)).toBe(false);
  });

  it('is what the request filter trusts too', () => {
    expect(isAllowedRequest('http://localhost:5173/', development)).toBe(true);
    expect(isAllowedRequest('http://localhost:5173/', packaged)).toBe(false);
  });
});

describe('permissions', () => {
  it('grants clipboard writes to the Glimpse page only and denies every other request and check', () => {
    const session = new FakeSession();
    secureSession(session, development);
    expect(session.asks('clipboard-sanitized-write', packaged.rendererFileUrl)).toBe(true);
    expect(session.asks('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fileSystem']) {
      expect(session.asks(permission, packaged.rendererFileUrl), permission).toBe(false);
    }
    const check = session.checkHandler!;
    expect(check(null, 'clipboard-sanitized-write', 'file:///', { requestingUrl: packaged.rendererFileUrl })).toBe(true);
    expect(check(null, 'clipboard-sanitized-write', 'http://localhost:5173', {})).toBe(true);
    expect(check(null, 'clipboard-sanitized-write', 'https://evil.example', {})).toBe(false);
    for (const permission of ['media', 'hid', 'serial', 'usb', 'geolocation', 'storage-access']) {
      expect(check(null, permission, 'file:///', { requestingUrl: packaged.rendererFileUrl }), permission).toBe(false);
    }
  });
});
