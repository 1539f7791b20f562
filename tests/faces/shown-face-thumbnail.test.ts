// A face picture turned with its photo: a marked corner lands where a quarter turn puts it, and a stored picture that
// cannot be decoded comes back as it is instead of failing the whole list it is part of.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { shownFaceThumbnail } from '../../src-main/api/turned-face-thumbnails';

/** A 40 × 40 grey face picture with a red top-left corner. */
async function markedFace(): Promise<Uint8Array> {
  const pixels = Buffer.alloc(40 * 40 * 3, 110);
  for (let y = 0; y < 12; y++) for (let x = 0; x < 12; x++) pixels.set([230, 20, 20], (y * 40 + x) * 3);
  return new Uint8Array(await sharp(pixels, { raw: { width: 40, height: 40, channels: 3 } }).webp({ lossless: true }).toBuffer());
}

async function redAt(dataUrl: string, x: number, y: number): Promise<boolean> {
  const { data, info } = await sharp(Buffer.from(dataUrl.split(',')[1], 'base64')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return data[i] > 180 && data[i + 1] < 90;
}

describe('face pictures of a turned photo', () => {
  it('turns the picture a quarter turn at a time, and leaves an upright one byte for byte', async () => {
    const face = await markedFace();
    expect(await shownFaceThumbnail(face, 0)).toBe(`data:image/webp;base64,${Buffer.from(face).toString('base64')}`);
    expect(await redAt(await shownFaceThumbnail(face, 1), 34, 5)).toBe(true);
    expect(await redAt(await shownFaceThumbnail(face, 2), 34, 34)).toBe(true);
    expect(await redAt(await shownFaceThumbnail(face, 3), 5, 34)).toBe(true);
    expect(await redAt(await shownFaceThumbnail(face, 1), 5, 5)).toBe(false);
  });

  it('gives a damaged picture back as it is rather than failing', async () => {
    const damaged = new Uint8Array([1, 2, 3]);
    expect(await shownFaceThumbnail(damaged, 1)).toBe('data:image/webp;base64,AQID');
  });
});
