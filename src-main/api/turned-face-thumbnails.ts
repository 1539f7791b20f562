// Face pictures shown the way the person turned their photo: the stored crop is cut from the upright photo, so a
// turned photo's faces are turned here, where grid and viewer pictures are turned too, before any view gets them.
import sharp from 'sharp';
import type { QuarterTurns } from '../../src-preload/api';

const asDataUrl = (bytes: Uint8Array) => `data:image/webp;base64,${Buffer.from(bytes).toString('base64')}`;

/**
 * The face picture as a data: URL, turned `turns` quarter turns clockwise (crops are square: no size changes). A
 * stored picture that cannot be decoded is given as it is, so one damaged face never empties a whole People list.
 */
export async function shownFaceThumbnail(bytes: Uint8Array, turns: QuarterTurns): Promise<string> {
  if (turns === 0) return asDataUrl(bytes);
  const turned = await sharp(bytes)
    .rotate(turns * 90)
    .webp({ quality: 80 })
    .toBuffer()
    .catch(() => null);
  return asDataUrl(turned ?? bytes);
}
