// Browser mode's guarantees: nothing answers without the run's token, images only by id (no path reaches the disk),
// operations and the seed's /gallery reach the Api, events arrive over SSE, uploads are imported, the page is served.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src-main/server';
import { createRecordingApi, type RecordingApi } from '../transport/recording-api';

let api: RecordingApi;
let server: RunningServer;
let rendererDir: string;
const TOKEN = 'test-token-0123456789';

beforeAll(async () => {
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-renderer-'));
  fs.writeFileSync(
    path.join(rendererDir, 'index.html'),
    '<!doctype html><html><head><title>Glimpse</title><script type="module" crossorigin src="./assets/app.js"></script></head><body></body></html>',
  );
  fs.mkdirSync(path.join(rendererDir, 'assets'));
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("glimpse")');
  api = createRecordingApi({
    'folders.list': () => ({ ok: true, value: [] }),
    'gallery.page': (input) => ({ ok: true, value: { items: [], total: 0, page: 1, pageSize: 50, echo: input } }),
    'photos.get': () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'No photo with id 99' } }),
  });
  server = await startServer(api, { token: TOKEN, rendererDir });
});

afterAll(async () => {
  await server.close();
  await api.close();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

const url = (p: string) => `${server.origin}${p}`;

/** A GET sent exactly as written: fetch() would normalise away the '..' segments these tests are about. */
function rawGet(p: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: server.port, path: p, headers }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}
const authed = { 'x-glimpse-token': TOKEN };
const json = { ...authed, 'content-type': 'application/json' };

describe('access token', () => {
  it('refuses every kind of request without the token, with 401 and a reason', async () => {
    for (const [p, method] of [['/api/folders.list', 'POST'], ['/media/thumb/1', 'GET'], ['/', 'GET'], ['/api/events', 'GET'], ['/gallery', 'GET']] as const) {
      const response = await fetch(url(p), { method });
      expect(response.status, p).toBe(401);
      const body = (await response.json()) as { ok: boolean; error: { message: string } };
      expect(body.ok).toBe(false);
      expect(body.error.message).toMatch(/token/);
    }
    expect(api.calls).toHaveLength(0);
    expect(api.imageRequests).toHaveLength(0);
  });

  it('refuses a wrong token', async () => {
    const response = await fetch(url('/api/folders.list'), { method: 'POST', headers: { ...json, 'x-glimpse-token': `${TOKEN}x` } });
    expect(response.status).toBe(401);
  });

  it('accepts the token as a header or a bearer on Api calls, and in the address only to open the page', async () => {
    expect((await fetch(url('/api/folders.list'), { method: 'POST', headers: json })).status).toBe(200);
    expect((await fetch(url('/api/folders.list'), { method: 'POST', headers: { ...json, authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    const inAddress = await fetch(url(`/api/folders.list?token=${TOKEN}`), { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(inAddress.status).toBe(401);
    expect(((await inAddress.json()) as { error: { message: string } }).error.message).toMatch(/X-Glimpse-Token header/);
    expect((await fetch(url(`/?token=${TOKEN}`))).status).toBe(200);
    expect((await fetch(url(`/media/thumb/1?token=${TOKEN}`))).status).toBe(401);
  });

  it('refuses a request addressed to another host name (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: server.port, path: `/?token=${TOKEN}`, headers: { host: `evil.example:${server.port}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
    expect(status).toBe(403);
  });

  it('generates a different random token per run when none is given', async () => {
    const a = await startServer(api);
    const b = await startServer(api);
    try {
      expect(a.token).not.toBe(b.token);
      expect(a.token.length).toBeGreaterThanOrEqual(32);
      expect(a.url).toContain(`token=${encodeURIComponent(a.token)}`);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('operations', () => {
  it('passes the JSON body to the Api and returns its Result', async () => {
    const response = await fetch(url('/api/gallery.page'), { method: 'POST', headers: json, body: JSON.stringify({ page: 2, pageSize: 10 }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, value: { echo: { page: 2, pageSize: 10 } } });
  });

  it('maps a typed failure to its HTTP status and keeps the message', async () => {
    const response = await fetch(url('/api/photos.get'), { method: 'POST', headers: json, body: JSON.stringify({ id: 99 }) });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No photo with id 99' } });
  });

  it('refuses a body that is not JSON before the Api sees it', async () => {
    const before = api.calls.length;
    const response = await fetch(url('/api/gallery.page'), { method: 'POST', headers: json, body: '{page: 1' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
    expect(api.calls.length).toBe(before);
  });

  it('answers the seed’s GET /gallery?page=1&page_size=50 with the page itself', async () => {
    const response = await fetch(url(`/gallery?page=1&page_size=50&token=${TOKEN}`));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ total: 0, echo: { page: 1, pageSize: 50 } });
  });
});

describe('images by id only', () => {
  it('serves the bytes of the file the Api names for an id', async () => {
    const response = await fetch(url('/media/thumb/1'), { headers: authed });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/webp');
    expect(Buffer.from(await response.arrayBuffer()).toString()).toContain('fake-bytes-of-photo-1');
  });

  it('refuses any path-like id before asking the Api, and 404s an unknown id', async () => {
    const before = api.imageRequests.length;
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '%2Fetc%2Fpasswd', '1%2F..%2F2', '1abc', '-1', '0', '1.5', '..', '../../etc/passwd', '1/../2']) {
      const { status } = await rawGet(`/media/thumb/${id}`, authed);
      expect(status, id).toBe(400);
    }
    expect(api.imageRequests.length).toBe(before);
    expect((await fetch(url('/media/original/2'), { headers: authed })).status).toBe(404);
    expect((await fetch(url('/media/huge/1'), { headers: authed })).status).toBe(400);
  });

  it('never serves files outside the renderer folder through the page routes', async () => {
    const secret = path.join(path.dirname(rendererDir), 'secret.txt');
    fs.writeFileSync(secret, 'top secret');
    try {
      for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', `/..%2f${path.basename(rendererDir)}%2f..%2fsecret.txt`]) {
        const { body } = await rawGet(p, authed);
        expect(body, p).not.toContain('top secret');
      }
    } finally {
      fs.rmSync(secret);
    }
  });
});

describe('events', () => {
  it('delivers an engine event to an SSE subscriber and unsubscribes when it leaves', async () => {
    const controller = new AbortController();
    const response = await fetch(url('/api/events'), { headers: authed, signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    expect(text).toContain(': connected');
    api.emit({ type: 'notice', level: 'info', message: 'hello from the engine' });
    while (!text.includes('hello from the engine')) text += decoder.decode((await reader.read()).value);
    const line = text.split('\n').find((l) => l.startsWith('data: '))!;
    expect(JSON.parse(line.slice(6))).toEqual({ type: 'notice', level: 'info', message: 'hello from the engine' });
    controller.abort();
    await expect.poll(() => api.listenerCount()).toBe(0);
  });
});

describe('uploads', () => {
  it('saves dropped files to a temp folder, imports them, and removes the temp copies', async () => {
    const form = new FormData();
    form.append('file', new Blob(['first photo bytes']), 'beach.jpg');
    form.append('file', new Blob(['second photo bytes']), '../../escape.jpg');
    const response = await fetch(url('/api/upload'), { method: 'POST', headers: authed, body: form });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, value: { indexed: 2, duplicates: 0, failed: [] } });
    const call = api.calls.filter((c) => c.operation === 'import.files').pop()!;
    const paths = (call.input as { paths: string[] }).paths;
    expect(paths.map((p) => path.basename(p))).toEqual(['beach.jpg', 'escape.jpg']);
    expect(api.importedContents.slice(-2)).toEqual(['first photo bytes', 'second photo bytes']);
    for (const p of paths) expect(fs.existsSync(p)).toBe(false);
  });

  it('refuses an upload that is not multipart', async () => {
    const response = await fetch(url('/api/upload'), { method: 'POST', headers: { ...authed, 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(415);
  });
});

describe('the page', () => {
  it('serves the renderer with the token in a meta tag and a strict CSP', async () => {
    const response = await fetch(url(`/?token=${TOKEN}`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await response.text()).toContain(`<meta name="glimpse-token" content="${TOKEN}">`);
  });

  it('addresses the page’s own files under the per-run page key, which opens nothing else', async () => {
    const html = await (await fetch(url(`/?token=${TOKEN}`))).text();
    const pageKey = /<meta name="glimpse-page-key" content="([^"]+)">/.exec(html)![1];
    expect(pageKey).not.toBe(TOKEN);
    expect(html).toContain(`src="/app/${pageKey}/assets/app.js"`);
    expect(await (await fetch(url(`/app/${pageKey}/assets/app.js`))).text()).toContain('console.log("glimpse")');
    expect((await fetch(url('/assets/app.js'))).status).toBe(401);
    expect((await fetch(url(`/app/${pageKey}/`))).status).toBe(404);
    expect(await (await fetch(url(`/app/${pageKey}/index.html`))).text()).not.toContain(TOKEN);
    expect((await fetch(url(`/media/thumb/1?key=${pageKey}`))).status).toBe(200);
    expect((await fetch(url(`/media/thumb/1?key=${pageKey}x`))).status).toBe(401);
    for (const p of ['/api/folders.list', '/api/events', '/api/upload']) {
      const response = await fetch(url(`${p}?key=${pageKey}`), { method: p === '/api/events' ? 'GET' : 'POST', headers: { 'content-type': 'application/json' } });
      expect(response.status, p).toBe(401);
    }
  });

  it('says how to build the interface when it is missing', async () => {
    const bare = await startServer(api, { token: TOKEN, rendererDir: path.join(rendererDir, 'missing') });
    try {
      const response = await fetch(`${bare.origin}/?token=${TOKEN}`);
      expect(response.status).toBe(503);
      expect(await response.text()).toMatch(/npm run build:renderer/);
    } finally {
      await bare.close();
    }
  });
});
