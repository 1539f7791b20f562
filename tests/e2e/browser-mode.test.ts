// End to end, as a person would use it: Chromium drives browser mode running the real engine (catalog, import
// pipeline, fixture SigLIP model) — add a folder, watch it index, search "red", find similar, open the viewer, delete —
// and saves a screenshot of every view under test-results/screenshots/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
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

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(root, 'test-results', 'screenshots');
const MODEL = 'glimpse-fixtures/siglip-colour';

/** Flat colour photos with a little texture, so each is a distinct file the colour model can tell apart. */
const PHOTOS: Record<string, [number, number, number]> = {
  'red-poppy.jpg': [214, 32, 36],
  'red-door.jpg': [186, 24, 44],
  'blue-lake.jpg': [34, 70, 214],
  'green-field.jpg': [52, 170, 64],
  'yellow-taxi.jpg': [238, 214, 46],
  'purple-iris.jpg': [128, 40, 160],
};

async function writePhoto(file: string, [r, g, b]: [number, number, number], seed: number): Promise<void> {
  const width = 480;
  const height = 360;
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const wobble = ((i * 2654435761 + seed * 97) >>> 0) % 17 - 8;
    pixels[i * 3] = Math.max(0, Math.min(255, r + wobble));
    pixels[i * 3 + 1] = Math.max(0, Math.min(255, g + wobble));
    pixels[i * 3 + 2] = Math.max(0, Math.min(255, b + wobble));
  }
  await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toFile(file);
}

let workDir: string;
let photoDir: string;
let api: Api;
let server: RunningServer;
let browser: Browser;
let page: Page;

async function shot(name: string): Promise<void> {
  await page.waitForTimeout(250); // let thumbnails fade in so the screenshot shows what a person sees
  await page.screenshot({ path: path.join(screenshots, `${name}.png`) });
}

async function tileNames(testId: string): Promise<string[]> {
  return page.getByTestId(testId).locator('button.tile').evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('aria-label') ?? ''));
}

async function search(query: string): Promise<void> {
  const box = page.getByRole('searchbox', { name: 'Search photos' });
  await box.fill(query);
  await box.press('Enter');
  await page.getByTestId('search-summary').filter({ hasText: `for “${query}”` }).waitFor();
}

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-e2e-'));
  photoDir = path.join(workDir, 'Holiday photos');
  fs.mkdirSync(photoDir);
  let seed = 1;
  for (const [name, colour] of Object.entries(PHOTOS)) await writePhoto(path.join(photoDir, name), colour, seed++);

  const rendererDir = path.join(workDir, 'renderer');
  await build({ ...rendererConfig, mode: 'production', logLevel: 'warn', build: { ...rendererConfig.build, outDir: rendererDir } });

  const modelsDir = process.env.GLIMPSE_TEST_MODELS_DIR;
  if (!modelsDir) throw new Error('GLIMPSE_TEST_MODELS_DIR is not set: run through vitest so tests/setup/global-setup.ts generates the fixture models');
  const config = loadConfig({ env: {}, overrides: { dataDir: path.join(workDir, 'data'), modelsDir, model: MODEL, offline: true } });
  api = await openApi(config);
  server = await startServer(api, { rendererDir });
  browser = await launchChromium();
  page = await openPage(browser, { width: 1400, height: 900 });
}, 180_000);

afterAll(() => closeEndToEnd({ browser, server, api, workDir }));

