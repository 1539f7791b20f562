// Selecting and exporting as a person does it, in Chromium against browser mode on the real engine: a rubber band from
// empty space (Shift extends, Ctrl toggles, the grid scrolls at its edge), a day's check selecting the whole day,
// Favourite with Undo for a selection, and "Export a copy…" writing the originals into a typed server folder.
// Screenshots at 1280×800 and 1920×1080 land in test-results/selection/.
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
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { call } from '../api/unwrap';
import { launchChromium, openPage } from './support/chromium';
import { closeEndToEnd } from './support/teardown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(root, 'test-results', 'selection');
const SIZES = { small: { width: 1280, height: 800 }, large: { width: 1920, height: 1080 } } as const;

/** 14 photos on 2 June (a full day), then small days (two of them side by side), then a long May — enough to scroll at 1280×800 — and one photo of 2023 for the year scrubber. */
const DAYS: Array<{ day: string; count: number }> = [
  { day: '2024:06:02', count: 14 },
  { day: '2024:06:01', count: 2 },
  { day: '2024:05:30', count: 1 },
  { day: '2024:05:29', count: 1 },
  { day: '2024:05:20', count: 24 },
  { day: '2023:08:01', count: 1 },
];
const SHAPES: Array<[number, number]> = [[480, 360], [360, 480], [640, 320], [400, 400], [300, 450]];

let workDir: string;
let api: Api;
let server: RunningServer;
let browser: Browser;
let page: Page;
const grid = () => page.getByTestId('library-grid');

async function shot(name: string): Promise<void> {
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(screenshots, `${name}.png`) });
}

async function selectedNames(): Promise<string[]> {
  return grid().locator('button.tile.selected').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('title') ?? ''));
}

async function selectionCount(): Promise<number> {
  const bar = page.getByRole('toolbar', { name: 'Selection' });
  if ((await bar.count()) === 0) return 0;
  return Number(/(\d+) photos? selected/.exec((await bar.textContent()) ?? '')?.[1] ?? 0);
}

/** Names of the drawn tiles whose boxes meet the rectangle between two page points. */
async function tilesUnder(from: { x: number; y: number }, to: { x: number; y: number }): Promise<string[]> {
  return grid().locator('button.tile').evaluateAll(
    (tiles, band) => {
      const [l, r, t, b] = [Math.min(band.from.x, band.to.x), Math.max(band.from.x, band.to.x), Math.min(band.from.y, band.to.y), Math.max(band.from.y, band.to.y)];
      return tiles
        .filter((tile) => {
          const box = tile.getBoundingClientRect();
          return box.left < r && l < box.right && box.top < b && t < box.bottom;
        })
        .map((tile) => tile.getAttribute('title') ?? '');
    },
    { from, to },
  );
}

async function drag(from: { x: number; y: number }, to: { x: number; y: number }, modifier?: 'Shift' | 'Control', during?: () => Promise<void>): Promise<void> {
  if (modifier) await page.keyboard.down(modifier);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await during?.();
  await page.mouse.up();
  if (modifier) await page.keyboard.up(modifier);
}

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-selection-'));
  const photoDir = path.join(workDir, 'Camera');
  fs.mkdirSync(photoDir, { recursive: true });
  let n = 0;
  for (const { day, count } of DAYS) {
    for (let i = 0; i < count; i++, n++) {
      const [width, height] = SHAPES[n % SHAPES.length];
      const hue = (n * 47) % 255;
      await sharp({ create: { width, height, channels: 3, background: { r: hue, g: 255 - hue, b: (n * 91) % 255 } } })
        .withExif({ IFD0: { DateTime: `${day} ${String(20 - (i % 20)).padStart(2, '0')}:00:00` } })
        .jpeg({ quality: 80 })
        .toFile(path.join(photoDir, `IMG_${String(n + 1).padStart(4, '0')}.jpg`));
    }
  }
  const rendererDir = path.join(workDir, 'renderer');
  await build({ ...rendererConfig, mode: 'production', logLevel: 'warn', build: { ...rendererConfig.build, outDir: rendererDir } });
  const config = loadConfig({ env: {}, overrides: { dataDir: path.join(workDir, 'data'), modelsDir: process.env.GLIMPSE_TEST_MODELS_DIR!, model: FIXTURE_MODEL_ID, offline: true } });
  api = await openApi(config);
  await call(api, 'folders.index', { path: photoDir });
  server = await startServer(api, { rendererDir });
  browser = await launchChromium();
  page = await openPage(browser, SIZES.small, { reducedMotion: 'reduce' });
  await page.goto(server.url);
  await grid().locator('button.tile').first().waitFor({ timeout: 30_000 });
}, 240_000);

afterAll(() => closeEndToEnd({ browser, server, api, workDir }));

