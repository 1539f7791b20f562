// A face box turned with the photo must land where the face's pixels go when the picture is really turned: checked
// against sharp turning an image with a marked block, for every quarter turn; and where a slideshow goes next.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { FaceBox, QuarterTurns } from '../../src-preload/api';
import { turnedBox, turnedImageUrl, turnedSize } from '../../src-renderer/viewer/rotation';
import { nextSlide } from '../../src-renderer/viewer/slideshow';

const WIDTH = 120;
const HEIGHT = 70;
const FACE: FaceBox = [14, 9, 30, 22];

/** The bounding box of the white pixels of a picture turned `turns` quarter turns by sharp. */
async function markedBoxAfterTurning(turns: QuarterTurns): Promise<{ box: FaceBox; width: number; height: number }> {
  const pixels = Buffer.alloc(WIDTH * HEIGHT, 0);
  for (let y = FACE[1]; y < FACE[1] + FACE[3]; y++) pixels.fill(255, y * WIDTH + FACE[0], y * WIDTH + FACE[0] + FACE[2]);
  const { data, info } = await sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 1 } })
    .rotate(turns * 90)
    .raw()
    .toBuffer({ resolveWithObject: true });
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -1, -1];
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (data[(y * info.width + x) * info.channels] < 128) continue;
      [minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
    }
  }
  return { box: [minX, minY, maxX - minX + 1, maxY - minY + 1], width: info.width, height: info.height };
}

describe('turning a photo in the window', () => {
  it.each([0, 1, 2, 3] as const)('puts a face box where the face is after %i quarter turns', async (turns) => {
    const turned = await markedBoxAfterTurning(turns);
    expect(turnedSize(WIDTH, HEIGHT, turns)).toEqual({ width: turned.width, height: turned.height });
    expect(turnedBox(FACE, WIDTH, HEIGHT, turns)).toEqual(turned.box);
  });

  it('names each rotation in the picture address', () => {
    expect(turnedImageUrl('glimpse://view/7', 0)).toBe('glimpse://view/7');
    expect(turnedImageUrl('glimpse://view/7', 1)).toBe('glimpse://view/7?turns=1');
    expect(turnedImageUrl('/media/view/7?key=k', 3)).toBe('/media/view/7?key=k&turns=3');
  });

  it('moves a slideshow to the next photo, back to the first when looping, and nowhere at the end', () => {
    expect(nextSlide(0, 3, false)).toBe(1);
    expect(nextSlide(2, 3, false)).toBeNull();
    expect(nextSlide(2, 3, true)).toBe(0);
    expect(nextSlide(0, 1, true)).toBeNull();
  });
});
