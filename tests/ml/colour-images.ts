// Writes the photos the ML tests look at: plain colours and a gray scene with one coloured quadrant, encoded by
// sharp like real files, with the colours the fixture model's prototypes define.
import path from 'node:path';
import sharp from 'sharp';
import { COLOUR_NAMES, COLOUR_PROTOTYPES, type ColourName } from '../fixtures/generate-models';

const rgbOf = (colour: ColourName) => {
  const [r, g, b] = COLOUR_PROTOTYPES[colour];
  return { r, g, b };
};

export async function writeSolidImage(dir: string, colour: ColourName, width = 160, height = 120): Promise<string> {
  const file = path.join(dir, `${colour}-${width}x${height}.png`);
  await sharp({ create: { width, height, channels: 3, background: rgbOf(colour) } }).png().toFile(file);
  return file;
}

export type Quadrant = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

/** A `base` photo whose `quadrant` (exactly one 2×2 grid cell) is `patch`, saved as JPEG or PNG. */
export async function writeQuadrantImage(
  dir: string,
  base: ColourName,
  patch: ColourName,
  quadrant: Quadrant,
  options: { size?: number; format?: 'png' | 'jpeg'; exifOrientation?: number } = {},
): Promise<string> {
  const size = options.size ?? 200;
  const half = size / 2;
  const left = quadrant.endsWith('right') ? half : 0;
  const top = quadrant.startsWith('bottom') ? half : 0;
  const patchPixels = await sharp({ create: { width: half, height: half, channels: 3, background: rgbOf(patch) } })
    .png()
    .toBuffer();
  let image = sharp({ create: { width: size, height: size, channels: 3, background: rgbOf(base) } }).composite([
    { input: patchPixels, left, top },
  ]);
  const format = options.format ?? 'png';
  if (options.exifOrientation) image = image.withMetadata({ orientation: options.exifOrientation });
  const file = path.join(dir, `${base}-${patch}-${quadrant}-${options.exifOrientation ?? 1}.${format === 'png' ? 'png' : 'jpg'}`);
  await (format === 'png' ? image.png() : image.jpeg({ quality: 95 })).toFile(file);
  return file;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i += 1) dot += a[i] * b[i];
  return dot;
}

/** The colour word whose text embedding is closest to `vector`. */
export function nearestColour(vector: Float32Array, colourTexts: Map<ColourName, Float32Array>): ColourName {
  let best: ColourName = COLOUR_NAMES[0];
  let bestScore = -Infinity;
  for (const [colour, text] of colourTexts) {
    const score = cosine(vector, text);
    if (score > bestScore) [best, bestScore] = [colour, score];
  }
  return best;
}
