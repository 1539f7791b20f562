// A real photo's description in the viewer's details, in Chromium on the real engine: read from XMP that breaks its
// lines with `&#xA;`, it shows once, as plain text with its paragraph break. Screenshots at 1280×800 and 1920×1080
// under test-results/screenshots.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFaceLibrary, shotsAtBothSizes, type FaceLibrary } from './support/face-library';
import { closeEndToEnd } from './support/teardown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(root, 'test-results', 'screenshots');

let library: FaceLibrary;

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  library = await openFaceLibrary({ name: 'description', photos: ['biden.jpg'], viewport: { width: 1280, height: 800 } });
}, 300_000);

afterAll(() => closeEndToEnd(library ?? {}));

describe('a photo\'s description in the viewer', () => {
  it('reads as its writer wrote it: no character entities, two paragraphs, said once', async () => {
    const { page, server } = library;
    await page.goto(server.url);
    const grid = page.getByTestId('library-grid');
    await grid.getByRole('button', { name: 'biden.jpg' }).click();
    await page.getByRole('dialog', { name: 'Viewer: biden.jpg' }).waitFor();
    const description = page.getByTestId('photo-description');
    await description.waitFor();
    // innerText is the text as laid out: line breaks the panel collapsed would read as spaces here.
    const shown = await description.innerText();
    expect(shown).not.toContain('&#');
    const paragraphs = shown.split(/\n\s*\n/);
    expect(paragraphs).toHaveLength(2);
    expect(paragraphs[0]).toMatch(/^President Barack Obama and Vice President Joe Biden .*\(Official White House Photo by Pete Souza\)$/);
    expect(paragraphs[1]).toMatch(/^This official White House photograph .*the White House\.$/);
    await description.scrollIntoViewIfNeeded();
    await shotsAtBothSizes(page, path.join(screenshots, 'photo-description'), { width: 1280, height: 800 });
  });
});
