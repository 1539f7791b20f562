// Merging people in Chromium against browser mode on the real engine (Human at import): dragging a person onto
// another with the mouse, and Move → Drop here from the keyboard, with a visible drop target, a question before two
// names become one, and Undo in the toast restoring every face, pin and name; then a library of 100+ people that stays
// paged and reachable with the arrow keys. Screenshots at 1280×800 and 1920×1080 under test-results/screenshots.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src-main/api/api-types';
import { type RunningServer } from '../../src-main/server';
import { PEOPLE_PAGE } from '../../src-renderer/views/PeopleView';
import { call } from '../api/unwrap';
import { crowdMosaic } from '../faces/face-pictures';
import { FACES_DIR } from '../fixtures/photos';
import { openFaceLibrary } from './support/face-library';
import { closeEndToEnd } from './support/teardown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(root, 'test-results', 'screenshots');
const PHOTOS = ['obama.jpg', 'obama2.jpg', 'train_biden_biden2.jpg', 'test_obama_and_biden.jpg', 'train_rose_leslie_img1.jpg', 'train_rose_leslie_img2.jpg'];
const NAMES: Record<string, string> = { 'obama2.jpg': 'Barack Obama', 'train_biden_biden2.jpg': 'Joe Biden', 'train_rose_leslie_img1.jpg': 'Rose Leslie' };
const GROUP_BOXES = [
  { file: path.join(FACES_DIR, 'human_group-3.jpg'), boxes: [[174, 456, 362, 362], [587, 304, 373, 373], [1084, 281, 362, 362], [1403, 238, 371, 371]] },
  { file: path.join(FACES_DIR, 'human_group-4.jpg'), boxes: [[205, 582, 303, 303], [471, 403, 313, 311], [833, 520, 224, 224], [1185, 480, 243, 241], [1471, 524, 245, 245]] },
];
const SIZES = [
  [1280, 800],
  [1920, 1080],
] as const;

let workDir: string;
let api: Api;
let server: RunningServer;
let browser: Browser;
let page: Page;
const ids = new Map<string, number>();

async function shot(name: string, size: readonly [number, number]): Promise<void> {
  // Past the toasts' slide-in, which is stepped and starts transparent.
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(screenshots, `people-merge-${name}-${size[0]}x${size[1]}.png`) });
}

/** Everything a person could notice about people: who exists, named what, hidden or not, covered by which face, holding which faces, pinned or not. */
async function peopleState() {
  const { people } = await call(api, 'people.list', { includeHidden: true });
  const out = [];
  for (const person of people.sort((a, b) => a.id - b.id)) {
    const details = await call(api, 'people.get', { id: person.id });
    out.push({ id: person.id, name: person.name, hidden: person.hidden, cover: person.cover?.id ?? null, faces: details.faces.map((f) => `${f.id}${f.pinned ? ' pinned' : ''}`).sort() });
  }
  return out;
}

function card(name: string): Locator {
  return page.getByTestId('person-card').filter({ has: page.getByRole('button', { name: `Open ${name}`, exact: true }) });
}

/** Presses the mouse on one card and moves it over another, the way a person drags: leaves the button held. */
async function dragOver(from: Locator, to: Locator): Promise<void> {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + 30);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 12, a.y + 40, { steps: 3 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 10 });
  await page.mouse.move(b.x + b.width / 2 + 4, b.y + b.height / 2 + 4, { steps: 2 });
}

async function undoInToast(): Promise<void> {
  await page.getByRole('status').getByRole('button', { name: 'Undo' }).last().click();
  await page.getByText(/^Merge undone/).last().waitFor();
}

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  ({ workDir, api, server, browser, page } = await openFaceLibrary({ name: 'people-merge', photos: PHOTOS, viewport: { width: SIZES[0][0], height: SIZES[0][1] } }));
  for (const person of (await call(api, 'people.list', {})).people) {
    const photos = (await call(api, 'people.get', { id: person.id })).photos.map((p) => path.basename(p.path));
    const name = photos.map((file) => NAMES[file]).find(Boolean);
    if (name && !ids.has(name)) {
      await call(api, 'people.rename', { id: person.id, name });
      ids.set(name, person.id);
    }
  }
  expect([...ids.keys()].sort()).toEqual(Object.values(NAMES).sort());
}, 240_000);

