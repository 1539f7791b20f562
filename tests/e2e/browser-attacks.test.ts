// End to end in Chromium: after a person opens Glimpse's browser-mode link, a page served from another port of
// 127.0.0.1 tries what a hostile page can — text/plain fetches, an enctype=text/plain form, multipart uploads,
// reading the cookie, embedding an image, listening to events — and the library, settings and queue stay as they were,
// with no token cookie anywhere. The page's own handling of the token (gone from the address bar, kept over a reload)
// is checked here too.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src-main/api/api-types';
import { openApi } from '../../src-main/api';
import { loadConfig } from '../../src-main/config';
import { startServer, type RunningServer } from '../../src-main/server';
import { rendererConfig } from '../../vite.renderer.config';
import { call } from '../api/unwrap';

const MODEL = 'glimpse-fixtures/siglip-colour';

let workDir: string;
let libraryDir: string;
let attackDir: string;
let api: Api;
let server: RunningServer;
let attacker: http.Server;
let attackerOrigin: string;
let browser: Browser;
let context: BrowserContext;
let glimpse: Page;

async function writePhoto(file: string, background: { r: number; g: number; b: number }): Promise<void> {
  await sharp({ create: { width: 320, height: 240, channels: 3, background } }).jpeg().toFile(file);
}

/** Everything an attack could change, read through the Api itself. */
async function libraryState() {
  const gallery = await call(api, 'gallery.page', { page: 1, pageSize: 100 });
  const folders = await call(api, 'folders.list', undefined);
  const settings = await call(api, 'settings.get', undefined);
  const jobs = await call(api, 'jobs.status', undefined);
  return {
    photos: gallery.items.map((photo) => photo.path).sort(),
    folders: folders.map((folder) => folder.path),
    settings,
    paused: jobs.paused,
  };
}

