// The viewer's rotate and slideshow in Chromium against browser mode on the real engine (Human finding the face at
// import): a turned photo is turned in the viewer (whole, contain-fit), its face box still on the face, its size in
// the details, its grid tile — after a reload too — while the file keeps its bytes; the slideshow advances without an
// empty frame, pauses, ends, and Esc gives focus back to the tile. Screenshots land in test-results/viewer/.
import { createHash } from 'node:crypto';
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
import { rendererConfig } from '../../vite.renderer.config';
import { call } from '../api/unwrap';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { FACES_DIR } from '../fixtures/photos';
import { launchChromium, openPage } from './support/chromium';
import { closeEndToEnd } from './support/teardown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(root, 'test-results', 'viewer');
const SIZES = { small: { width: 1280, height: 800 }, large: { width: 1920, height: 1080 } } as const;

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A plain photo with a red block in its top-left corner, so which way it is shown can be read from the screen. */
async function markedPhoto(file: string, width: number, height: number, rgb: [number, number, number], taken: string): Promise<void> {
  const pixels = Buffer.alloc(width * height * 3);
  const block = Math.round(Math.min(width, height) / 4);
  for (let i = 0; i < width * height; i++) {
    const red = i % width < block && Math.floor(i / width) < block;
    pixels.set(red ? [235, 20, 20] : rgb, i * 3);
  }
  await sharp(pixels, { raw: { width, height, channels: 3 } }).withExif({ IFD0: { DateTime: taken } }).jpeg({ quality: 90 }).toFile(file);
}

let workDir: string;
let photoDir: string;
let api: Api;
let server: RunningServer;
let browser: Browser;
let page: Page;

async function shotBothSizes(name: string): Promise<void> {
  for (const [label, size] of [['1280x800', SIZES.small], ['1920x1080', SIZES.large]] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(350);
    await page.screenshot({ path: path.join(screenshots, `${name}-${label}.png`) });
  }
}

async function activeLabel(): Promise<string> {
  return page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
}

/** Where the picture's pixels are on screen inside the viewer's contain-fit <img>, and its natural size. */
async function shownPicture(): Promise<Rect & { natural: { width: number; height: number }; stage: Rect }> {
  return page.locator('.viewer-stage img').first().evaluate((img: HTMLImageElement) => {
    const box = img.getBoundingClientRect();
    const stage = img.parentElement!.getBoundingClientRect();
    const scale = Math.min(box.width / img.naturalWidth, box.height / img.naturalHeight);
    const width = img.naturalWidth * scale;
    const height = img.naturalHeight * scale;
    return {
      x: box.left + (box.width - width) / 2,
      y: box.top + (box.height - height) / 2,
      width,
      height,
      natural: { width: img.naturalWidth, height: img.naturalHeight },
      stage: { x: stage.left, y: stage.top, width: stage.width, height: stage.height },
    };
  });
}

async function waitForViewerTurns(turns: number): Promise<void> {
  await page.waitForFunction((t) => {
    const img = document.querySelector<HTMLImageElement>('.viewer-stage img');
    const named = t === 0 ? !img?.src.includes('turns=') : Boolean(img?.src.includes(`turns=${t}`));
    return Boolean(img && named && img.complete && img.naturalWidth > 0);
  }, turns);
}

/** Greyscale pixels of a screen rectangle, turned back `turns` quarter turns and scaled to 32 × 32, to compare regions. */
async function regionPixels(rect: Rect, turnBack: number): Promise<Buffer> {
  const png = await page.screenshot({ clip: rect });
  return sharp(png).rotate(-90 * turnBack).resize(32, 32, { fit: 'fill' }).greyscale().raw().toBuffer();
}

