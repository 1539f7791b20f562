// Opens a photo for pixels: checks its header against the pixel budget before anything is decoded, and routes
// HEVC-coded HEIC files (which sharp's prebuilt libvips cannot decode) through the heic-decode WASM decoder.
import fs from 'node:fs';
import decodeHeic from 'heic-decode';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { PhotoFileError } from './failure-causes';

export interface ImageHeader {
  /** jpeg, png, webp, gif, tiff, avif or heic (HEVC-coded HEIF, which needs the WASM decoder for pixels). */
  format: string;
  /** Stored pixel size, before EXIF orientation. */
  width: number;
  height: number;
  /** EXIF orientation 1–8 (1 when absent). */
  orientation: number;
}

const SUPPORTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif']);

function formatName(metadata: Metadata): string {
  if (metadata.format !== 'heif') return metadata.format ?? 'unknown';
  return metadata.compression === 'hevc' ? 'heic' : 'avif';
}

/** Reads only the header and refuses images whose claimed size exceeds `maxPixels`, before any pixel is decoded. */
export async function readImageHeader(filePath: string, maxPixels: number): Promise<ImageHeader> {
  // limitInputPixels: false so the header of a huge image is read and refused with our message, not libvips'.
  const metadata = await sharp(filePath, { limitInputPixels: false }).metadata();
  if (!metadata.format || !SUPPORTED_FORMATS.has(metadata.format) || !metadata.width || !metadata.height) {
    throw new PhotoFileError(
      `not an image Glimpse can read: the contents are ${metadata.format ? `"${metadata.format}"` : 'of an unknown kind'}, not a JPEG, PNG, WebP, GIF, TIFF, AVIF or HEIC picture`,
    );
  }
  const pixels = metadata.width * metadata.height;
  if (pixels > maxPixels) {
    throw new PhotoFileError(
      `decompression bomb refused: the file claims ${metadata.width}×${metadata.height} pixels ` +
        `(${Math.round(pixels / 1e6).toLocaleString('en-US')} megapixels), above the ${Math.round(maxPixels / 1e6)}-megapixel limit; it was not decoded`,
    );
  }
  return {
    format: formatName(metadata),
    width: metadata.width,
    height: metadata.height,
    orientation: metadata.orientation ?? 1,
  };
}

/** A sharp pipeline over the photo's pixels, already turned upright. */
export async function openUpright(filePath: string, format: string | null, maxPixels: number): Promise<Sharp> {
  if (format === 'heic') {
    // libheif applies the HEIF rotation boxes while decoding, so these pixels are already upright.
    const decoded = await decodeHeic({ buffer: await fs.promises.readFile(filePath) }).catch((error: unknown) => {
      throw new PhotoFileError(`the HEIC image is damaged or cannot be decoded (${error instanceof Error ? error.message : String(error)})`);
    });
    return sharp(Buffer.from(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength), {
      raw: { width: decoded.width, height: decoded.height, channels: 4 },
    });
  }
  return sharp(filePath, { sequentialRead: true, limitInputPixels: maxPixels, failOn: 'truncated' }).rotate();
}