/** The hostile page: it knows Glimpse's address (ports are easy to scan) but not its token. */
function attackPage(target: string, photoIds: number[]): string {
  const add = JSON.stringify({ path: attackDir });
  const del = JSON.stringify({ ids: photoIds, moveToTrash: true });
  return `<!doctype html><html><body>
<iframe name="sink" style="display:none"></iframe>
<form id="plain" method="POST" enctype="text/plain" target="sink" action="${target}/api/folders.add">
  <input name='${add.slice(0, -1)},"x":"' value='"}'>
</form>
<form id="multi" method="POST" enctype="multipart/form-data" target="sink" action="${target}/api/upload">
  <input id="file" type="file" name="file">
</form>
<script>
(async () => {
  const results = { cookie: document.cookie, fetches: [], image: null, events: null };
  // Every attempt gets a deadline, so a request the server holds open cannot keep the page from reporting.
  const within = (promise, fallback) => Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(fallback), 3000))]);
  const attempts = [
    ['/api/folders.add', { headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(add)} }],
    ['/api/photos.delete', { headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(del)} }],
    ['/api/jobs.pause', { body: '' }],
    ['/api/settings.update', { headers: { 'content-type': 'text/plain' }, body: '{"nearDuplicateThreshold":0.6}' }],
    ['/api/folders.add', { headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(add)} }],
  ];
  for (const [route, init] of attempts) {
    for (const mode of ['no-cors', 'cors']) {
      try {
        const response = await within(fetch('${target}' + route, { method: 'POST', mode, credentials: 'include', ...init }), null);
        results.fetches.push(route + ' ' + mode + ' ' + (response ? response.type + ' ' + response.status : 'timed out'));
      } catch (error) {
        results.fetches.push(route + ' ' + mode + ' failed');
      }
    }
  }
  const upload = new FormData();
  upload.append('file', new Blob([await (await fetch('/photo.jpg')).arrayBuffer()], { type: 'image/jpeg' }), 'evil.jpg');
  await within(fetch('${target}/api/upload', { method: 'POST', mode: 'no-cors', credentials: 'include', body: upload }).catch(() => null), null);
  document.getElementById('plain').submit();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const transfer = new DataTransfer();
  transfer.items.add(new File([await (await fetch('/photo.jpg')).arrayBuffer()], 'evil-form.jpg', { type: 'image/jpeg' }));
  document.getElementById('file').files = transfer.files;
  document.getElementById('multi').submit();
  await new Promise((resolve) => setTimeout(resolve, 500));
  results.image = await within(new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve('loaded');
    img.onerror = () => resolve('refused');
    img.src = '${target}/media/thumb/${photoIds[0]}';
  }), 'timed out');
  results.events = await within(new Promise((resolve) => {
    const source = new EventSource('${target}/api/events', { withCredentials: true });
    source.onopen = () => { source.close(); resolve('open'); };
    source.onerror = () => { source.close(); resolve('refused'); };
  }), 'timed out');
  window.attackResults = results;
  document.title = 'done';
})();
</script></body></html>`;
}

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-e2e-attacks-'));
  libraryDir = path.join(workDir, 'Family');
  attackDir = path.join(workDir, 'Planted');
  fs.mkdirSync(libraryDir);
  fs.mkdirSync(attackDir);
  await writePhoto(path.join(libraryDir, 'red.jpg'), { r: 210, g: 30, b: 30 });
  await writePhoto(path.join(libraryDir, 'blue.jpg'), { r: 30, g: 60, b: 210 });
  await writePhoto(path.join(attackDir, 'planted.jpg'), { r: 30, g: 200, b: 60 });
  const evilPhoto = path.join(workDir, 'evil.jpg');
  await writePhoto(evilPhoto, { r: 240, g: 220, b: 40 });

  const rendererDir = path.join(workDir, 'renderer');
  await build({ ...rendererConfig, mode: 'production', logLevel: 'error', build: { ...rendererConfig.build, outDir: rendererDir } });
  const modelsDir = process.env.GLIMPSE_TEST_MODELS_DIR;
  if (!modelsDir) throw new Error('GLIMPSE_TEST_MODELS_DIR is not set: run through vitest so tests/setup/global-setup.ts generates the fixture models');
  const config = loadConfig({ env: {}, overrides: { dataDir: path.join(workDir, 'data'), modelsDir, model: MODEL, offline: true } });
  api = await openApi(config);
  await call(api, 'folders.add', { path: libraryDir });
  for (let waited = 0; (await call(api, 'gallery.page', {})).total < 2; waited += 100) {
    if (waited > 60_000) throw new Error('the two library photos were not indexed within a minute');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  server = await startServer(api, { rendererDir });

  let page = '';
  attacker = http.createServer((req, res) => {
    if (req.url === '/photo.jpg') {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(fs.readFileSync(evilPhoto));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  const ids = (await call(api, 'gallery.page', {})).items.map((photo) => photo.id);
  page = attackPage(server.origin, ids);

  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  glimpse = await context.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
  await server?.close();
  await api?.close();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe('browser mode against a hostile page on another loopback port', () => {
  it('takes the token out of the address bar, keeps it over a reload, and sets no cookie', async () => {
    await glimpse.goto(server.url);
    await expect.poll(() => glimpse.locator('button.tile').count(), { timeout: 20_000 }).toBe(2);
    expect(glimpse.url()).toBe(`${server.origin}/`);
    expect(await glimpse.content()).not.toContain(server.token);
    await glimpse.reload();
    await expect.poll(() => glimpse.locator('button.tile').count(), { timeout: 20_000 }).toBe(2);
    expect(glimpse.url()).toBe(`${server.origin}/`);
    expect(await context.cookies()).toEqual([]);

    const stranger = await browser.newPage();
    await stranger.goto(`${server.origin}/`);
    await stranger.getByText('Open Glimpse from its link').waitFor();
    expect(await stranger.textContent('body')).toMatch(/terminal/);
    await stranger.close();
  });

  it('changes nothing when the other page tries text/plain, forms, multipart and cookies', async () => {
    const before = await libraryState();
    const hostile = await context.newPage();
    await hostile.goto(attackerOrigin);
    await expect.poll(() => hostile.title(), { timeout: 20_000 }).toBe('done');
    const results = (await hostile.evaluate(() => (window as unknown as { attackResults: unknown }).attackResults)) as {
      cookie: string;
      fetches: string[];
      image: string;
      events: string;
    };
    expect(results.cookie).toBe('');
    expect(results.image).toBe('refused');
    expect(results.events).toBe('refused');
    // An opaque no-cors answer hides the status from the page; what matters is below: nothing happened.
    expect(results.fetches.filter((line) => / cors basic 2\d\d$/.test(line))).toEqual([]);
    await hostile.waitForTimeout(1000);
    expect(await libraryState()).toEqual(before);
    expect(fs.readdirSync(attackDir)).toEqual(['planted.jpg']);
    expect(fs.readdirSync(libraryDir).sort()).toEqual(['blue.jpg', 'red.jpg']);
    expect(await context.cookies()).toEqual([]);
    await hostile.close();

    // The person's own page still works after all that.
    await glimpse.bringToFront();
    await expect.poll(() => glimpse.locator('button.tile').count()).toBe(2);
  });
});
