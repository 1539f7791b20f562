// The justified timeline past its first page, in Chromium against browser mode on the real engine: photos whose page
// has not arrived are laid out at their own shape (sent with the days), so the timeline does not grow or shrink and
// the photos on screen do not move when a far page arrives. Screenshots land in test-results/selection/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src-main/api/api-types';
import { openApi } from '../../src-main/api';
import { loadConfig } from '../../src-main/config';
import { startServer, type RunningServer } from '../../src-main/server';
import { LIBRARY_PAGE_SIZE } from '../../src-renderer/stores/library';
import { rendererConfig } from '../../vite.renderer.config';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { call } from '../api/unwrap';
import { launchChromium, openPage } from './support/chromium';
import { closeEndToEnd } from './support/teardown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(root, 'test-results', 'selection');
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];
/** Landscape photos fill the first page; the older ones, on the second page, stand up (far from the 3:2 guess). */
const PHOTOS = LIBRARY_PAGE_SIZE + 60;

let workDir: string;
let api: Api;
let server: RunningServer;
let browser: Browser;
let page: Page;

const grid = () => page.getByTestId('library-grid');

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-justified-pages-'));
  const photoDir = path.join(workDir, 'Camera');
  fs.mkdirSync(photoDir, { recursive: true });
  for (let n = 0; n < PHOTOS; n++) {
    const [width, height] = n < LIBRARY_PAGE_SIZE ? [120, 80] : n % 2 ? [60, 120] : [80, 120];
    // Newest first in the grid: photo 0 is the newest, 24 photos a day, one an hour.
    const taken = new Date(Date.UTC(2024, 5, 30, 23) - n * 3_600_000);
    const stamp = `${taken.getUTCFullYear()}:${String(taken.getUTCMonth() + 1).padStart(2, '0')}:${String(taken.getUTCDate()).padStart(2, '0')} ${String(taken.getUTCHours()).padStart(2, '0')}:00:00`;
    const hue = (n * 47) % 255;
    await sharp({ create: { width, height, channels: 3, background: { r: hue, g: 255 - hue, b: (n * 91) % 255 } } })
      .withExif({ IFD0: { DateTime: stamp } })
      .jpeg({ quality: 70 })
      .toFile(path.join(photoDir, `IMG_${String(n + 1).padStart(4, '0')}.jpg`));
  }
  const rendererDir = path.join(workDir, 'renderer');
  await build({ ...rendererConfig, mode: 'production', logLevel: 'warn', build: { ...rendererConfig.build, outDir: rendererDir } });
  const config = loadConfig({
    env: { GLIMPSE_OCR: '0' },
    overrides: { dataDir: path.join(workDir, 'data'), modelsDir: process.env.GLIMPSE_TEST_MODELS_DIR!, model: FIXTURE_MODEL_ID, offline: true },
  });
  api = await openApi(config);
  await call(api, 'folders.index', { path: photoDir });
  server = await startServer(api, { rendererDir });
  browser = await launchChromium();
  page = await openPage(browser, SIZES[0], { reducedMotion: 'reduce' });
}, 300_000);

afterAll(() => closeEndToEnd({ browser, server, api, workDir }));

/** Where the rows on screen are, and the shape of each tile in them (placeholders too, while their page is away). */
async function rowsOnScreen(): Promise<Array<{ top: number; widths: number[] }>> {
  return grid().evaluate((scroller) => {
    const view = scroller.getBoundingClientRect();
    return [...scroller.querySelectorAll('.tile-row')]
      .map((row) => ({ row, box: row.getBoundingClientRect() }))
      .filter(({ box }) => box.bottom > view.top && box.top < view.bottom)
      .map(({ row, box }) => ({ top: Math.round(box.top), widths: [...row.querySelectorAll('button.tile, .tile-placeholder-box')].map((tile) => Math.round(tile.getBoundingClientRect().width)) }));
  });
}

describe('justified timeline past the first page', () => {
  it('keeps its length and what is on screen still when a far page arrives', async () => {
    for (const size of SIZES) {
      await page.setViewportSize(size);
      // The second page is held back until the person is looking at where it goes.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/api/gallery.page', async (route) => {
        if ((route.request().postDataJSON() as { page?: number }).page === 2) await held;
        await route.continue();
      });
      await page.goto(server.url);
      await page.getByRole('group', { name: 'Grid layout' }).getByRole('button', { name: 'Photos at their shape' }).click();
      await grid().locator('.tile-row.justified').first().waitFor({ timeout: 30_000 });
      const length = () => grid().evaluate((element) => element.scrollHeight);
      const before = await length();

      await grid().evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
      await page.waitForTimeout(300);
      expect(await grid().locator('.tile-placeholder-box').count()).toBeGreaterThan(0);
      const waiting = await rowsOnScreen();
      const scrolledTo = await grid().evaluate((element) => element.scrollTop);
      release();
      const last = grid().locator(`button.tile[title="IMG_${String(PHOTOS).padStart(4, '0')}.jpg"]`);
      await last.waitFor();
      await expect.poll(() => grid().locator('.tile-placeholder-box').count()).toBe(0);
      await page.waitForTimeout(300);
      expect(await length()).toBe(before);
      expect(await grid().evaluate((element) => element.scrollTop)).toBe(scrolledTo);
      expect(await rowsOnScreen()).toEqual(waiting);
      // The portraits of the second page stand up in their rows.
      expect(await last.evaluate((tile) => tile.getBoundingClientRect().width / tile.getBoundingClientRect().height)).toBeLessThan(1);
      await page.screenshot({ path: path.join(screenshots, `09-justified-second-page-${size.width}x${size.height}.png`) });
      await page.unroute('**/api/gallery.page');
    }
  });
});
