// Confirming and rejecting a named person's suggestions, and fixing a wrongly assigned face from its box in the
// viewer, in Chromium against browser mode on the real engine (Human finding the faces at import): confirmed faces
// join the person, a rejected one is never asked about again (a reload included), and a face moved from its box
// shows the right name there and under the right person. Screenshots land in test-results/screenshots/people-fix-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src-main/api/api-types';
import type { FaceInfo } from '../../src-preload/api';
import { type RunningServer } from '../../src-main/server';
import { call } from '../api/unwrap';
import { openFaceLibrary, shotsAtBothSizes } from './support/face-library';
import { closeEndToEnd } from './support/teardown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(root, 'test-results', 'screenshots');
/** Obama in four photos (one with Biden), Biden in three. */
const OBAMA = ['obama.jpg', 'obama2.jpg', 'test_obama3.jpg'];
const BIDEN = ['biden.jpg', 'train_biden_biden2.jpg'];
const PHOTOS = [...OBAMA, ...BIDEN, 'test_obama_and_biden.jpg'];

let workDir: string;
let api: Api;
let server: RunningServer;
let browser: Browser;
let page: Page;

const shot = (name: string) => shotsAtBothSizes(page, path.join(screenshots, `people-fix-${name}`));

/** Every face the library holds, in a group or not. */
async function allFaces(): Promise<FaceInfo[]> {
  const list = await call(api, 'people.list', { includeHidden: true });
  const grouped = await Promise.all(list.people.map(async (p) => (await call(api, 'people.get', { id: p.id })).faces));
  return [...grouped.flat(), ...(await call(api, 'faces.unassigned', { limit: 500 }))];
}

function faceIn(faces: FaceInfo[], file: string): FaceInfo {
  const found = faces.filter((f) => path.basename(f.photo) === file).sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3]);
  if (!found[0]) throw new Error(`no face found in ${file}`);
  return found[0];
}

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  ({ workDir, api, server, browser, page } = await openFaceLibrary({ name: 'people-fix', photos: PHOTOS, viewport: { width: 1400, height: 900 }, page: { reducedMotion: 'reduce' } }));
}, 240_000);

afterAll(() => closeEndToEnd({ browser, server, api, workDir }));

