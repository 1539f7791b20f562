// Settings laid out in Chromium against browser mode on the real engine: at 1280×800 and 1920×1080, with the other
// models open, no panel (the captioner's included) lies over another or over a model row, and nothing in a panel
// spills out of it. Screenshots land in test-results/screenshots/settings-layout-*.png.
import fs from 'node:fs';
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
import { call } from '../api/unwrap';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { SMOLVLM_FIXTURE_ID } from '../fixtures/generate-smolvlm';
import { writeSolidImage } from '../ml/colour-images';
import { launchChromium, openPage } from './support/chromium';
import { closeEndToEnd } from './support/teardown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(root, 'test-results', 'screenshots');
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

interface Box {
  name: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

let workDir: string;
let api: Api;
let server: RunningServer;
let browser: Browser;
let page: Page;

/** The page boxes of the Settings panels and of every model row, named by their heading or model id. */
async function layout(): Promise<{ panels: Box[]; rows: Box[]; spills: string[] }> {
  return page.evaluate(() => {
    const box = (element: Element, name: string) => {
      const rect = element.getBoundingClientRect();
      return { name, left: rect.left + scrollX, top: rect.top + scrollY, right: rect.right + scrollX, bottom: rect.bottom + scrollY };
    };
    const panels = [...document.querySelectorAll('.settings-grid > .panel')];
    const spills: string[] = [];
    // Anything inside a panel that reaches past the panel's edges (a long path, a wide menu) lies over its neighbour.
    for (const panel of panels) {
      const outer = panel.getBoundingClientRect();
      for (const inner of panel.querySelectorAll('*')) {
        const rect = inner.getBoundingClientRect();
        if (rect.width === 0 || rect.height === 0) continue;
        if (rect.left < outer.left - 1 || rect.right > outer.right + 1) spills.push(`${panel.querySelector('h2')?.textContent?.trim()}: <${inner.tagName.toLowerCase()} class="${inner.className}"> ${Math.round(rect.left)}–${Math.round(rect.right)} outside ${Math.round(outer.left)}–${Math.round(outer.right)}`);
      }
    }
    return {
      panels: panels.map((panel) => box(panel, panel.querySelector('h2')?.textContent?.trim() ?? '?')),
      rows: [...document.querySelectorAll('[data-testid="model-row"]')].map((row) => box(row, row.querySelector('strong')?.textContent ?? '?')),
      spills,
    };
  });
}

function intersect(a: Box, b: Box): boolean {
  return a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
}

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-e2e-settings-'));
  const photoDir = path.join(workDir, 'Garden');
  fs.mkdirSync(photoDir);
  await writeSolidImage(photoDir, 'red', 480, 360);
  const rendererDir = path.join(workDir, 'renderer');
  await build({ ...rendererConfig, mode: 'production', logLevel: 'warn', build: { ...rendererConfig.build, outDir: rendererDir } });
  // A models folder as a person's home might name it: long, with nowhere a line may break but the slashes.
  const modelsDir = path.join(workDir, 'ApplicationSupport', 'GlimpsePhotoLibraryModelsFolderForThisComputer');
  fs.mkdirSync(path.dirname(modelsDir));
  fs.symlinkSync(process.env.GLIMPSE_TEST_MODELS_DIR as string, modelsDir);
  const config = loadConfig({ env: { GLIMPSE_CAPTION_MODEL: SMOLVLM_FIXTURE_ID }, overrides: { dataDir: path.join(workDir, 'data'), modelsDir, model: FIXTURE_MODEL_ID, offline: true } });
  api = await openApi(config);
  await call(api, 'folders.index', { path: photoDir });
  server = await startServer(api, { rendererDir });
  browser = await launchChromium();
  page = await openPage(browser, SIZES[0]);
}, 180_000);

afterAll(() => closeEndToEnd({ browser, server, api, workDir }));

describe('Settings layout', () => {
  it('keeps the captioner, the model rows and every other panel apart at both window sizes', async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: /^Settings/ }).click();
    await page.getByTestId('captioner-panel').getByText('present').waitFor();
    await page.getByText(/^Other models/).click();
    await page.getByText(/^Diagnostics/).click();
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.waitForTimeout(300);
      const { panels, rows, spills } = await layout();
      expect(panels.length).toBeGreaterThanOrEqual(8);
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(spills).toEqual([]);
      const captioner = panels.find((p) => p.name === 'Captions')!;
      expect(captioner).toBeDefined();
      for (const row of rows) expect(intersect(row, captioner), `${row.name} under Captions at ${size.width}×${size.height}`).toBe(false);
      for (const [i, a] of panels.entries()) {
        for (const b of panels.slice(i + 1)) expect(intersect(a, b), `${a.name} over ${b.name} at ${size.width}×${size.height}`).toBe(false);
      }
      await page.getByRole('region', { name: 'Device' }).scrollIntoViewIfNeeded();
      await page.waitForTimeout(400);
      await page.screenshot({ path: path.join(screenshots, `settings-layout-device-${size.width}x${size.height}.png`) });
      await page.getByTestId('captioner-panel').scrollIntoViewIfNeeded();
      await page.waitForTimeout(400);
      await page.screenshot({ path: path.join(screenshots, `settings-layout-captions-${size.width}x${size.height}.png`) });
    }
  });
});
