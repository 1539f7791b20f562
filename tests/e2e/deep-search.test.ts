// End to end in Chromium: deep search from the search bar on photos with words people wrote and words printed in
// them — the Deep toggle, the matched words marked under each hit, and the words section of the viewer — with
// screenshots at 1280×800 and 1920×1080 under test-results/screenshots/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, openPage } from './support/chromium';
import { closeEndToEnd } from './support/teardown';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src-main/api/api-types';
import { openApi } from '../../src-main/api';
import { loadConfig } from '../../src-main/config';
import { startServer, type RunningServer } from '../../src-main/server';
import { rendererConfig } from '../../vite.renderer.config';
import { call } from '../api/unwrap';
import { writeEvaluationPhotos } from '../deep/evaluation';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(root, 'test-results', 'screenshots');
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

let workDir: string;
let api: Api;
let server: RunningServer;
let browser: Browser;
let page: Page;

async function shots(name: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(screenshots, `${name}-${size.width}x${size.height}.png`) });
  }
}

async function deepSearch(query: string): Promise<void> {
  const box = page.getByRole('searchbox', { name: 'Search photos' });
  await box.fill(query);
  await box.press('Enter');
  await page.getByTestId('deep-summary').filter({ hasText: `for “${query}”` }).waitFor();
}

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-e2e-deep-'));
  const photos = path.join(workDir, 'Holidays');
  await writeEvaluationPhotos(photos);
  const rendererDir = path.join(workDir, 'renderer');
  await build({ ...rendererConfig, mode: 'production', logLevel: 'warn', build: { ...rendererConfig.build, outDir: rendererDir } });
  const modelsDir = process.env.GLIMPSE_TEST_MODELS_DIR;
  if (!modelsDir) throw new Error('GLIMPSE_TEST_MODELS_DIR is not set: run through vitest so tests/setup/global-setup.ts generates the fixture models');
  api = await openApi(loadConfig({ env: {}, overrides: { dataDir: path.join(workDir, 'data'), modelsDir, model: 'glimpse-fixtures/siglip-colour', offline: true } }));
  await call(api, 'folders.index', { path: photos });
  server = await startServer(api, { rendererDir });
  browser = await launchChromium();
  page = await openPage(browser, SIZES[0]);
}, 300_000);

afterAll(() => closeEndToEnd({ browser, server, api, workDir }));

describe('deep search in Chromium', () => {
  it('finds a photo by its title with Deep on, marking the matched word, and shows its words in the viewer', async () => {
    await page.goto(server.url);
    const toggle = page.getByRole('button', { name: 'Deep' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await deepSearch('tram lisbon');
    const first = page.getByTestId('deep-hit').first();
    expect(await first.locator('button.tile').getAttribute('aria-label')).toBe('IMG_0201.jpg');
    expect(await first.getByTestId('matched-words').locator('mark').allTextContents()).toEqual(['Tram', 'Lisbon', 'tram']);
    expect(await first.getByTestId('matched-words').locator('.label').allTextContents()).toEqual(['Title', 'Keywords']);
    await shots('deep-01-search-tram');

    await first.locator('button.tile').click();
    const viewer = page.getByRole('dialog', { name: 'Viewer: IMG_0201.jpg' });
    await viewer.waitFor();
    await page.getByTestId('photo-title').filter({ hasText: 'Tram 28 in Lisbon' }).waitFor();
    expect(await page.getByTestId('photo-keywords').locator('.chip').allTextContents()).toEqual(['tram', 'Portugal']);
    await shots('deep-02-viewer-words');
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
  });

  it('finds a sign by its printed word and shows the text read in it', async () => {
    await deepSearch('exit');
    const first = page.getByTestId('deep-hit').first();
    expect(await first.locator('button.tile').getAttribute('aria-label')).toBe('IMG_0301.png');
    expect(await first.getByTestId('matched-words').innerText()).toMatch(/Text in photo\s+EXIT/);
    await first.locator('button.tile').click();
    await page.getByTestId('photo-ocr').filter({ hasText: 'EXIT' }).waitFor();
    await shots('deep-03-viewer-ocr');
    await page.keyboard.press('Escape');
  });

  it('finds a photo through a related word, shown as a chip that can be left out', async () => {
    await deepSearch('streetcar');
    const first = page.getByTestId('deep-hit').first();
    expect(await first.locator('button.tile').getAttribute('aria-label')).toBe('IMG_0201.jpg');
    expect(await first.getByTestId('matched-words').locator('mark').allTextContents()).toEqual(['Tram', 'tram']);
    expect(await page.getByTestId('expansion-chips').locator('li').allTextContents()).toEqual(['tram']);
    await shots('deep-05-related-words');
    await page.getByRole('button', { name: 'Leave out “tram”' }).click();
    await page.getByTestId('deep-summary').filter({ hasText: '0 by words' }).waitFor();
    expect(await page.getByTestId('expansion-chips').count()).toBe(0);
  });

  it('falls back to the normal search when Deep is switched off', async () => {
    await deepSearch('red');
    await page.getByRole('button', { name: 'Deep' }).click();
    await page.getByTestId('search-summary').filter({ hasText: 'for “red”' }).waitFor();
    expect(await page.getByTestId('deep-summary').count()).toBe(0);
  });

  it('switches reading text in photos off from Settings', async () => {
    await page.getByRole('button', { name: /^Settings/ }).click();
    const box = page.getByRole('checkbox', { name: 'Read text in photos' });
    await box.waitFor();
    expect(await box.isChecked()).toBe(true);
    await box.click();
    await page.getByText('No longer reading text in photos').waitFor();
    await page.waitForFunction(() => !(document.querySelector('#ocr-title')?.closest('section')?.querySelector('input') as HTMLInputElement | null)?.checked);
    expect((await call(api, 'settings.get', undefined)).ocr).toEqual({ enabled: false });
    await page.locator('#ocr-title').scrollIntoViewIfNeeded();
    await shots('deep-04-settings-ocr');
  });
});
