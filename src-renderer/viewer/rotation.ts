// What a stored rotation changes in the window: the picture's address (one per rotation, so a cached upright picture
// is never shown for a turned photo), its shown size, and where a face box lands on the turned picture.
import type { FaceBox, QuarterTurns } from '../../src-preload/api';

/** The image address for a photo turned `turns` quarter turns (the server turns the picture; the address names it). */
export function turnedImageUrl(url: string, turns: QuarterTurns): string {
  return turns === 0 ? url : `${url}${url.includes('?') ? '&' : '?'}turns=${turns}`;
}

/** Width and height as shown: a quarter turn either way swaps them. */
export function turnedSize(width: number, height: number, turns: QuarterTurns): { width: number; height: number } {
  return turns % 2 === 1 ? { width: height, height: width } : { width, height };
}

/** A box in the upright photo's pixels ([x, y, w, h] of a width × height photo), in the pixels of the turned photo. */
export function turnedBox([x, y, w, h]: FaceBox, width: number, height: number, turns: QuarterTurns): FaceBox {
  switch (turns) {
    case 1:
      return [height - y - h, x, h, w];
    case 2:
      return [width - x - w, height - y - h, w, h];
    case 3:
      return [y, width - x - w, h, w];
    default:
      return [x, y, w, h];
  }
}