describe('Glimpse in Chromium, browser mode, real engine', () => {
  it('refuses requests without the token and image requests that are not a library photo id', async () => {
    const noToken = await fetch(`${server.origin}/api/folders.list`, { method: 'POST' });
    expect(noToken.status).toBe(401);
    const withToken = { headers: { 'x-glimpse-token': server.token } };
    const pathLike = await fetch(`${server.origin}/media/original/..%2F..%2F..%2Fetc%2Fpasswd`, withToken);
    expect(pathLike.status).toBe(400);
    expect(await pathLike.text()).not.toContain('root:');
    const unknown = await fetch(`${server.origin}/media/original/424242`, withToken);
    expect(unknown.status).toBe(404);
  });

  it('adds a folder, indexes it, finds red, finds similar, views and deletes a photo', async () => {
    const total = Object.keys(PHOTOS).length;
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'No photos yet' }).waitFor();
    await shot('01-library-empty');

    await page.getByRole('button', { name: 'Add a folder' }).click();
    await page.getByRole('combobox', { name: 'Folder path' }).fill(photoDir);
    await page.getByRole('button', { name: 'Add folder' }).click();
    await page.getByTestId('folder-card').waitFor();
    await shot('02-folders-indexing');
    await page.getByTestId('folder-progress').filter({ hasText: `${total} / ${total} done` }).waitFor({ timeout: 90_000 });
    await shot('03-folders-done');

    await page.getByRole('button', { name: /^Library/ }).click();
    await expect.poll(() => tileNames('library-grid'), { timeout: 15_000 }).toHaveLength(total);
    await shot('04-library');

    await search('red');
    const results = await tileNames('search-results');
    expect(results[0]).toMatch(/^red-/);
    expect(results.slice(0, 2).sort()).toEqual(['red-door.jpg', 'red-poppy.jpg']);
    await shot('05-search-red');
    await page.getByRole('button', { name: 'Explain scores' }).click();
    await shot('06-search-explained');

    await page.getByTestId('search-results').locator('button.tile').first().click({ button: 'right' });
    await page.getByRole('menu', { name: 'Photo actions' }).waitFor();
    await shot('07-context-menu');
    await page.getByRole('menuitem', { name: 'Find similar' }).click();
    await page.getByTestId('similar-source').filter({ hasText: results[0] }).waitFor();
    await page.getByTestId('similar-results').locator('button.tile').first().waitFor();
    const similar = await tileNames('similar-results');
    expect(similar).not.toContain(results[0]);
    expect(similar[0]).toBe(results[1]);
    await shot('08-similar');

    await page.getByTestId('similar-results').locator('button.tile').first().click();
    const viewer = page.getByRole('dialog', { name: `Viewer: ${similar[0]}` });
    await viewer.waitFor();
    await page.getByTestId('exif').filter({ hasText: 'Path' }).waitFor();
    await shot('09-viewer');

    await viewer.getByRole('button', { name: 'Delete photo' }).click();
    await page.getByRole('alertdialog').waitFor();
    await shot('10-delete-confirm');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: /^Library/ }).click();
    await expect.poll(() => tileNames('library-grid')).toHaveLength(total - 1);
    expect(await tileNames('library-grid')).not.toContain(similar[0]);
    await shot('11-library-after-delete');

    await search('blue');
    await search('red');
    const after = await tileNames('search-results');
    expect(after).not.toContain(similar[0]);
    expect(after[0]).toBe(results[0]);

    await page.getByRole('button', { name: /^Settings/ }).click();
    await page.getByTestId('model-row').first().waitFor();
    await shot('12-settings');
  });
  it('asks before adding the parent of home folders, adds nothing on Cancel and adds it on “Add anyway”', async () => {
    const homes = path.join(workDir, 'homes');
    fs.mkdirSync(path.join(homes, 'ann'), { recursive: true });
    await writePhoto(path.join(homes, 'ann', 'orange-kite.jpg'), [240, 140, 30], 99);
    const savedHome = process.env.HOME;
    // The engine runs in this process: with HOME inside `homes`, that folder is a home directory's parent.
    process.env.HOME = path.join(homes, 'ann');
    try {
      await page.getByRole('button', { name: /^Folders/ }).click();
      const cards = page.getByTestId('folder-card');
      const before = await cards.count();
      const askAndAnswer = async (answer: 'Cancel' | 'Add anyway') => {
        await page.getByRole('combobox', { name: 'Folder path' }).fill(homes);
        await page.getByRole('button', { name: 'Add folder' }).click();
        const dialog = page.getByRole('alertdialog', { name: `Add ${homes}?` });
        await dialog.waitFor();
        await expect.poll(() => dialog.textContent()).toContain('holds the home folders of every user');
        if (answer === 'Cancel') {
          for (const [width, height] of [[1280, 800], [1920, 1080]] as const) {
            await page.setViewportSize({ width, height });
            await shot(`13-folders-confirm-${width}x${height}`);
          }
          await page.setViewportSize({ width: 1400, height: 900 });
        }
        await dialog.getByRole('button', { name: answer }).click();
        await dialog.waitFor({ state: 'detached' });
      };
      await askAndAnswer('Cancel');
      expect(await cards.count()).toBe(before);
      const listed = await api.invoke('folders.list', undefined);
      expect(listed.ok && listed.value.map((folder) => folder.path)).not.toContain(fs.realpathSync(homes));
      await askAndAnswer('Add anyway');
      await page.getByRole('article', { name: fs.realpathSync(homes) }).waitFor();
      await shot('14-folders-added-after-confirm');
    } finally {
      process.env.HOME = savedHome;
    }
  });
});
