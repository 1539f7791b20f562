// Face pictures shown the way the person turned their photo: the stored crop is cut from the upright photo, so a
// turned photo's faces are turned here, where grid and viewer pictures are turned too, before any view gets them.
import sharp from 'sharp';
import type { QuarterTurns } from '../../src-preload/api';

/** The face picture as a data: URL, turned `turns` quarter turns clockwise (crops are square: no size changes). */
export async function shownFaceThumbnail(bytes: Uint8Array, turns: QuarterTurns): Promise<string> {
  const shown = turns === 0 ? Buffer.from(bytes) : await sharp(bytes).rotate(turns * 90).webp({ quality: 80 }).toBuffer();
  return `data:image/webp;base64,${shown.toString('base64')}`;
}