describe('People: suggestions confirmed and rejected, and a face fixed from its box', () => {
  it('confirms suggestions at once, never asks about a rejected face again, and moves a wrong face to the right person', async () => {
    await expect.poll(async () => new Set((await allFaces()).map((f) => path.basename(f.photo))).size, { timeout: 30_000 }).toBe(PHOTOS.length);
    // Only one of Obama's faces is named: the others are left for the suggestions to offer.
    const faces = await allFaces();
    const first = [faceIn(faces, 'obama.jpg').id];
    const obama = await call(api, 'faces.assign', { faceIds: first, name: 'Barack Obama' });
    const obamaFaces = new Set(OBAMA.map((file) => faceIn(faces, file).id));
    // In this photo Biden is on the left, Obama on the right.
    const together = faces.filter((f) => path.basename(f.photo) === 'test_obama_and_biden.jpg').sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3]).slice(0, 2);
    obamaFaces.add(together.sort((a, b) => a.box[0] - b.box[0])[1].id);

    await page.goto(server.url);
    await page.getByRole('button', { name: 'People' }).click();
    const named = page.getByTestId('named-people');
    await named.getByRole('button', { name: 'Open Barack Obama' }).focus();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('person-panel');
    const suggestions = panel.getByRole('region', { name: 'Is this Barack Obama?' });
    const offered = suggestions.getByRole('button', { name: /^Yes, face \d+ is Barack Obama$/ });
    await expect.poll(() => offered.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await shot('01-suggestions');

    // Biden looks enough like him to be asked about: those are rejected one by one from the keyboard.
    const asked = (await call(api, 'people.suggestions', { id: obama.id })).map((s) => s.face.id);
    const wrongOnes = asked.filter((id) => !obamaFaces.has(id));
    const rightOnes = asked.filter((id) => obamaFaces.has(id));
    expect(wrongOnes.length).toBeGreaterThanOrEqual(1);
    expect(rightOnes.length).toBeGreaterThanOrEqual(2);
    for (const id of wrongOnes) {
      const no = suggestions.getByRole('button', { name: `No, face ${id} is not Barack Obama` });
      await no.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => no.count()).toBe(0);
    }
    await expect.poll(() => offered.count()).toBe(rightOnes.length);

    // The rest are him, all at once.
    await suggestions.getByRole('button', { name: 'Yes to all' }).focus();
    await page.keyboard.press('Enter');
    const card = named.getByTestId('person-card').filter({ hasText: 'Barack Obama' });
    await expect.poll(() => card.getByRole('button', { name: 'Open Barack Obama' }).textContent()).toContain(`${1 + rightOnes.length} faces`);
    await expect.poll(() => panel.getByTestId('person-faces').getByRole('button').count()).toBe(1 + rightOnes.length);
    const details = await call(api, 'people.get', { id: obama.id });
    expect(details.faces.map((f) => f.id).sort((a, b) => a - b)).toEqual([...first, ...rightOnes].sort((a, b) => a - b));
    await shot('02-confirmed');

    // After a reload, the rejected faces are still not asked about.
    await page.reload();
    await page.getByRole('button', { name: 'People' }).click();
    await named.getByRole('button', { name: 'Open Barack Obama' }).click();
    await panel.getByTestId('person-faces').waitFor();
    await page.waitForTimeout(500);
    for (const id of wrongOnes) expect(await panel.getByRole('button', { name: `No, face ${id} is not Barack Obama` }).count()).toBe(0);
    const askedAgain = (await call(api, 'people.suggestions', { id: obama.id })).map((s) => s.face.id);
    expect(askedAgain.filter((id) => wrongOnes.includes(id))).toEqual([]);

    // A face of Biden's wrongly put with Obama is fixed from its box in the viewer.
    const wrong = faceIn(await allFaces(), 'biden.jpg');
    await call(api, 'faces.assign', { faceIds: [wrong.id], personId: obama.id });

    await page.reload();
    await page.getByRole('button', { name: 'People' }).click();
    await named.getByRole('button', { name: 'Open Barack Obama' }).click();
    await panel.getByRole('button', { name: 'Open biden.jpg' }).click();
    const viewer = page.getByRole('dialog', { name: 'Viewer: biden.jpg' });
    const wrongBox = viewer.getByRole('button', { name: 'Face: Barack Obama' });
    await wrongBox.focus();
    await page.keyboard.press('Enter');
    const editor = page.getByRole('dialog', { name: 'Who is this?' });
    const input = editor.getByRole('combobox', { name: 'Name of this face' });
    await expect.poll(() => input.evaluate((element) => element === document.activeElement)).toBe(true);
    await input.fill('');
    await page.keyboard.type('Joe Biden');
    await shot('03-fixing');
    await page.keyboard.press('Enter');
    await viewer.getByRole('button', { name: 'Face: Joe Biden' }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Face: Barack Obama' }).count()).toBe(0);
    await shot('04-fixed');
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    await named.getByRole('button', { name: 'Open Joe Biden' }).click();
    await expect.poll(() => panel.getByRole('button', { name: 'Open biden.jpg' }).count()).toBe(1);
    await expect.poll(() => panel.getByTestId('person-faces').getByRole('button').count()).toBe(1);
    await named.getByRole('button', { name: 'Open Barack Obama' }).click();
    await expect.poll(() => panel.getByRole('button', { name: 'Open biden.jpg' }).count()).toBe(0);
    const biden = (await call(api, 'people.list', {})).people.find((p) => p.name === 'Joe Biden');
    expect(biden && (await call(api, 'people.get', { id: biden.id })).faces.map((f) => f.id)).toEqual([wrong.id]);
    expect((await call(api, 'people.get', { id: obama.id })).faces.map((f) => f.id)).not.toContain(wrong.id);
    await shot('05-right-person');
  });
});
