// End to end in Chromium against browser mode and the real engine (fixture SigLIP, real dictionary and WordNet): type
// in the search box and pick a suggestion with the keyboard, recover from a typo, remove an expansion chip, pin a
// search to the sidebar — with screenshots at 1280×800 and 1920×1080 under test-results/screenshots/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { type Browser, type Locator, type Page } from 'playwright-core';
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

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(root, 'test-results', 'screenshots');
const MODEL = 'glimpse-fixtures/siglip-colour';
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

const PHOTOS: Record<string, [number, number, number]> = {
  'Sintra 2023/red tram.jpg': [214, 32, 36],
  'Sintra 2023/red door.jpg': [186, 24, 44],
  'Sintra 2023/blue tiles.jpg': [34, 70, 214],
  'Siobhan birthday/purple balloons.jpg': [128, 40, 160],
  'Siobhan birthday/yellow cake.jpg': [238, 214, 46],
  'Siobhan birthday/green garden.jpg': [52, 170, 64],
};

let workDir: string;
let api: Api;
let server: RunningServer;
let browser: Browser;
let page: Page;

/** Screenshots at each size; `inView` is scrolled into sight after each resize, as a person would scroll to it. */
async function shots(name: string, inView?: Locator): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await inView?.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(screenshots, `words-${name}-${size.width}x${size.height}.png`) });
  }
}

/**
 * Waits for `locator`; when it never comes, fails with what the page showed instead (the box, its dropdown, the
 * summary or error, the notice) and a screenshot, so a failure in a run no one watched says what happened.
 */
async function waitOrExplain(locator: Locator, name: string, timeout: number): Promise<void> {
  try {
    await locator.waitFor({ timeout });
  } catch (error) {
    await page.screenshot({ path: path.join(screenshots, `words-failed-${name}.png`) }).catch(() => undefined);
    const shown = await page
      .evaluate(() => ({
        box: (document.querySelector('[role="searchbox"]') as HTMLInputElement | null)?.value,
        dropdown: [...document.querySelectorAll('[role="listbox"] [role="option"]')].map((option) => option.textContent),
        main: document.querySelector('main')?.innerText.slice(0, 600),
      }))
      .catch((reason: unknown) => String(reason));
    const history = await call(api, 'history.list', undefined).catch((reason: unknown) => String(reason));
    throw new Error(`${(error as Error).message}\nThe page showed: ${JSON.stringify(shown)}\nHistory: ${JSON.stringify(history)}`);
  }
}

async function tileNames(): Promise<string[]> {
  return page.getByTestId('search-results').locator('button.tile').evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('aria-label') ?? ''));
}

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-e2e-words-'));
  const photoDir = path.join(workDir, 'Pictures');
  let width = 480;
  for (const [name, [r, g, b]] of Object.entries(PHOTOS)) {
    fs.mkdirSync(path.dirname(path.join(photoDir, name)), { recursive: true });
    await sharp({ create: { width: width++, height: 360, channels: 3, background: { r, g, b } } }).jpeg().toFile(path.join(photoDir, name));
  }
  const rendererDir = path.join(workDir, 'renderer');
  await build({ ...rendererConfig, mode: 'production', logLevel: 'warn', build: { ...rendererConfig.build, outDir: rendererDir } });
  const modelsDir = process.env.GLIMPSE_TEST_MODELS_DIR;
  if (!modelsDir) throw new Error('GLIMPSE_TEST_MODELS_DIR is not set: run through vitest so tests/setup/global-setup.ts generates the fixture models');
  const config = loadConfig({ env: {}, overrides: { dataDir: path.join(workDir, 'data'), modelsDir, model: MODEL, offline: true } });
  api = await openApi(config);
  expect(await call(api, 'folders.index', { path: photoDir })).toMatchObject({ indexed: Object.keys(PHOTOS).length, failed: [] });
  server = await startServer(api, { rendererDir });
  browser = await launchChromium();
  page = await openPage(browser, SIZES[0]);
}, 240_000);

afterAll(() => closeEndToEnd({ browser, server, api, workDir }));

