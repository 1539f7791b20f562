// What a hostile page on another port of 127.0.0.1, or a careless client, can do to browser mode: no token in a
// cookie, no state change from another origin or without a JSON body, no internal details in errors, no unbounded
// buffers for a client that stops reading, and a page (not JSON) for a person who opens the bare address.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src-main/server';
import { createRecordingApi, type RecordingApi } from '../transport/recording-api';

let api: RecordingApi;
let server: RunningServer;
const logged: string[] = [];
const TOKEN = 'security-token-0123456789';
const auth = { 'x-glimpse-token': TOKEN };
const json = { ...auth, 'content-type': 'application/json' };
const SECRET_PATH = '/home/someone/.local/share/glimpse/catalog.sqlite';

beforeAll(async () => {
  api = createRecordingApi({
    'folders.list': () => ({ ok: true, value: [] }),
    'folders.add': () => ({ ok: true, value: { id: 1 } }),
    'jobs.status': () => ({ ok: false, error: { code: 'INTERNAL', message: `SQLITE_CORRUPT: database disk image is malformed at ${SECRET_PATH}` } }),
    'jobs.pause': () => {
      throw new Error(`EACCES: permission denied, open '${SECRET_PATH}'`);
    },
  });
  server = await startServer(api, { token: TOKEN, log: (line) => logged.push(line), maxBufferedEventBytes: 256 * 1024 });
});

afterAll(async () => {
  await server.close();
  await api.close();
});

const url = (p: string) => `${server.origin}${p}`;
const stateChangingCalls = () => api.calls.filter((call) => call.operation !== 'folders.list').length;

describe('the token is never a cookie', () => {
  it('opening the page sets no cookie, and the old cookie is neither accepted nor kept', async () => {
    const page = await fetch(url(`/?token=${TOKEN}`));
    expect(page.headers.get('set-cookie')).toBeNull();
    const withCookie = await fetch(url('/api/folders.add'), {
      method: 'POST',
      headers: { cookie: `glimpse_token=${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/tmp' }),
    });
    expect(withCookie.status).toBe(401);
    expect(withCookie.headers.get('set-cookie')).toMatch(/^glimpse_token=;.*Max-Age=0/);
    expect(stateChangingCalls()).toBe(0);
  });

  it('answers a malformed cookie with 401, not a 500, before authentication', async () => {
    const response = await fetch(url('/api/folders.list'), { method: 'POST', headers: { cookie: 'glimpse_token=%E0%A4%A; other=%' } });
    expect(response.status).toBe(401);
    expect(JSON.stringify(await response.json())).not.toMatch(/URI malformed/);
  });
  it('answers an address that cannot be parsed with 400, not a 500', async () => {
    for (const target of ['http://[/', '//']) {
      const status = await new Promise<string>((resolve) => {
        const socket = net.connect(server.port, '127.0.0.1', () =>
          socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`),
        );
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk));
        socket.on('close', () => resolve(answer.split('\r\n')[0]));
      });
      expect(status, target).toBe('HTTP/1.1 400 Bad Request');
    }
  });
});

describe('state changes only from the page’s own origin, with the token in a header and a JSON body', () => {
  const add = (headers: Record<string, string>, body = JSON.stringify({ path: '/tmp' })) =>
    fetch(url('/api/folders.add'), { method: 'POST', headers, body });

  it('refuses another origin, another port of the same site and a cross-site request, even with the token', async () => {
    const otherPort = `http://127.0.0.1:${server.port + 1}`;
    for (const headers of [
      { ...json, origin: otherPort },
      { ...json, origin: 'http://evil.example' },
      { ...json, origin: 'null' },
      { ...json, 'sec-fetch-site': 'same-site' },
      { ...json, 'sec-fetch-site': 'cross-site' },
      { ...json, 'sec-fetch-site': 'none' },
    ]) {
      const response = await add(headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/only Glimpse's own page/);
    }
    expect(stateChangingCalls()).toBe(0);
  });

  it('refuses bodies a form or a simple fetch can send (text/plain, urlencoded, multipart, none)', async () => {
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await add({ ...auth, 'content-type': type });
      expect(response.status, type).toBe(415);
    }
    expect((await fetch(url('/api/folders.add'), { method: 'POST', headers: auth })).status).toBe(415);
    expect(stateChangingCalls()).toBe(0);
  });

  it('refuses an upload from another port and reads from another site', async () => {
    const form = new FormData();
    form.append('file', new Blob(['bytes']), 'a.jpg');
    const upload = await fetch(url('/api/upload'), { method: 'POST', headers: { ...auth, origin: `http://127.0.0.1:${server.port + 1}` }, body: form });
    expect(upload.status).toBe(403);
    expect(api.importedContents).toHaveLength(0);
    for (const p of ['/api/events', '/media/thumb/1', `/gallery?token=${TOKEN}`]) {
      expect((await fetch(url(p), { headers: { ...auth, 'sec-fetch-site': 'same-site' } })).status, p).toBe(403);
    }
  });

  it('accepts the page’s own requests, as the browser labels them', async () => {
    const response = await add({ ...json, origin: server.origin, 'sec-fetch-site': 'same-origin' });
    expect(response.status).toBe(200);
    expect(stateChangingCalls()).toBe(1);
  });

  it('never answers with CORS headers, preflight included', async () => {
    const preflight = await fetch(url('/api/folders.add'), {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-glimpse-token' },
    });
    expect(preflight.status).toBeGreaterThanOrEqual(400);
    const call = await fetch(url('/api/folders.list'), { method: 'POST', headers: json });
    for (const response of [preflight, call]) {
      expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });
});

describe('errors', () => {
  it('answers an internal failure with a short message and a reference, and logs the details', async () => {
    for (const operation of ['jobs.status', 'jobs.pause']) {
      const response = await fetch(url(`/api/${operation}`), { method: 'POST', headers: json });
      expect(response.status, operation).toBe(500);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('INTERNAL');
      expect(body.error.message).not.toContain('/home/');
      expect(body.error.message).not.toMatch(/SQLITE|EACCES|at /);
      const reference = /reference ([0-9a-f]+)/.exec(body.error.message)![1];
      expect(logged.find((line) => line.includes(reference))).toContain(SECRET_PATH);
    }
  });
});

describe('the bare address', () => {
  it('shows a person a page that says to open the link from the terminal; a program still gets JSON', async () => {
    const page = await fetch(url('/'), { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(401);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const text = await page.text();
    expect(text).toMatch(/terminal/);
    expect(text).toMatch(/npm start/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'sha256-/);
    const program = await fetch(url('/'), { headers: { accept: 'application/json' } });
    expect(program.status).toBe(401);
    expect(((await program.json()) as { error: { message: string } }).error.message).toMatch(/token/);
  });
});

describe('event stream back-pressure', () => {
  it('disconnects a client that never reads instead of buffering events without bound', async () => {
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Glimpse-Token: ${TOKEN}\r\n\r\n`);
    await expect.poll(() => api.listenerCount()).toBe(1);
    socket.pause(); // from here on the client reads nothing
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const message = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 2000 && api.listenerCount() > 0; i++) {
      api.emit({ type: 'notice', level: 'info', message });
      if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(api.listenerCount()).toBe(0);
    socket.destroy();
    await closed;
  });
});
