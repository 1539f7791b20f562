// End to end in Chromium, browser mode, real engine with the SmolVLM fixture: turn captions on in Settings, watch
// their progress in Folders, read a photo's caption in the viewer, change the prompt and see it re-captioned.
// Screenshots at 1280×800 and 1920×1080 go to test-results/screenshots/captions-*.png.
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
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { SMOLVLM_FIXTURE_ID } from '../fixtures/generate-smolvlm';
import { writeSolidImage } from '../ml/colour-images';

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

/** Screenshots at both sizes, with `testId` (when given) scrolled into view: the part of the view under test. */
async function shots(name: string, testId?: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    if (testId) await page.getByTestId(testId).scrollIntoViewIfNeeded();
    await page.waitForTimeout(250);
    await page.screenshot({ path: path.join(screenshots, `captions-${name}-${size.width}x${size.height}.png`) });
  }
}

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-e2e-captions-'));
  const photoDir = path.join(workDir, 'Garden');
  fs.mkdirSync(photoDir);
  for (const colour of ['red', 'green', 'blue'] as const) await writeSolidImage(photoDir, colour, 480, 360);
  const rendererDir = path.join(workDir, 'renderer');
  await build({ ...rendererConfig, mode: 'production', logLevel: 'warn', build: { ...rendererConfig.build, outDir: rendererDir } });
  const modelsDir = process.env.GLIMPSE_TEST_MODELS_DIR as string;
  const config = loadConfig({ env: { GLIMPSE_CAPTION_MODEL: SMOLVLM_FIXTURE_ID }, overrides: { dataDir: path.join(workDir, 'data'), modelsDir, model: FIXTURE_MODEL_ID, offline: true } });
  api = await openApi(config);
  await call(api, 'folders.index', { path: photoDir });
  server = await startServer(api, { rendererDir });
  browser = await launchChromium();
  page = await openPage(browser, SIZES[0]);
}, 180_000);

afterAll(() => closeEndToEnd({ browser, server, api, workDir }));

describe('captions in the window', () => {
  it('turns captions on in Settings, shows their progress in Folders and the caption in the viewer', async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: /^Settings/ }).click();
    const panel = page.getByTestId('captioner-panel');
    await panel.getByText('present').waitFor();
    await expect.poll(() => panel.getByRole('checkbox', { name: 'Describe every photo' }).isChecked()).toBe(false);
    await shots('settings-off', 'captioner-panel');

    await panel.getByRole('checkbox', { name: 'Describe every photo' }).check();
    await panel.getByText('3 / 3 photos described').waitFor({ timeout: 30_000 });

    await page.getByRole('button', { name: /^Folders/ }).click();
    await page.getByTestId('caption-progress').getByText('3 / 3 described').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('caption-progress').textContent()).toContain('Up to date');
    await shots('folders-progress');

    await page.getByRole('button', { name: /^Library/ }).click();
    await page.getByTestId('library-grid').locator('button.tile[aria-label^="red"]').click();
    const caption = page.getByTestId('photo-caption');
    await caption.getByText('“a red photo”').waitFor();
    expect(await caption.textContent()).toContain(SMOLVLM_FIXTURE_ID);
    await shots('viewer-caption');
    await page.keyboard.press('Escape');
  });

  it('re-captions every photo when the prompt is changed in Settings', async () => {
    await page.getByRole('button', { name: /^Settings/ }).click();
    const panel = page.getByTestId('captioner-panel');
    await panel.getByRole('textbox', { name: 'Caption prompt' }).fill('Name the main colour in one word.');
    await panel.getByRole('button', { name: 'Save prompt' }).click();
    await expect.poll(async () => (await call(api, 'gallery.page', { pageSize: 10 })).items.length).toBe(3);
    const ids = (await call(api, 'gallery.page', { pageSize: 10 })).items.map((p) => p.id);
    await expect.poll(async () => (await Promise.all(ids.map((id) => call(api, 'captions.get', { id })))).map((c) => c.caption).sort(), { timeout: 30_000 }).toEqual(['blue', 'green', 'red']);
    await shots('settings-new-prompt', 'captioner-panel');
  });
});
