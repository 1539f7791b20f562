// The People view end to end: Chromium drives browser mode on the real engine (Human finding faces at import, the
// fixture SigLIP for search) — people appear, a group is named inline, faces are split off and confirmed, the viewer
// shows named face boxes, and search narrows to a person. Screenshots at 1280×800 and 1920×1080 under test-results/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { openFaceLibrary } from './support/face-library';
import { closeEndToEnd } from './support/teardown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src-main/api/api-types';
import { type RunningServer } from '../../src-main/server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(root, 'test-results', 'screenshots');
const PHOTOS = ['obama.jpg', 'obama2.jpg', 'train_biden_biden2.jpg', 'test_obama_and_biden.jpg', 'train_rose_leslie_img1.jpg', 'train_rose_leslie_img2.jpg'];

let workDir: string;
let api: Api;
let server: RunningServer;
let browser: Browser;
let page: Page;

async function shot(name: string): Promise<void> {
  await page.waitForTimeout(300);
  for (const [width, height] of [[1280, 800], [1920, 1080]]) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(screenshots, `people-${name}-${width}x${height}.png`) });
  }
  await page.setViewportSize({ width: 1400, height: 900 });
}

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  ({ workDir, api, server, browser, page } = await openFaceLibrary({ name: 'people', photos: PHOTOS, viewport: { width: 1400, height: 900 } }));
}, 240_000);

afterAll(() => closeEndToEnd({ browser, server, api, workDir }));

describe('People in Chromium, browser mode, real engine', () => {
  it('names a group inline, splits and confirms faces, shows named boxes in the viewer, and searches by person', async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: 'People' }).click();
    const groups = page.getByTestId('unnamed-people').getByTestId('person-card');
    await expect.poll(() => groups.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await shot('01-groups');

    // The largest group is Obama's (three photos): open it with the keyboard and name it inline.
    await groups.first().getByRole('button', { name: /^Open Unnamed/ }).focus();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('person-panel');
    await panel.waitFor();
    const faceCount = await panel.getByTestId('person-faces').getByRole('button').count();
    expect(faceCount).toBe(3);
    await panel.getByRole('textbox', { name: "Person's name" }).fill('Barack Obama');
    await page.keyboard.press('Enter');
    await page.getByTestId('named-people').getByRole('button', { name: 'Open Barack Obama' }).waitFor();
    await shot('02-named');

    // Split one face off: it becomes a group of its own, never offered back as "Is this Barack Obama?"…
    const unnamedBefore = await groups.count();
    await panel.getByTestId('person-faces').getByRole('button').first().click();
    await panel.getByRole('button', { name: 'Split off' }).click();
    await expect.poll(() => panel.getByTestId('person-faces').getByRole('button').count()).toBe(faceCount - 1);
    await expect.poll(() => groups.count()).toBe(unnamedBefore + 1);
    await expect.poll(() => page.getByRole('group', { name: 'Is this Barack Obama?' }).count()).toBe(0);
    await shot('03-split');
    // …until the person merges it back by selecting both.
    await page.getByRole('checkbox', { name: 'Select Barack Obama to merge' }).check();
    const splitOff = groups.filter({ hasText: '1 face' }).last();
    await splitOff.getByRole('checkbox', { name: /^Select Unnamed/ }).check();
    await page.getByRole('button', { name: /^Merge 2 selected/ }).click();
    await expect.poll(() => groups.count()).toBe(unnamedBefore);
    await page.getByRole('button', { name: 'Open Barack Obama' }).click();
    await expect.poll(() => panel.getByTestId('person-faces').getByRole('button').count()).toBe(faceCount);

    // The viewer, opened from the person's photos, shows the face boxes with the name.
    await panel.getByRole('button', { name: /^Open obama\.jpg$/ }).click();
    const viewer = page.getByRole('dialog', { name: 'Viewer: obama.jpg' });
    await viewer.waitFor();
    await viewer.getByRole('button', { name: 'Face: Barack Obama' }).waitFor();
    await shot('04-viewer-boxes');
    await viewer.getByRole('button', { name: 'Face: Barack Obama' }).click();
    await page.getByRole('dialog', { name: 'Who is this?' }).waitFor();
    await shot('05-viewer-edit');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    // Search "white" (every photo has some) narrowed to Barack Obama with the person chip.
    await page.getByRole('button', { name: /^Search/ }).first().click();
    const box = page.getByRole('searchbox', { name: 'Search photos' });
    await box.fill('white');
    await box.press('Enter');
    await page.getByTestId('search-summary').waitFor();
    const everyone = await page.getByTestId('search-results').locator('button.tile').count();
    await page.getByRole('combobox', { name: 'Only photos with this person' }).selectOption({ label: 'Barack Obama' });
    await page.getByRole('button', { name: 'Remove Barack Obama from the search' }).waitFor();
    await expect.poll(() => page.getByTestId('search-results').locator('button.tile').count()).toBe(3);
    expect(everyone).toBe(PHOTOS.length);
    await shot('06-search-person');

    // A face seen once (a bystander in the background) is listed apart; its photo opens with a box to name it.
    await page.getByRole('button', { name: 'People' }).click();
    const unassigned = page.getByTestId('unassigned-faces').getByRole('button');
    await expect.poll(() => unassigned.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    await shot('07-unassigned');
    await unassigned.first().click();
    await page.getByRole('dialog', { name: /^Viewer: / }).getByRole('button', { name: 'Face: Who is this?' }).first().waitFor();
    await page.keyboard.press('Escape');

    // Settings has the switch for face recognition, and the way to forget all face data.
    await page.getByRole('button', { name: /^Settings/ }).click();
    const faces = page.getByRole('region', { name: 'Faces and people' });
    await expect.poll(() => faces.getByRole('checkbox').isChecked()).toBe(true);
    await faces.getByRole('button', { name: 'Forget all face data…' }).waitFor();
    await faces.scrollIntoViewIfNeeded();
    await shot('08-settings');
  });
});