function meanDifference(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

/** Which corner of a screen rectangle is red. */
async function redCorner(rect: Rect): Promise<string> {
  const { data, info } = await sharp(await page.screenshot({ clip: rect })).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const red = (fx: number, fy: number) => {
    const i = (Math.floor(fy * (info.height - 1)) * info.width + Math.floor(fx * (info.width - 1))) * info.channels;
    return data[i] > 180 && data[i + 1] < 90;
  };
  return [
    ['top-left', 0.08, 0.08],
    ['top-right', 0.92, 0.08],
    ['bottom-left', 0.08, 0.92],
    ['bottom-right', 0.92, 0.92],
  ]
    .filter(([, fx, fy]) => red(fx as number, fy as number))
    .map(([name]) => name)
    .join(',');
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-e2e-viewer-'));
  photoDir = path.join(workDir, 'Photos');
  fs.mkdirSync(photoDir);
  fs.copyFileSync(path.join(FACES_DIR, 'obama.jpg'), path.join(photoDir, 'obama.jpg'));
  await markedPhoto(path.join(photoDir, 'wide-bay.jpg'), 2400, 1000, [40, 110, 200], '2024:06:02 10:00:00');
  await markedPhoto(path.join(photoDir, 'tall-tower.jpg'), 1434, 2333, [90, 160, 80], '2024:06:01 10:00:00');
  await markedPhoto(path.join(photoDir, 'amber-field.jpg'), 800, 600, [220, 160, 40], '2024:05:01 10:00:00');
  await markedPhoto(path.join(photoDir, 'violet-dusk.jpg'), 600, 800, [120, 60, 160], '2024:04:01 10:00:00');
  const rendererDir = path.join(workDir, 'renderer');
  await build({ ...rendererConfig, mode: 'production', logLevel: 'warn', build: { ...rendererConfig.build, outDir: rendererDir } });
  const modelsDir = process.env.GLIMPSE_TEST_MODELS_DIR;
  if (!modelsDir) throw new Error('GLIMPSE_TEST_MODELS_DIR is not set: run through vitest');
  api = await openApi(loadConfig({ env: {}, overrides: { dataDir: path.join(workDir, 'data'), modelsDir, model: FIXTURE_MODEL_ID, offline: true } }));
  await call(api, 'folders.index', { path: photoDir });
  server = await startServer(api, { rendererDir });
  browser = await launchChromium();
  page = await openPage(browser, SIZES.large, { reducedMotion: 'reduce' });
}, 240_000);

afterAll(() => closeEndToEnd({ browser, server, api, workDir }));