describe('the words of a search, in Chromium', () => {
  it('suggests from the library as the person types, and the keyboard picks one', async () => {
    await page.goto(server.url);
    const box = page.getByRole('searchbox', { name: 'Search photos' });
    await box.click();
    await box.pressSequentially('si', { delay: 40 });
    const list = page.getByRole('listbox', { name: 'Search suggestions' });
    await list.getByRole('option').filter({ hasText: 'Sintra' }).waitFor();
    const options = await list.getByRole('option').allTextContents();
    expect(options.some((text) => text.includes('Siobhan'))).toBe(true);
    await shots('01-suggestions');
    const listBox = (await list.boundingBox())!;
    const searchBox = (await box.boundingBox())!;
    expect(listBox.y).toBeGreaterThan(searchBox.y);
    expect(listBox.y).toBeLessThan(searchBox.y + searchBox.height + 40);
    await box.press('Escape');
    await expect.poll(() => list.count()).toBe(0);
    expect(await box.inputValue()).toBe('si');
    await box.press('ArrowDown');
    await list.waitFor();
    await box.press('Tab');
    expect(await box.inputValue()).toMatch(/^(Sintra|Siobhan)/);
  });

  it('shows results for the corrected query when a typo finds nothing, and searches the typo on request', async () => {
    const box = page.getByRole('searchbox', { name: 'Search photos' });
    await box.fill('purpel');
    await box.press('Enter');
    const notice = page.getByTestId('showing-results-for');
    // The first correction waits for the spelling dictionary to load in its worker (past the engine's bound the window
    // asks again once it has loaded): seconds alone, far longer while the rest of the suite keeps both cores busy.
    await waitOrExplain(notice, 'showing-results-for', 120_000);
    expect(await notice.textContent()).toBe('Showing results for purple — search instead for purpel');
    await expect.poll(tileNames).toEqual(['purple balloons.jpg', ...(await tileNames()).slice(1)]);
    await shots('02-showing-results-for');
    await notice.getByRole('button', { name: 'purpel' }).click();
    await page.getByRole('heading', { name: /Nothing matched/ }).waitFor();
    expect(await notice.count()).toBe(0);
  }, 180_000);

  it('searches a word the model does not know through its related words, with chips to remove them', async () => {
    const box = page.getByRole('searchbox', { name: 'Search photos' });
    await box.fill('crimson');
    await box.press('Enter');
    const chips = page.getByTestId('expansion-chips');
    await waitOrExplain(chips, 'expansion-chips', 30_000);
    expect(await chips.textContent()).toContain('red');
    await expect.poll(async () => (await tileNames()).slice(0, 2).sort()).toEqual(['red door.jpg', 'red tram.jpg']);
    await shots('03-expansion-chips');
    await page.getByRole('button', { name: 'Leave out “red”' }).click();
    await page.getByRole('heading', { name: /Nothing matched/ }).waitFor();
    await page.getByRole('button', { name: 'Pin search' }).waitFor();
  });

  it('pins a search to the sidebar and runs it from there; history shows in the dropdown', async () => {
    const box = page.getByRole('searchbox', { name: 'Search photos' });
    await box.fill('blue');
    await box.press('Enter');
    await page.getByTestId('search-summary').filter({ hasText: 'for “blue”' }).waitFor();
    await page.getByRole('button', { name: 'Pin search' }).click();
    const pinned = page.getByRole('group', { name: 'Pinned searches' });
    await pinned.getByRole('button', { name: 'blue' }).waitFor();
    await box.fill('');
    await box.click();
    const list = page.getByRole('listbox', { name: 'Search suggestions' });
    // The list for the text before ('blue') can still be showing until the empty box's answer (the history) comes.
    await waitOrExplain(list.getByRole('option').filter({ hasText: 'purple' }).first(), 'history', 30_000);
    const history = await list.getByRole('option').allTextContents();
    expect(history[0]).toContain('blue');
    // Each history entry is one line: its words, then its pin and forget buttons beside them, not stacked under them.
    const entry = list.getByRole('option').first();
    const pinBox = (await entry.getByRole('button', { name: 'Unpin “blue”' }).boundingBox())!;
    expect((await entry.boundingBox())!.height).toBeLessThan(pinBox.height * 1.5);
    await shots('04-history-and-pinned');
    await box.press('Escape');
    await page.getByRole('button', { name: /^Library/ }).click();
    await pinned.getByRole('button', { name: 'blue' }).click();
    await page.getByTestId('search-summary').filter({ hasText: 'for “blue”' }).waitFor();
    expect((await tileNames())[0]).toBe('blue tiles.jpg');
  });

  it('turns related words off in Settings', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const option = page.getByRole('checkbox', { name: /Also search related words/ });
    await option.waitFor();
    await shots('05-settings', option);
    expect(await option.isChecked()).toBe(true);
    await option.click();
    await expect.poll(async () => (await call(api, 'settings.get', undefined)).words.expand).toBe(false);
    await expect.poll(() => option.isChecked()).toBe(false);
  });
});
