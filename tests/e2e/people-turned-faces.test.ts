// A photo turned in the viewer turns its faces in the People view too, in Chromium against browser mode on the real
// engine (Human finding the faces at import): the person's card, the person's face tiles — and still after a reload.
// Screenshots at 1280×800 and 1920×1080 land in test-results/screenshots/people-turned-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src-main/api/api-types';
import { type RunningServer } from '../../src-main/server';
import { openFaceLibrary, shotsAtBothSizes } from './support/face-library';
import { closeEndToEnd } from './support/teardown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(root, 'test-results', 'screenshots');
const PHOTOS = ['obama.jpg', 'obama2.jpg'];

let workDir: string;
let api: Api;
let server: RunningServer;
let browser: Browser;
let page: Page;

const shot = (name: string) => shotsAtBothSizes(page, path.join(screenshots, `people-turned-${name}`));

/** A face picture as it is on screen: 32 × 32 grey pixels, turned back `turnBack` quarter turns first. */
async function facePixels(image: Locator, turnBack = 0): Promise<Buffer> {
  await image.evaluate((img: HTMLImageElement) => img.decode());
  return sharp(await image.screenshot()).rotate(-90 * turnBack).resize(32, 32, { fit: 'fill' }).greyscale().raw().toBuffer();
}

function meanDifference(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  ({ workDir, api, server, browser, page } = await openFaceLibrary({ name: 'people-turned', photos: PHOTOS, viewport: { width: 1400, height: 900 }, page: { reducedMotion: 'reduce' } }));
}, 240_000);

afterAll(() => closeEndToEnd({ browser, server, api, workDir }));

describe('faces of a turned photo in the People view', () => {
  it('shows the card and the face tiles turned with the photo, also after a reload', async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: 'People' }).click();
    const card = page.getByTestId('person-card').first();
    await card.waitFor({ timeout: 20_000 });
    const cardFace = card.locator('img.face-img');
    const uprightCard = await facePixels(cardFace);
    await card.getByRole('button', { name: /^Open Unnamed/ }).click();
    const panel = page.getByTestId('person-panel');
    const tiles = panel.getByTestId('person-faces').locator('img.face-img');
    await expect.poll(() => tiles.count()).toBe(2);
    const uprightTiles = [await facePixels(tiles.nth(0)), await facePixels(tiles.nth(1))];
    await shot('01-upright');

    // Both photos turned right in the viewer opened from the person's photos, so the cover is turned whichever it is.
    for (const file of PHOTOS) {
      await panel.getByRole('button', { name: `Open ${file}` }).click();
      const viewer = page.getByRole('dialog', { name: `Viewer: ${file}` });
      await viewer.waitFor();
      await page.keyboard.press('r');
      await page.waitForFunction(() => Boolean(document.querySelector<HTMLImageElement>('.viewer-stage img')?.src.includes('turns=1')));
      await page.keyboard.press('Escape');
      await viewer.waitFor({ state: 'detached' });
    }

    const turnedCorrectly = async (image: Locator, upright: Buffer) => {
      const asShown = meanDifference(await facePixels(image), upright);
      const turnedBack = meanDifference(await facePixels(image, 1), upright);
      return turnedBack < 12 && asShown > 20;
    };
    await expect.poll(() => turnedCorrectly(cardFace, uprightCard), { timeout: 10_000 }).toBe(true);
    for (const [i, upright] of uprightTiles.entries()) await expect.poll(() => turnedCorrectly(tiles.nth(i), upright), { timeout: 10_000 }).toBe(true);
    await shot('02-turned');

    // The turn is the catalog's: a fresh page shows the faces turned before anything is turned again.
    await page.reload();
    await page.getByRole('button', { name: 'People' }).click();
    await card.waitFor({ timeout: 20_000 });
    expect(await turnedCorrectly(cardFace, uprightCard)).toBe(true);
    await card.getByRole('button', { name: /^Open Unnamed/ }).click();
    await expect.poll(() => tiles.count()).toBe(2);
    for (const [i, upright] of uprightTiles.entries()) expect(await turnedCorrectly(tiles.nth(i), upright)).toBe(true);
  });
});