describe('selecting photos', () => {
  it('a rubber band from empty space selects the tiles it touches; Shift extends, Ctrl toggles, a click clears', async () => {
    const box = (await grid().boundingBox())!;
    const firstRow = (await grid().locator('button.tile').nth(0).boundingBox())!;
    // From the empty space right of 2 June's header, down-left across its first two rows.
    const from = { x: box.x + box.width * 0.6, y: firstRow.y - 20 };
    const to = { x: firstRow.x + firstRow.width * 1.5, y: firstRow.y + firstRow.height * 1.5 };
    const expected = await tilesUnder(from, to);
    expect(expected.length).toBeGreaterThanOrEqual(4);
    await drag(from, to, undefined, async () => {
      await page.getByTestId('drag-band').waitFor();
      await shot('01-drag-band-1280x800');
    });
    expect((await selectedNames()).sort()).toEqual([...expected].sort());
    expect(await page.getByTestId('drag-band').count()).toBe(0);
    // The Tab stop moved to the tile where the band ended.
    expect(await grid().locator('button.tile[tabindex="0"]').getAttribute('title')).toBe(await tilesUnder(to, to).then((t) => t[0]));

    // Shift adds a second band; Ctrl over the first band's tiles takes them out again.
    const lastVisible = (await grid().locator('button.tile').nth(6).boundingBox())!;
    const second = { from: { x: box.x + box.width - 30, y: lastVisible.y + lastVisible.height / 2 }, to: { x: box.x + box.width - 200, y: lastVisible.y + lastVisible.height / 2 + 5 } };
    const added = await tilesUnder(second.from, second.to);
    expect(added.length).toBeGreaterThan(0);
    await drag(second.from, second.to, 'Shift');
    expect((await selectedNames()).sort()).toEqual([...new Set([...expected, ...added])].sort());
    await drag(from, to, 'Control');
    expect((await selectedNames()).sort()).toEqual(added.filter((name) => !expected.includes(name)).sort());

    // A click on empty space clears; a click on a tile still opens it (the band needs a drag).
    await page.mouse.click(from.x, from.y);
    expect(await selectionCount()).toBe(0);

    await page.setViewportSize(SIZES.large);
    await page.waitForTimeout(300);
    const large = (await grid().boundingBox())!;
    const largeRow = (await grid().locator('button.tile').nth(0).boundingBox())!;
    const largeFrom = { x: large.x + large.width * 0.6, y: largeRow.y - 20 };
    await drag(largeFrom, { x: largeRow.x + largeRow.width * 1.5, y: largeRow.y + largeRow.height * 1.5 }, undefined, async () => {
      await page.getByTestId('drag-band').waitFor();
      await shot('01-drag-band-1920x1080');
    });
    expect(await selectionCount()).toBeGreaterThan(0);
    await page.mouse.click(largeFrom.x, largeFrom.y);
    await page.setViewportSize(SIZES.small);
  });

  it('scrolls while the band is held at the bottom edge, selecting what comes into view', async () => {
    await page.setViewportSize(SIZES.small);
    const box = (await grid().boundingBox())!;
    const top = await grid().evaluate((el) => el.scrollTop);
    const firstRow = (await grid().locator('button.tile').nth(0).boundingBox())!;
    const from = { x: box.x + box.width * 0.6, y: firstRow.y - 20 };
    const to = { x: box.x + 10, y: box.y + box.height - 4 };
    const reachable = (await tilesUnder(from, to)).length;
    await drag(from, to, undefined, async () => {
      await expect.poll(() => grid().evaluate((el) => el.scrollTop), { timeout: 5_000 }).toBeGreaterThan(top + 300);
      // Past the tiles the band could reach without scrolling, and past the first day's 14.
      await expect.poll(selectionCount, { timeout: 10_000 }).toBeGreaterThan(Math.max(14, reachable));
    });
    await shot('02-drag-autoscrolled-1280x800');
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await grid().evaluate((el) => (el.scrollTop = 0));
  });

  it('a day’s check selects the whole day, shows a partial day as mixed, and works from the keyboard', async () => {
    const check = grid().getByRole('checkbox', { name: /Select all photos of .*2024/ }).first();
    await check.click();
    expect(await check.getAttribute('aria-checked')).toBe('true');
    expect(await selectionCount()).toBe(14);
    for (const size of ['1280x800', '1920x1080'] as const) {
      await page.setViewportSize(size === '1280x800' ? SIZES.small : SIZES.large);
      await shot(`03-day-selected-${size}`);
    }
    await page.setViewportSize(SIZES.small);
    await grid().locator('button.tile.selected').first().click({ modifiers: ['Control'] });
    expect(await check.getAttribute('aria-checked')).toBe('mixed');
    expect(await check.evaluate((el) => (el as HTMLElement).tabIndex)).toBe(0);
    await check.focus();
    await shot('03-day-check-focused-mixed-1280x800');
    await page.keyboard.press('Space');
    await expect.poll(() => check.getAttribute('aria-checked')).toBe('true');
    await page.keyboard.press('Space');
    await expect.poll(() => check.getAttribute('aria-checked')).toBe('false');
    expect(await selectionCount()).toBe(0);
  });

  it('marks a selection as favourites and the toast’s Undo takes it back', async () => {
    const check = grid().getByRole('checkbox', { name: /Select all photos of .*2024/ }).first();
    await check.click();
    await page.getByRole('toolbar', { name: 'Selection' }).getByRole('button', { name: 'Favourite', exact: true }).click();
    await page.getByText('Added 14 photos to Favourites').waitFor();
    expect(await call(api, 'gallery.favourites', undefined)).toHaveLength(14);
    await page.locator('.toast').filter({ hasText: 'Added 14 photos' }).getByRole('button', { name: 'Undo' }).click();
    await expect.poll(async () => (await call(api, 'gallery.favourites', undefined)).length).toBe(0);
  });
});