afterAll(() => closeEndToEnd({ browser, server, api, workDir }));

describe('merging people in Chromium', () => {
  it('drags a group onto a named person with the mouse, showing the drop target, and Undo puts it back exactly', async () => {
    // A face split off Barack Obama is an unnamed group of its own: the wrong split a person fixes by dragging.
    const obama = await call(api, 'people.get', { id: ids.get('Barack Obama') });
    const splitOff = await call(api, 'people.split', { id: obama.person.id, faceIds: [obama.faces[0].id] });
    await page.goto(server.url);
    await page.getByRole('button', { name: 'People' }).click();
    const group = card(`Unnamed #${splitOff.id}`);
    await group.waitFor();

    for (const size of SIZES) {
      await page.setViewportSize({ width: size[0], height: size[1] });
      const before = await peopleState();
      await dragOver(group, card('Barack Obama'));
      // While held over Obama, his card is the visible drop target and says what dropping does.
      await expect.poll(() => card('Barack Obama').getAttribute('class')).toContain('drop-target');
      await expect.poll(() => card('Barack Obama').getByText('Merge into Barack Obama').isVisible()).toBe(true);
      expect(await group.getAttribute('class')).toContain('carried');
      await shot('01-drag-over', size);
      await page.mouse.up();

      // One unnamed group into a named person drops no name: no question, merged at once, Undo offered.
      await expect.poll(() => group.count()).toBe(0);
      expect(await page.getByRole('alertdialog').count()).toBe(0);
      await page.getByText(`Merged Unnamed #${splitOff.id} into Barack Obama`).last().waitFor();
      const merged = await call(api, 'people.get', { id: obama.person.id });
      expect(merged.faces.map((f) => f.id).sort()).toEqual(obama.faces.map((f) => f.id).sort());
      await shot('02-merged-toast', size);

      await undoInToast();
      await group.waitFor();
      expect(await peopleState()).toEqual(before);
    }
  });

  it('moves a person with the keyboard, asks before dropping a name, and Undo restores both names, faces and pins', async () => {
    await page.setViewportSize({ width: SIZES[0][0], height: SIZES[0][1] });
    const before = await peopleState();
    const named = page.getByTestId('named-people');
    // Arrow keys move between cards: from Barack Obama's Move button to Joe Biden's.
    await named.getByRole('button', { name: 'Move Barack Obama onto another person to merge them' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move Joe Biden onto another person to merge them');
    await page.keyboard.press('Space');
    await page.getByText(/^Picked up Joe Biden\./).waitFor({ state: 'attached' });
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Merge Joe Biden into Rose Leslie');
    await expect.poll(() => card('Rose Leslie').getAttribute('class')).toContain('drop-target');
    await shot('03-keyboard-carry', SIZES[0]);

    // Escape puts Joe back; nothing changed.
    await page.keyboard.press('Escape');
    await named.getByRole('button', { name: 'Move Rose Leslie onto another person to merge them' }).waitFor();
    expect(await peopleState()).toEqual(before);

    // Picked up again and dropped on Rose: two names, so the person is asked; Keep apart changes nothing.
    await named.getByRole('button', { name: 'Move Joe Biden onto another person to merge them' }).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    const dialog = page.getByRole('alertdialog', { name: 'Merge Joe Biden into Rose Leslie?' });
    await dialog.waitFor();
    await expect.poll(() => dialog.textContent()).toMatch(/the name Joe Biden is dropped/);
    for (const size of SIZES) {
      await page.setViewportSize({ width: size[0], height: size[1] });
      await shot('04-confirm-names', size);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await peopleState()).toEqual(before);
    // Focus is back on the card the question came from, so the keyboard user carries on from there.
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid="person-card"]')?.textContent ?? '')).toMatch(/Rose Leslie/);

    await named.getByRole('button', { name: 'Move Joe Biden onto another person to merge them' }).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await dialog.getByRole('button', { name: 'Merge' }).click();
    await expect.poll(() => card('Joe Biden').count()).toBe(0);
    const rose = await call(api, 'people.get', { id: ids.get('Rose Leslie') });
    expect(rose.person.name).toBe('Rose Leslie');
    expect(rose.faces.every((f) => f.pinned)).toBe(true);
    await undoInToast();
    await card('Joe Biden').waitFor();
    expect(await peopleState()).toEqual(before);
  });

  it('merges selected people after the same question, with Undo', async () => {
    const before = await peopleState();
    await page.getByRole('checkbox', { name: 'Select Joe Biden to merge' }).check();
    await page.getByRole('checkbox', { name: 'Select Rose Leslie to merge' }).check();
    await page.getByRole('button', { name: /^Merge 2 selected/ }).click();
    const dialog = page.getByRole('alertdialog', { name: /^Merge (Joe Biden|Rose Leslie) into (Joe Biden|Rose Leslie)\?$/ });
    await dialog.getByRole('button', { name: 'Merge' }).click();
    await expect.poll(async () => (await call(api, 'people.list', {})).people.length).toBe(before.length - 1);
    await undoInToast();
    expect(await peopleState()).toEqual(before);
  });
});

describe('a library of 100+ people', () => {
  it('shows them a page at a time, reachable with the arrow keys and few Tab stops', async () => {
    // Mosaics of real faces (a different grid each, so no two are one file); every face found is given its own name.
    const crowdDir = path.join(workDir, 'Crowds');
    fs.mkdirSync(crowdDir);
    const grids = [[6, 4], [6, 5], [7, 4], [5, 5]];
    for (const [i, [cols, rows]] of grids.entries()) await crowdMosaic(path.join(crowdDir, `crowd-${i}.jpg`), [GROUP_BOXES[i % 2], GROUP_BOXES[(i + 1) % 2]], cols, rows);
    await call(api, 'folders.index', { path: crowdDir });
    const crowdPhotos = new Set((await call(api, 'gallery.page', { pageSize: 100 })).items.filter((p) => p.path.startsWith(crowdDir)).map((p) => p.id));
    const faces = [];
    for (const photoId of crowdPhotos) faces.push(...(await call(api, 'faces.ofPhoto', { photoId })));
    expect(faces.length).toBeGreaterThanOrEqual(100);
    for (const [i, face] of faces.entries()) await call(api, 'faces.assign', { faceIds: [face.id], name: `Guest ${String(i + 1).padStart(3, '0')}` });
    const total = (await call(api, 'people.list', {})).people.filter((p) => p.name !== null).length;
    expect(total).toBeGreaterThan(100);

    await page.setViewportSize({ width: SIZES[0][0], height: SIZES[0][1] });
    await page.goto(server.url);
    await page.getByRole('button', { name: 'People' }).click();
    const named = page.getByTestId('named-people');
    await expect.poll(() => named.getByTestId('person-card').count(), { timeout: 20_000 }).toBe(PEOPLE_PAGE);
    const more = page.getByRole('button', { name: `Show ${Math.min(PEOPLE_PAGE, total - PEOPLE_PAGE)} more of ${total}` });
    await more.waitFor();
    for (const size of SIZES) {
      await page.setViewportSize({ width: size[0], height: size[1] });
      await shot('05-many-people', size);
    }

    // One card's controls are in the Tab order: End reaches the last card shown, and Tab leaves the section quickly.
    await named.getByRole('button', { name: 'Open Barack Obama' }).focus();
    await page.keyboard.press('End');
    const last = await named.getByTestId('person-card').nth(PEOPLE_PAGE - 1).getAttribute('data-person');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid="person-card"]')?.getAttribute('data-person'))).toBe(last);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowLeft');
    const inNamed = () => page.evaluate(() => Boolean(document.activeElement?.closest('[data-testid="named-people"]')));
    let stops = 0;
    while ((await inNamed()) && stops < 10) {
      await page.keyboard.press('Tab');
      stops++;
    }
    expect(stops).toBeLessThanOrEqual(4);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toMatch(/^Show \d+ more of/);
    await page.keyboard.press('Enter');
    await expect.poll(() => named.getByTestId('person-card').count()).toBe(Math.min(total, 2 * PEOPLE_PAGE));
  }, 240_000);
});