describe('the viewer: rotate and slideshow', () => {
  it('turns a photo everywhere it is shown, keeps it whole, and never rewrites the file', async () => {
    const wide = path.join(photoDir, 'wide-bay.jpg');
    const before = sha256(wide);
    await page.goto(server.url);
    const grid = page.getByTestId('library-grid');
    await expect.poll(() => grid.locator('button.tile').count(), { timeout: 20_000 }).toBe(5);
    await grid.getByRole('button', { name: 'wide-bay.jpg' }).click();
    await page.getByRole('dialog', { name: 'Viewer: wide-bay.jpg' }).waitFor();
    await waitForViewerTurns(0);
    expect(await redCorner(await shownPicture())).toBe('top-left');

    await page.keyboard.press('r');
    await waitForViewerTurns(1);
    const turned = await shownPicture();
    expect(turned.natural.width).toBeLessThan(turned.natural.height);
    expect(await redCorner(turned)).toBe('top-right');
    await page.getByTestId('exif').getByText('1000 × 2400 (turned right)').waitFor();
    await shotBothSizes('01-viewer-turned-right');
    // In a browser the file is offered as a download — the original bytes, not the turned picture — and nothing
    // pretends to open the server's file manager.
    expect(await page.getByRole('button', { name: 'Show in folder' }).count()).toBe(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download original' }).click()]);
    expect(download.suggestedFilename()).toBe('wide-bay.jpg');
    const saved = path.join(workDir, 'downloaded.jpg');
    await download.saveAs(saved);
    expect(sha256(saved)).toBe(before);
    // Whole at both sizes, with the details open and closed: the turned portrait fits the stage (contain).
    for (const size of [SIZES.small, SIZES.large]) {
      await page.setViewportSize(size);
      for (const _details of [0, 1]) {
        await page.waitForTimeout(250);
        const shown = await shownPicture();
        expect(shown.y).toBeGreaterThanOrEqual(shown.stage.y - 0.5);
        expect(shown.y + shown.height).toBeLessThanOrEqual(shown.stage.y + shown.stage.height + 0.5);
        expect(shown.x).toBeGreaterThanOrEqual(shown.stage.x - 0.5);
        expect(shown.x + shown.width).toBeLessThanOrEqual(shown.stage.x + shown.stage.width + 0.5);
        expect(shown.width / shown.height).toBeCloseTo(1000 / 2400, 2);
        await page.keyboard.press('i');
      }
    }

    await page.getByRole('button', { name: 'Rotate left' }).click();
    await waitForViewerTurns(0);
    await page.getByRole('button', { name: 'Rotate left' }).click();
    await waitForViewerTurns(3);
    expect(await redCorner(await shownPicture())).toBe('bottom-left');
    await page.getByTestId('exif').getByText('1000 × 2400 (turned left)').waitFor();

    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await activeLabel()).toBe('wide-bay.jpg');
    const tileImage = grid.getByRole('button', { name: 'wide-bay.jpg' }).locator('img.loaded');
    await expect.poll(() => tileImage.getAttribute('src')).toContain('turns=3');
    // The tile's picture is the turned one (it is cropped square in the grid, so its shape tells).
    await expect.poll(() => tileImage.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth < img.naturalHeight)).toBe(true);
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('[data-testid="library-grid"] img.loaded')].every((img) => img.complete));
    await shotBothSizes('02-grid-turned-tile');
    // A fresh page (or another window) shows it turned too: the turn is in the catalog, not in the page.
    await page.reload();
    await expect.poll(() => grid.getByRole('button', { name: 'wide-bay.jpg' }).locator('img').getAttribute('src'), { timeout: 15_000 }).toContain('turns=3');
    expect(sha256(wide)).toBe(before);

    // The portrait, turned to lie down, is whole at both window sizes.
    await grid.getByRole('button', { name: 'tall-tower.jpg' }).click();
    await waitForViewerTurns(0);
    await page.keyboard.press('Shift+R');
    await waitForViewerTurns(3);
    for (const size of [SIZES.small, SIZES.large]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(250);
      const shown = await shownPicture();
      expect(shown.width / shown.height).toBeCloseTo(2333 / 1434, 2);
      expect(shown.x + shown.width).toBeLessThanOrEqual(shown.stage.x + shown.stage.width + 0.5);
      expect(shown.y + shown.height).toBeLessThanOrEqual(shown.stage.y + shown.stage.height + 0.5);
    }
    await shotBothSizes('03-viewer-portrait-turned-left');
    await page.keyboard.press('Escape');
  });

  it('keeps the face box on the face when the photo is turned', async () => {
    await page.setViewportSize(SIZES.large);
    await page.getByTestId('library-grid').getByRole('button', { name: 'obama.jpg' }).click();
    await waitForViewerTurns(0);
    const box = page.locator('.face-box').first();
    await box.waitFor({ timeout: 20_000 });
    const toggle = page.getByRole('button', { name: 'Hide faces' });
    const faceRegion = async (): Promise<Rect> => {
      const rect = (await box.boundingBox())!;
      return { x: Math.round(rect.x), y: Math.round(rect.y), width: Math.round(rect.width), height: Math.round(rect.height) };
    };
    const upright = await faceRegion();
    await toggle.click();
    const uprightFace = await regionPixels(upright, 0);
    await page.getByRole('button', { name: /^Show 1 face/ }).click();

    await page.keyboard.press('r');
    await waitForViewerTurns(1);
    await page.waitForTimeout(300);
    const turned = await faceRegion();
    expect(turned.width / turned.height).toBeCloseTo(upright.height / upright.width, 1);
    await shotBothSizes('04-viewer-face-box-turned');
    await page.setViewportSize(SIZES.large);
    await page.waitForTimeout(300);
    const turnedNow = await faceRegion();
    await page.getByRole('button', { name: 'Hide faces' }).click();
    // The pixels under the turned box, turned back, are the face the upright box framed; beside it they are not.
    const matched = meanDifference(await regionPixels(turnedNow, 1), uprightFace);
    const beside = meanDifference(await regionPixels({ ...turnedNow, x: turnedNow.x + Math.round(turnedNow.width * 0.6) }, 1), uprightFace);
    console.log(`measured: face region difference ${matched.toFixed(1)} on the box, ${beside.toFixed(1)} beside it`);
    expect(matched).toBeLessThan(14);
    expect(beside).toBeGreaterThan(matched * 2);
    await page.getByRole('button', { name: /^Show 1 face/ }).click();
    await page.keyboard.press('Shift+R');
    await waitForViewerTurns(0);
    await page.keyboard.press('Escape');
  });

  it('plays a slideshow through the list without an empty frame, pauses, ends, and Esc returns to the tile', async () => {
    await page.setViewportSize(SIZES.small);
    const grid = page.getByTestId('library-grid');
    const names = await grid.locator('button.tile').evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('aria-label') ?? ''));
    await grid.getByRole('button', { name: names[0] }).click();
    await page.getByRole('dialog', { name: `Viewer: ${names[0]}` }).waitFor();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.getByText('Rotate right · left').waitFor();
    await help.getByText('Pause · resume the slideshow').waitFor();
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Slideshow' }).click();
    const state = page.getByTestId('slideshow-state');
    await state.filter({ hasText: '1 / 5' }).waitFor();
    await page.getByRole('combobox', { name: 'Seconds per photo' }).selectOption('2');
    await page.locator('.viewer').focus();
    // Every frame from here on must show a decoded picture: none is blank while the next one loads.
    await page.evaluate(() => {
      const record = { frames: 0, empty: 0 };
      (window as unknown as { slideFrames: typeof record }).slideFrames = record;
      const sample = () => {
        const images = [...document.querySelectorAll<HTMLImageElement>('.viewer-stage img.slide')];
        record.frames++;
        if (!images.some((img) => img.complete && img.naturalWidth > 0 && getComputedStyle(img).opacity !== '0')) record.empty++;
        if (document.querySelector('.viewer.slideshow')) requestAnimationFrame(sample);
      };
      requestAnimationFrame(sample);
    });
    await state.filter({ hasText: '2 / 5' }).waitFor({ timeout: 6000 });
    expect(await page.getByRole('dialog').getAttribute('aria-label')).toBe(`Viewer: ${names[1]}`);

    await page.keyboard.press('Space');
    await state.filter({ hasText: 'Paused · 2 / 5' }).waitFor();
    await page.waitForTimeout(2600);
    expect(await state.textContent()).toBe('Paused · 2 / 5');
    await shotBothSizes('05-slideshow-paused');
    await page.keyboard.press('Space');
    await state.filter({ hasText: '3 / 5' }).waitFor({ timeout: 6000 });
    await shotBothSizes('06-slideshow-playing');
    // The shortcut help over a running slideshow holds it: the photo does not change under the dialog.
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: /shortcuts/i }).waitFor();
    await page.waitForTimeout(2600);
    expect(await state.textContent()).toBe('3 / 5');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: /shortcuts/i }).waitFor({ state: 'detached' });
    expect(await page.locator('.viewer.slideshow').count()).toBe(1);
    await page.keyboard.press('End');
    await state.filter({ hasText: '5 / 5' }).waitFor();
    await state.filter({ hasText: 'End of the slideshow' }).waitFor({ timeout: 6000 });
    const frames = await page.evaluate(() => (window as unknown as { slideFrames: { frames: number; empty: number } }).slideFrames);
    console.log(`measured: slideshow frames ${frames.frames}, without a picture ${frames.empty}`);
    expect(frames.frames).toBeGreaterThan(30);
    expect(frames.empty).toBe(0);

    // Any fade is skipped for reduced motion, and shown otherwise.
    const fade = () => page.locator('.viewer-stage img.slide').last().evaluate((img) => getComputedStyle(img).animationDuration);
    expect(await fade()).toBe('0s');
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    expect(await fade()).toBe('0.7s');
    await page.emulateMedia({ reducedMotion: 'reduce' });

    // Looping: Play from the end starts over at the first photo.
    await page.getByRole('checkbox', { name: 'Loop' }).check();
    await page.locator('.viewer').focus();
    await page.keyboard.press('Space');
    await state.filter({ hasText: /^1 \/ 5$/ }).waitFor();
    await state.filter({ hasText: /^2 \/ 5$/ }).waitFor({ timeout: 6000 });

    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await activeLabel()).toBe(names[1]);
  });
});
