// End to end in Chromium: Settings tells a person which servers their library runs on — the PostgreSQL catalog with
// its version and size, and a Qdrant that is configured but not answering, named with the cause — with screenshots
// at 1280×800 and 1920×1080 under test-results/screenshots/.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src-main/api/api-types';
import { openApi } from '../../src-main/api';
import { loadConfig } from '../../src-main/config';
import { startServer, type RunningServer } from '../../src-main/server';
import { rendererConfig } from '../../vite.renderer.config';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';
import { launchChromium, openPage } from './support/chromium';
import { closeEndToEnd } from './support/teardown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(root, 'test-results', 'screenshots');

let workDir: string;
let database: TestDatabase;
let qdrantUrl: string;
let api: Api;
let server: RunningServer;
let browser: Browser;
let page: Page;

async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-e2e-backends-'));
  const rendererDir = path.join(workDir, 'renderer');
  await build({ ...rendererConfig, mode: 'production', logLevel: 'warn', build: { ...rendererConfig.build, outDir: rendererDir } });
  const modelsDir = process.env.GLIMPSE_TEST_MODELS_DIR;
  if (!modelsDir) throw new Error('GLIMPSE_TEST_MODELS_DIR is not set: run through vitest so tests/setup/global-setup.ts generates the fixture models');
  database = await createTestDatabase('glimpse_e2e_backends');
  qdrantUrl = `http://127.0.0.1:${await closedPort()}`;
  api = await openApi(
    loadConfig({
      env: { GLIMPSE_QDRANT_URL: qdrantUrl },
      overrides: { dataDir: path.join(workDir, 'data'), databaseUrl: database.url, modelsDir, model: 'glimpse-fixtures/siglip-colour', offline: true },
    }),
  );
  server = await startServer(api, { rendererDir });
  browser = await launchChromium();
  page = await openPage(browser, { width: 1280, height: 800 });
}, 300_000);

afterAll(async () => {
  await closeEndToEnd({ browser, server, api, workDir });
  await database?.drop();
});

describe('Settings on servers', () => {
  it('names the PostgreSQL catalog with its version and size, and the Qdrant that does not answer with the cause', async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: /^Settings/ }).click();
    const data = page.getByRole('region', { name: 'Library data' });
    const catalog = data.locator('dt', { hasText: /^Catalog$/ }).locator('xpath=following-sibling::dd[1]');
    const vectors = data.locator('dt', { hasText: /^Vectors$/ }).locator('xpath=following-sibling::dd[1]');
    await expect.poll(() => catalog.textContent(), { timeout: 20_000 }).toMatch(/^PostgreSQL \d+\.\d+.*, \d+\.\d MB at postgres:\/\/glimpse_test:\*\*\*@127\.0\.0\.1:5432\//);
    expect(await vectors.textContent()).toBe(`Qdrant at ${qdrantUrl} (unreachable)`);

    await page.getByText('Diagnostics (as `glimpse doctor` prints them)').click();
    const vectorCheck = page.locator('.checks li', { has: page.locator('strong', { hasText: /^vectors$/ }) });
    expect(await vectorCheck.locator('.badge').textContent()).toBe('fix');
    expect(await vectorCheck.textContent()).toContain(`Qdrant at ${qdrantUrl} is unreachable (ECONNREFUSED) while reading its version: is the server running?`);
    const faceCheck = page.locator('.checks li', { has: page.locator('strong', { hasText: /^face vectors$/ }) });
    expect(await faceCheck.textContent()).toContain(`Qdrant at ${qdrantUrl} is unreachable (ECONNREFUSED)`);
    // The catalog's line carries a long database URL: it wraps inside the Device panel instead of running out of it.
    const catalogCheck = page.locator('.checks li', { has: page.locator('strong', { hasText: /^catalog$/ }) });
    const panel = page.getByRole('region', { name: 'Device' });
    for (const width of [1280, 1920]) {
      await page.setViewportSize({ width, height: width === 1280 ? 800 : 1080 });
      const [line, box] = await Promise.all([catalogCheck.locator('span').last().boundingBox(), panel.boundingBox()]);
      expect(line!.x + line!.width).toBeLessThanOrEqual(box!.x + box!.width);
    }

    for (const size of [
      { width: 1280, height: 800 },
      { width: 1920, height: 1080 },
    ]) {
      await page.setViewportSize(size);
      await vectorCheck.scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(screenshots, `settings-backends-${size.width}x${size.height}.png`) });
      await data.scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(screenshots, `settings-backends-data-${size.width}x${size.height}.png`) });
    }
  });
});