describe('exporting copies', () => {
  it('exports the selected photos into a new server folder typed with completion, renaming taken names', async () => {
    const exports = path.join(workDir, 'Exports');
    fs.mkdirSync(exports);
    fs.writeFileSync(path.join(exports, 'IMG_0001.jpg'), 'already there');
    const tiles = grid().locator('button.tile');
    await tiles.nth(0).click({ modifiers: ['Control'] });
    await tiles.nth(1).click({ modifiers: ['Control'] });
    const names = await selectedNames();
    expect(names).toHaveLength(2);
    await page.getByRole('toolbar', { name: 'Selection' }).getByRole('button', { name: 'Export a copy…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export a copy of 2 photos' });
    await dialog.waitFor();
    const field = dialog.getByRole('combobox', { name: 'Folder path' });
    expect(await field.evaluate((el) => el === document.activeElement)).toBe(true);
    await field.fill(path.join(workDir, 'Exp'));
    await expect.poll(() => dialog.getByRole('option').allTextContents()).toEqual([exports]);
    await field.press('Tab');
    await field.pressSequentially('For Grandma');
    await page.setViewportSize(SIZES.large);
    await page.screenshot({ path: path.join(screenshots, '04-export-dialog-1920x1080.png') });
    await page.setViewportSize(SIZES.small);
    await page.screenshot({ path: path.join(screenshots, '04-export-dialog-1280x800.png') });
    await dialog.getByRole('button', { name: 'Export' }).click();
    await page.getByText(`Exported 2 copies to ${path.join(fs.realpathSync(exports), 'For Grandma')}`).waitFor();
    await dialog.waitFor({ state: 'detached' });
    const target = path.join(exports, 'For Grandma');
    expect(fs.readdirSync(target).sort()).toEqual([...names].sort());
    for (const name of names) expect(fs.readFileSync(path.join(target, name)).equals(fs.readFileSync(path.join(workDir, 'Camera', name)))).toBe(true);
    await shot('05-exported-toast-1280x800');
    await page.getByRole('button', { name: 'Clear selection' }).click();

    // From the right-click menu, into a folder where the name is taken: the old file stays, the copy is renamed.
    const first = grid().locator('button.tile[title="IMG_0001.jpg"]');
    await first.click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Export a copy…' }).click();
    const again = page.getByRole('dialog', { name: 'Export a copy of IMG_0001.jpg' });
    await again.getByRole('combobox', { name: 'Folder path' }).fill(exports);
    await again.getByRole('button', { name: 'Export' }).click();
    await page.getByText(/Exported 1 copy to .*· 1 renamed because the name was taken/).waitFor();
    expect(fs.readFileSync(path.join(exports, 'IMG_0001.jpg'), 'utf8')).toBe('already there');
    expect(fs.existsSync(path.join(exports, 'IMG_0001 (2).jpg'))).toBe(true);

    // From the viewer's toolbar, into Glimpse's own data folder: refused with the reason, the dialog stays open.
    await first.click();
    const viewer = page.getByRole('dialog', { name: 'Viewer: IMG_0001.jpg' });
    await viewer.waitFor();
    await viewer.getByRole('button', { name: 'Export a copy…' }).click();
    const fromViewer = page.getByRole('dialog', { name: 'Export a copy of IMG_0001.jpg' });
    await fromViewer.getByRole('combobox', { name: 'Folder path' }).fill(path.join(workDir, 'data', 'thumbnails'));
    await fromViewer.getByRole('combobox', { name: 'Folder path' }).press('s'); // a viewer shortcut, typed into the path
    await fromViewer.getByRole('button', { name: 'Export' }).click();
    await page.getByText(/Could not export: .*Glimpse's own data folder/).waitFor();
    await page.setViewportSize(SIZES.large);
    await shot('06-export-from-viewer-refused-1920x1080');
    await page.setViewportSize(SIZES.small);
    await shot('06-export-from-viewer-refused-1280x800');
    expect(await viewer.isVisible()).toBe(true);
    await fromViewer.getByRole('button', { name: 'Cancel' }).click();
    await page.keyboard.press('Escape');
    // Errors stay until dismissed.
    await page.locator('.toast.error').getByRole('button', { name: 'Dismiss' }).click();
  });
});

describe('justified layout', () => {
  it('lays photos out at their own shape in rows that fill the width, with zoom, keys and the choice remembered', async () => {
    await page.setViewportSize(SIZES.small);
    await page.getByRole('group', { name: 'Grid layout' }).getByRole('button', { name: 'Photos at their shape' }).click();
    const rows = grid().locator('.tile-row.justified');
    await rows.first().waitFor();
    const measure = () =>
      rows.evaluateAll((found) =>
        found.map((row) => ({
          width: row.getBoundingClientRect().width,
          height: row.getBoundingClientRect().height,
          tiles: Array.from(row.querySelectorAll('button.tile')).map((tile) => {
            const box = tile.getBoundingClientRect();
            const img = tile.querySelector('img');
            return { name: tile.getAttribute('title'), width: box.width, height: box.height, natural: img && img.naturalHeight ? img.naturalWidth / img.naturalHeight : null, right: box.right - row.getBoundingClientRect().left };
          }),
        })),
      );
    await grid().locator('img.loaded').first().waitFor();
    await page.waitForTimeout(500);
    const laidOut = await measure();
    // A full row ends at the grid's edge; every tile has the shape of its photo (the thumbnail keeps the original's).
    const full = laidOut.filter((row) => row.tiles.length > 1 && Math.abs(row.tiles.at(-1)!.right - row.width) < 2);
    expect(full.length).toBeGreaterThan(1);
    const shapes = laidOut.flatMap((row) => row.tiles).filter((tile) => tile.natural !== null);
    expect(shapes.length).toBeGreaterThan(5);
    for (const tile of shapes) expect(Math.abs(tile.width / tile.height - tile.natural!), `${tile.name}`).toBeLessThan(0.08);
    expect(new Set(shapes.map((tile) => Math.round((tile.width / tile.height) * 10))).size).toBeGreaterThan(2);
    // The two one-photo days of late May share a row, each under its own header.
    const packed = grid().locator('.tile-row.packed.justified');
    await expect.poll(() => packed.locator('.day-segment').count()).toBe(2);
    expect(await packed.locator('.grid-header h3').allTextContents()).toEqual([expect.stringMatching(/30/), expect.stringMatching(/29/)]);
    await shot('07-justified-1280x800');
    await page.setViewportSize(SIZES.large);
    await shot('07-justified-1920x1080');
    await page.setViewportSize(SIZES.small);

    // Zoom changes the rows' height; the arrow keys and End still move through the photos.
    const heightBefore = (await measure())[0].height;
    await page.keyboard.press('Control+=');
    await expect.poll(async () => (await measure())[0].height).toBeGreaterThan(heightBefore + 20);
    await page.keyboard.press('Control+-');
    await grid().locator('button.tile[tabindex="0"]').focus();
    const start = await page.evaluate(() => document.activeElement?.getAttribute('data-position'));
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-position'))).toBe(String(Number(start) + 1));
    await page.keyboard.press('End');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-position'))).toBe(String(DAYS.reduce((n, d) => n + d.count, 0) - 1));
    // The year scrubber still lands on the year's photos.
    await page.keyboard.press('Home');
    await page.getByRole('button', { name: 'Jump to 2023' }).click();
    const lastName = `IMG_${String(DAYS.reduce((n, d) => n + d.count, 0)).padStart(4, '0')}.jpg`;
    await expect.poll(() => grid().locator(`button.tile[title="${lastName}"]`).isVisible()).toBe(true);
    expect(await grid().locator(`button.tile[title="${lastName}"]`).evaluate((tile) => tile.closest('.tile-row')?.classList.contains('justified'))).toBe(true);
    await shot('08-justified-scrubbed-to-2023-1280x800');
    // Day headers and their checks are there as in the square grid.
    await page.keyboard.press('Home');
    await grid().getByRole('checkbox', { name: /Select all photos of .*2024/ }).first().waitFor();

    await page.reload();
    await grid().locator('.tile-row.justified').first().waitFor();
    expect(await page.getByRole('button', { name: 'Photos at their shape' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'Square tiles' }).click();
    await expect.poll(() => grid().locator('.tile-row.justified').count()).toBe(0);
  });
});
