// Pictures made from the real fixture photos for the hard cases: a crowd mosaic of dozens of real faces, grey,
// CMYK and EXIF-rotated copies, a 1×1 image, and face-free pictures (gradients, shapes, noise).
import sharp from 'sharp';

/** Face crops (with some hair and background) of the fixture group photos, as JPEG tiles. */
async function faceTiles(sources: Array<{ file: string; boxes: number[][] }>, width: number, height: number): Promise<Buffer[]> {
  const tiles: Buffer[] = [];
  for (const { file, boxes } of sources) {
    const upright = await sharp(file).rotate().toBuffer({ resolveWithObject: true });
    for (const [x, y, w, h] of boxes) {
      const left = Math.max(0, Math.round(x - w * 0.4));
      const top = Math.max(0, Math.round(y - h * 0.4));
      const extract = { left, top, width: Math.min(upright.info.width - left, Math.round(w * 1.8)), height: Math.min(upright.info.height - top, Math.round(h * 1.8)) };
      tiles.push(await sharp(upright.data).extract(extract).resize(width, height, { fit: 'cover' }).jpeg().toBuffer());
    }
  }
  return tiles;
}

/** `cols × rows` real faces on a grey board (each tile one face), to test pictures with dozens of faces. */
export async function crowdMosaic(file: string, sources: Array<{ file: string; boxes: number[][] }>, cols: number, rows: number): Promise<number> {
  const tiles = await faceTiles(sources, 200, 240);
  const composites = Array.from({ length: cols * rows }, (_, i) => ({ input: tiles[i % tiles.length], left: (i % cols) * 200, top: Math.floor(i / cols) * 240 }));
  await sharp({ create: { width: cols * 200, height: rows * 240, channels: 3, background: '#777777' } }).composite(composites).jpeg({ quality: 90 }).toFile(file);
  return cols * rows;
}

export async function greyCopy(source: string, file: string): Promise<void> {
  await sharp(source).rotate().greyscale().jpeg().toFile(file);
}

export async function cmykCopy(source: string, file: string): Promise<void> {
  await sharp(source).rotate().toColourspace('cmyk').jpeg().toFile(file);
}

/** Pixels turned a quarter to the left and EXIF orientation 6 (turn right to view): upright, it is the original. */
export async function exifRotatedCopy(source: string, file: string): Promise<void> {
  const upright = await sharp(source).rotate().toBuffer();
  await sharp(upright).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toFile(file);
}

export async function onePixel(file: string): Promise<void> {
  await sharp({ create: { width: 1, height: 1, channels: 3, background: '#c08060' } }).jpeg().toFile(file);
}

/** Face-free pictures: a sky-to-sand gradient, overlapping shapes, and coloured noise. */
export async function faceFreePictures(dir: string): Promise<string[]> {
  const files = [`${dir}/gradient.jpg`, `${dir}/shapes.png`, `${dir}/noise.jpg`];
  const gradient = Buffer.alloc(640 * 480 * 3);
  for (let y = 0; y < 480; y++) {
    for (let x = 0; x < 640; x++) {
      const o = (y * 640 + x) * 3;
      gradient[o] = 90 + (y * 150) / 480;
      gradient[o + 1] = 140 + (y * 60) / 480;
      gradient[o + 2] = 230 - (y * 130) / 480;
    }
  }
  await sharp(gradient, { raw: { width: 640, height: 480, channels: 3 } }).jpeg().toFile(files[0]);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><rect width="800" height="600" fill="#2d6a4f"/>
    <circle cx="220" cy="260" r="140" fill="#f4a261"/><rect x="420" y="120" width="260" height="320" fill="#264653"/>
    <polygon points="100,560 400,330 700,560" fill="#e9c46a"/></svg>`;
  await sharp(Buffer.from(svg)).png().toFile(files[1]);
  const noise = Buffer.alloc(512 * 512 * 3);
  let state = 12345;
  for (let i = 0; i < noise.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    noise[i] = state >>> 24;
  }
  await sharp(noise, { raw: { width: 512, height: 512, channels: 3 } }).jpeg().toFile(files[2]);
  return files;
}

/** Real group photos scaled into a `cols × rows` grid on a camera-sized board, as a crowd shot far away. */
export async function groupMosaic(file: string, photos: string[], cols: number, rows: number, board = { width: 4032, height: 3024 }): Promise<void> {
  const cell = { width: Math.floor(board.width / cols), height: Math.floor(board.height / rows) };
  const composites = [];
  for (let i = 0; i < cols * rows; i++) {
    const input = await sharp(photos[i % photos.length]).rotate().resize({ ...cell, fit: 'contain', background: '#5a6a5a' }).toBuffer();
    composites.push({ input, left: (i % cols) * cell.width, top: Math.floor(i / cols) * cell.height });
  }
  await sharp({ create: { ...board, channels: 3, background: '#5a6a5a' } }).composite(composites).jpeg({ quality: 90 }).toFile(file);
}

/** One real group photo, `share` of the board's width, on a camera-sized board: a group shot from afar. */
export async function distantGroup(file: string, photo: string, share: number, board = { width: 4032, height: 3024 }): Promise<void> {
  const input = await sharp(photo).rotate().resize({ width: Math.round(board.width * share) }).toBuffer();
  const placed = { input, left: Math.round(board.width * 0.3), top: Math.round(board.height * 0.4) };
  await sharp({ create: { ...board, channels: 3, background: '#8a9a7a' } }).composite([placed]).jpeg({ quality: 90 }).toFile(file);
}
