// A library whose vectors live on a Qdrant server that is not there (nothing listens) or does not answer (it takes the
// connection and says nothing): photos are still catalogued and browsable, their embedding stages wait instead of
// failing, and search says which server and why instead of finding nothing or hanging.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlimpseEvent } from '../../src-preload/api';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig } from '../../src-main/config';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { silentServer } from '../setup/silent-server';
import { call } from './unwrap';

async function closedPort(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { url: `127.0.0.1:${port}`, close: async () => {} };
}

const cases = [
  {
    kind: 'away',
    server: closedPort,
    cause: (url: string) => `Qdrant at ${url} is unreachable (ECONNREFUSED) while reading its version`,
    remedy: 'is the server running?',
    state: 'unreachable',
  },
  {
    kind: 'silent',
    server: silentServer,
    // The test's short wait (GLIMPSE_QDRANT_TIMEOUT_MS below): the message must say this wait, whatever it is.
    cause: (url: string) => `Qdrant at ${url} did not answer within 1 s while reading its version`,
    remedy: 'is the server overloaded or stuck? (GLIMPSE_QDRANT_TIMEOUT_MS sets how long to wait)',
    state: 'not answering',
  },
];

describe.each(cases)('Qdrant configured but $kind', ({ kind, server, cause, remedy, state }) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `glimpse-qdrant-${kind}-`));
  const photos = path.join(root, 'photos');
  const events: GlimpseEvent[] = [];
  let api: Api;
  let qdrant: { url: string; close(): Promise<void> };
  let qdrantUrl = '';
  const waitNotices = () =>
    events.filter((e): e is Extract<GlimpseEvent, { type: 'notice' }> => e.type === 'notice' && /indexing waits/.test(e.message));

  beforeAll(async () => {
    fs.mkdirSync(photos);
    for (const [name, background] of [
      ['red.jpg', { r: 220, g: 20, b: 20 }],
      ['blue.jpg', { r: 20, g: 20, b: 220 }],
    ] as const) {
      await sharp({ create: { width: 256, height: 256, channels: 3, background } }).jpeg().toFile(path.join(photos, name));
    }
    qdrant = await server();
    qdrantUrl = `http://${qdrant.url}`;
    const config = loadConfig({
      env: {
        GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR,
        GLIMPSE_MODEL: FIXTURE_MODEL_ID,
        GLIMPSE_OFFLINE: '1',
        GLIMPSE_QDRANT_URL: qdrantUrl,
        GLIMPSE_QDRANT_TIMEOUT_MS: '1000',
      },
      overrides: { dataDir: path.join(root, 'data') },
    });
    api = await openApi(config, { indexing: { watch: false, command: 'test' } });
    api.subscribe((event) => events.push(event));
    await call(api, 'folders.add', { path: photos });
  });

  afterAll(async () => {
    await api?.close();
    await qdrant?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('catalogues the photos with thumbnails, and keeps their embedding waiting rather than failed', async () => {
    const deadline = Date.now() + 30_000;
    let page = await call(api, 'gallery.page', {});
    while (Date.now() < deadline && !(page.items.length === 2 && waitNotices().length > 0)) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      page = await call(api, 'gallery.page', {});
    }
    expect(page.items.map((photo) => path.basename(photo.path)).sort()).toEqual(['blue.jpg', 'red.jpg']);
    expect(page.items.every((photo) => photo.status !== 'failed')).toBe(true);
    expect(waitNotices()[0]?.message).toContain(cause(qdrantUrl));
    const status = await call(api, 'jobs.status', undefined);
    expect(status.overall.failed).toBe(0);
    expect(status.overall.pending).toBe(2);
  });

  it('tries again with a doubling wait while the server stays away, still failing no photo', async () => {
    const waits = () => waitNotices().map((e) => Number(/waits (\d+) s/.exec(e.message)?.[1]));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && waits().length < 3) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(waits().slice(0, 3)).toEqual([1, 2, 4]);
    expect((await call(api, 'jobs.status', undefined)).overall.failed).toBe(0);
  });

  it('answers a search with the server and the cause, not with an empty result', async () => {
    const result = await api.invoke('search.query', { query: 'red' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('BACKEND_UNAVAILABLE');
    expect(result.error.message).toBe(`${cause(qdrantUrl)}: ${remedy}`);
  });

  it('says so in doctor', async () => {
    const report = await call(api, 'system.doctor', undefined);
    const check = report.checks.find((c) => c.name === 'vectors');
    expect(check?.ok).toBe(false);
    expect(check?.detail).toContain(cause(qdrantUrl).replace(/ while .*/, ''));
    expect(report.vectors).toBe(`Qdrant at ${qdrantUrl} (${state})`);
  });
});
