// Turns a photo into the pixels SigLIP looks at: decoded by sharp the way a viewer shows it (EXIF orientation
// applied, sRGB, no alpha), and cut into the global view plus the five crops stored for re-ranking.
import { RawImage } from '@huggingface/transformers';
import sharp from 'sharp';

/**
 * Larger photos are shrunk to fit this box before anything else: SigLIP sees 224–512 px per view and a crop
 * is half the photo, so 1024 px keeps every view sharper than the model's input while sparing 100 MB decodes.
 */
const DECODE_BOX = 1024;

/** Thrown when the bytes are not an image sharp can read; the message names the file. */
export class ImageDecodeError extends Error {
  constructor(source: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`cannot read ${source} as an image: ${reason}`);
    this.name = 'ImageDecodeError';
  }
}

export async function decodeImage(input: string | Uint8Array): Promise<RawImage> {
  const source = typeof input === 'string' ? input : `${input.byteLength} bytes of image data`;
  try {
    const { data, info } = await sharp(input)
      .rotate()
      .resize({ width: DECODE_BOX, height: DECODE_BOX, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return new RawImage(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height, 3);
  } catch (error) {
    throw new ImageDecodeError(source, error);
  }
}

/** Crop order, as stored beside each photo's global vector. */
export const CROP_NAMES = ['centre', 'top-left', 'top-right', 'bottom-left', 'bottom-right'] as const;

/**
 * The five crops: the centre (middle half of each side, the same size as a grid cell) and the four cells of a
 * 2×2 grid. Each is a view in which a detail that is small in the whole photo fills a quarter of the frame.
 */
export async function cropViews(image: RawImage): Promise<RawImage[]> {
  const { width, height } = image;
  const halfW = Math.floor(width / 2);
  const halfH = Math.floor(height / 2);
  const quarterW = Math.floor(width / 4);
  const quarterH = Math.floor(height / 4);
  // RawImage.crop takes inclusive [x_min, y_min, x_max, y_max].
  const boxes: [number, number, number, number][] = [
    [quarterW, quarterH, quarterW + Math.max(1, halfW) - 1, quarterH + Math.max(1, halfH) - 1],
    [0, 0, Math.max(0, halfW - 1), Math.max(0, halfH - 1)],
    [halfW, 0, width - 1, Math.max(0, halfH - 1)],
    [0, halfH, Math.max(0, halfW - 1), height - 1],
    [halfW, halfH, width - 1, height - 1],
  ];
  return Promise.all(boxes.map((box) => image.crop(box)));
}
