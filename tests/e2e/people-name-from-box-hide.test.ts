// Naming a face from its box in the viewer, with the keyboard, and hiding and showing a person again, in Chromium
// against browser mode on the real engine (Human finding the faces at import): a face seen once is named from its
// box and becomes a named person; hidden, that person leaves the list until "Show hidden"; unhidden, it is back.
// Screenshots at 1280×800 and 1920×1080 land in test-results/screenshots/people-box-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src-main/api/api-types';
import { type RunningServer } from '../../src-main/server';
import { call } from '../api/unwrap';
import { openFaceLibrary, shotsAtBothSizes } from './support/face-library';
import { closeEndToEnd } from './support/teardown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(root, 'test-results', 'screenshots');
/** One person in two photos (a group), one seen once (a face in no group). */
const PHOTOS = ['obama.jpg', 'obama2.jpg', 'train_rose_leslie_img1.jpg'];

let workDir: string;
let api: Api;
let server: RunningServer;
let browser: Browser;
let page: Page;

const shot = (name: string) => shotsAtBothSizes(page, path.join(screenshots, `people-box-${name}`));

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  ({ workDir, api, server, browser, page } = await openFaceLibrary({ name: 'people-box', photos: PHOTOS, viewport: { width: 1400, height: 900 }, page: { reducedMotion: 'reduce' } }));
}, 240_000);

afterAll(() => closeEndToEnd({ browser, server, api, workDir }));

describe('People: a name from a face box, and hiding', () => {
  it('names a face seen once from its box with the keyboard, then hides and shows that person again', async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: 'People' }).click();
    const unassigned = page.getByTestId('unassigned-faces').getByRole('button');
    await expect.poll(() => unassigned.count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByTestId('named-people').count()).toBe(0);

    // The face's photo opens with a box on the face; the box is reached and opened from the keyboard.
    await unassigned.first().click();
    const viewer = page.getByRole('dialog', { name: 'Viewer: train_rose_leslie_img1.jpg' });
    await viewer.waitFor();
    const box = viewer.getByRole('button', { name: 'Face: Who is this?' });
    await box.focus();
    await page.keyboard.press('Enter');
    const editor = page.getByRole('dialog', { name: 'Who is this?' });
    await expect.poll(() => editor.getByRole('combobox', { name: 'Name of this face' }).evaluate((input) => input === document.activeElement)).toBe(true);
    await page.keyboard.type('Rose Leslie');
    await shot('01-naming');
    await page.keyboard.press('Enter');
    await viewer.getByRole('button', { name: 'Face: Rose Leslie' }).waitFor();
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    const named = page.getByTestId('named-people');
    await named.getByRole('button', { name: 'Open Rose Leslie' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId('unassigned-faces').count()).toBe(0);
    expect((await call(api, 'people.list', {})).people.map((p) => p.name)).toContain('Rose Leslie');
    await shot('02-named');

    // Hidden, she leaves the list (and the person panel says how to bring her back); "Show hidden" lists her again.
    await named.getByRole('button', { name: 'Open Rose Leslie' }).click();
    const panel = page.getByTestId('person-panel');
    await panel.getByRole('button', { name: 'Hide' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Open Rose Leslie' }).count()).toBe(0);
    expect((await call(api, 'people.list', {})).people.some((p) => p.name === 'Rose Leslie')).toBe(false);
    await page.getByRole('checkbox', { name: 'Show hidden' }).check();
    const hiddenCard = page.getByTestId('person-card').filter({ hasText: 'Rose Leslie' });
    await hiddenCard.getByText('hidden').waitFor();
    await shot('03-hidden-shown');
    await hiddenCard.getByRole('button', { name: 'Open Rose Leslie' }).click();
    await panel.getByRole('button', { name: 'Unhide' }).click();
    await page.getByRole('checkbox', { name: 'Show hidden' }).uncheck();
    await named.getByRole('button', { name: 'Open Rose Leslie' }).waitFor();
    expect((await call(api, 'people.list', {})).people.find((p) => p.name === 'Rose Leslie')?.hidden).toBe(false);
  });
});
