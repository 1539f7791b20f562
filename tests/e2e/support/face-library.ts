// The start the People end-to-end files share: real face photos copied into a temporary library, indexed by the real
// engine (Human finding the faces at import), served in browser mode and opened in Chromium.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { build } from 'vite';
import type { Api } from '../../../src-main/api/api-types';
import { openApi } from '../../../src-main/api';
import { loadConfig } from '../../../src-main/config';
import { startServer, type RunningServer } from '../../../src-main/server';
import { rendererConfig } from '../../../vite.renderer.config';
import { call } from '../../api/unwrap';
import { FIXTURE_MODEL_ID } from '../../fixtures/generate-models';
import { FACES_DIR } from '../../fixtures/photos';
import { launchChromium, openPage } from './chromium';

export interface FaceLibrary {
  workDir: string;
  /** The indexed folder ("Family"), holding the copied photos. */
  photoDir: string;
  api: Api;
  server: RunningServer;
  browser: Browser;
  page: Page;
}

export async function openFaceLibrary(options: {
  /** Names the temporary folder, so a leftover one says which file made it. */
  name: string;
  /** Files of tests/fixtures/faces. */
  photos: readonly string[];
  viewport: { width: number; height: number };
  page?: BrowserContextOptions;
}): Promise<FaceLibrary> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `glimpse-e2e-${options.name}-`));
  const photoDir = path.join(workDir, 'Family');
  fs.mkdirSync(photoDir);
  for (const file of options.photos) fs.copyFileSync(path.join(FACES_DIR, file), path.join(photoDir, file));
  const rendererDir = path.join(workDir, 'renderer');
  await build({ ...rendererConfig, mode: 'production', logLevel: 'warn', build: { ...rendererConfig.build, outDir: rendererDir } });
  const modelsDir = process.env.GLIMPSE_TEST_MODELS_DIR;
  if (!modelsDir) throw new Error('GLIMPSE_TEST_MODELS_DIR is not set: run through vitest');
  const api = await openApi(loadConfig({ env: {}, overrides: { dataDir: path.join(workDir, 'data'), modelsDir, model: FIXTURE_MODEL_ID, offline: true } }));
  await call(api, 'folders.index', { path: photoDir });
  const server = await startServer(api, { rendererDir });
  const browser = await launchChromium();
  const page = await openPage(browser, options.viewport, options.page);
  return { workDir, photoDir, api, server, browser, page };
}

/** Screenshots at 1280×800 and 1920×1080 as `<stem>-<width>x<height>.png`, then the page back at `viewport`. */
export async function shotsAtBothSizes(page: Page, stem: string, viewport = { width: 1400, height: 900 }): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(250);
    await page.screenshot({ path: `${stem}-${width}x${height}.png` });
  }
  await page.setViewportSize(viewport);
}
