// Finds faces in one picture with Human and returns them in the picture's own upright pixels: boxes, detector
// scores, L2-normalised descriptors and small WebP face thumbnails. Runs inside a face worker thread.
import sharp from 'sharp';
import { FACERES_SIDE, type FaceDescriber } from './faceres-onnx';
import { MIN_FACE_CONFIDENCE, type HumanFace, type HumanInstance } from './human-setup';

/** What finds faces (Human: detector and mesh) and what describes them (faceres on onnxruntime). */
export interface FaceEngine {
  human: HumanInstance;
  describer: FaceDescriber;
}

export interface DetectedFace {
  /** [x, y, width, height] in pixels of the upright original (EXIF orientation applied). */
  box: [number, number, number, number];
  score: number;
  /** 1024 floats, unit length: cosine similarity is a dot product. */
  descriptor: Float32Array;
  /** A square WebP crop around the face, for tiles in the People view. */
  thumbnail: Uint8Array;
  /** Model guesses kept only as hints for sorting; never shown as facts. */
  age: number | null;
  gender: string | null;
}

export interface FaceDetection {
  /** Upright size of the original picture, the space the boxes are in. */
  width: number;
  height: number;
  faces: DetectedFace[];
  /** Whether the picture was also examined on overlapping tiles (small faces were likely). */
  tiled: boolean;
}

export interface DetectInput {
  /** A file path or encoded image bytes. */
  source: string | Uint8Array;
  /**
   * Upright size of the original when `source` is a smaller rendition of it (the viewer thumbnail): boxes are scaled
   * to it. Omitted: the source is the original.
   */
  originalSize?: { width: number; height: number };
  /**
   * The original file when `source` is a smaller rendition: decoded (at up to 2048 px) only for a picture worth
   * examining on tiles, so the tiles keep the detail the viewer picture lost. Unreadable here (a RAW file sharp
   * cannot decode): the tiles come from `source`.
   */
  tileSource?: string;
  /** `auto` tiles only pictures likely to hold faces too small for one pass; the others are for measuring that. */
  tiling?: 'auto' | 'never' | 'always';
  maxPixels?: number;
}

export class FaceInputError extends Error {
  override name = 'FaceInputError';
}

/** BlazeFace sees the whole picture at 256 px whatever the input size, so 1024 px loses nothing it could use. */
const DETECT_SIDE = 1024;
/** Tiles are cut from a rendition this large, so a 1280 px viewer picture is not all they see. */
const TILE_SIDE = 2048;
/**
 * A face narrower than this share of the long side is near the smallest one pass finds (~4.5%: BlazeFace sees
 * 256 px): where one is found, smaller ones are likely missed beside it. Measured (bench/face-tiling.ts): no photo
 * of the 22 real fixture photos has a face under 10%, so none of them pays for tiles; group shots from afar and
 * crowd mosaics at 4032 px do, and tiles find their faces.
 */
const SMALL_FACE_SHARE = 0.07;
/**
 * Boxes this faint are not kept as faces but say small faces may be there. Measured on 1280 px viewer pictures: a
 * 4032 px crowd of 61 faces at ~4% of the long side has none at 0.5 but 16 at 0.2; no real fixture photo and no
 * face-free picture has a box between 0.2 and 0.5 (at 0.1 the face-free ones do).
 */
const TILING_HINT_CONFIDENCE = 0.2;
/** 3×3 tiles, not 2×2: on a 4032 px mosaic of 50 faces at ~5% of the long side, 48 found instead of 25. */
const TILE_GRID = 3;
/** Longer sides than this (long / short) are padded to a square before detection; see run(). */
const MAX_UNPADDED_ASPECT = 1.5;

/** A tile's box mostly inside a kept box is the same face cut by the tile's border (or found twice). */
const SAME_FACE_COVERED = 0.6;
const TILE_OVERLAP = 0.2;
const SAME_FACE_IOU = 0.3;
const THUMB_SIDE = 128;
const THUMB_MARGIN = 0.25;

interface RawPicture {
  data: Buffer;
  width: number;
  height: number;
}

async function decode(source: string | Uint8Array, side: number, maxPixels: number): Promise<RawPicture> {
  const input = typeof source === 'string' ? source : Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  try {
    const { data, info } = await sharp(input, { limitInputPixels: maxPixels, failOn: 'truncated' })
      .rotate()
      .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new FaceInputError(`the picture decodes to ${info.channels} colour channels, not RGB`);
    return { data, width: info.width, height: info.height };
  } catch (error) {
    if (error instanceof FaceInputError) throw error;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new FaceInputError(`not an image Glimpse can read for faces: ${reason}`);
  }
}

async function uprightSize(source: string | Uint8Array): Promise<{ width: number; height: number }> {
  const input = typeof source === 'string' ? source : Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  const meta = await sharp(input, { limitInputPixels: false })
    .metadata()
    .catch((error: unknown) => {
      throw new FaceInputError(`not an image Glimpse can read for faces: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    });
  if (!meta.width || !meta.height) throw new FaceInputError('the picture has no size in its header');
  const quarterTurn = (meta.orientation ?? 1) >= 5;
  return quarterTurn ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height };
}

function sameFace(a: readonly number[], b: readonly number[]): boolean {
  const ix = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  const smaller = Math.min(a[2] * a[3], b[2] * b[3]);
  return (union > 0 && inter / union > SAME_FACE_IOU) || (smaller > 0 && inter / smaller > SAME_FACE_COVERED);
}

function unit(values: number[]): Float32Array | null {
  let norm = 0;
  for (const v of values) norm += v * v;
  if (!Number.isFinite(norm) || norm === 0) return null;
  const scale = 1 / Math.sqrt(norm);
  return Float32Array.from(values, (v) => v * scale);
}

interface Found {
  /** Box in the coordinates of the picture it was found in, scaled to the original later. */
  box: [number, number, number, number];
  face: HumanFace;
}

/**
 * Human finds the faces and crops them; each crop is described here, as Human's own faceres step would. Boxes down to
 * `minConfidence` are returned (a hint that small faces are there), but only faces Glimpse keeps are described.
 */
async function run(
  { human, describer }: FaceEngine,
  picture: RawPicture,
  options: { minConfidence?: number; padToSquare?: boolean } = {},
): Promise<HumanFace[]> {
  const minConfidence = options.minConfidence ?? MIN_FACE_CONFIDENCE;
  const pixels = human.tf.tensor3d(new Uint8Array(picture.data.buffer, picture.data.byteOffset, picture.data.byteLength), [picture.height, picture.width, 3], 'int32');
  // The detector sees a square: a tall or wide picture squeezed into it gets boxes far larger than the face (twice
  // its size in a 1:2.3 portrait). Padded below or to the right, it keeps its shape and every box its coordinates.
  // Up to 3:2 the squeeze is mild and left alone: tiling's merging of whole-picture and tile boxes was measured so.
  const side = Math.max(picture.width, picture.height);
  const elongated = side / Math.min(picture.width, picture.height) > MAX_UNPADDED_ASPECT;
  const tensor = !options.padToSquare || !elongated ? pixels : human.tf.pad(pixels, [[0, side - picture.height], [0, side - picture.width], [0, 0]]);
  if (tensor !== pixels) pixels.dispose();
  let faces: HumanFace[] = [];
  try {
    // Human merges a call's config into its own, so every call states the threshold it wants.
    const result = await human.detect(tensor, { face: { detector: { minConfidence } } });
    if (result.error) throw new Error(`face detection failed: ${result.error}`);
    faces = result.face;
    for (const face of faces) {
      if (!face.tensor || face.boxScore < MIN_FACE_CONFIDENCE) continue;
      const crop = face.tensor;
      // The pixels are read outside tidy(): it would walk a returned typed array element by element (~100 ms).
      const input = human.tf.tidy(() => human.tf.mul(human.tf.image.resizeBilinear(crop, [FACERES_SIDE, FACERES_SIDE], false), 255));
      const pixels = input.dataSync();
      input.dispose();
      const description = await describer.describe(pixels);
      face.embedding = Array.from(description.descriptor);
      face.age = description.age;
      face.gender = description.gender ?? undefined;
    }
    return faces;
  } finally {
    tensor.dispose();
    for (const face of faces) face.tensor?.dispose();
  }
}

/** Overlapping TILE_GRID × TILE_GRID tiles of a larger rendition; their boxes are returned in that rendition's pixels. */
async function detectOnTiles(engine: FaceEngine, picture: RawPicture): Promise<Found[]> {
  const tileWidth = Math.min(picture.width, Math.ceil((picture.width / TILE_GRID) * (1 + TILE_OVERLAP)));
  const tileHeight = Math.min(picture.height, Math.ceil((picture.height / TILE_GRID) * (1 + TILE_OVERLAP)));
  const found: Found[] = [];
  for (let column = 0; column < TILE_GRID; column++) {
    for (let row = 0; row < TILE_GRID; row++) {
      const left = Math.round(((picture.width - tileWidth) * column) / (TILE_GRID - 1));
      const top = Math.round(((picture.height - tileHeight) * row) / (TILE_GRID - 1));
      const { data, info } = await sharp(picture.data, { raw: { width: picture.width, height: picture.height, channels: 3 } })
        .extract({ left, top, width: tileWidth, height: tileHeight })
        .raw()
        .toBuffer({ resolveWithObject: true });
      for (const face of await run(engine, { data, width: info.width, height: info.height })) {
        found.push({ box: [face.box[0] + left, face.box[1] + top, face.box[2], face.box[3]], face });
      }
    }
  }
  return found;
}

/** Tiling is worth it where one pass saw a small face, even faintly: crowds and group shots taken from afar. */
function worthTiling(faces: HumanFace[], picture: RawPicture): boolean {
  const longSide = Math.max(picture.width, picture.height);
  return faces.some((f) => Math.max(f.box[2], f.box[3]) < SMALL_FACE_SHARE * longSide);
}

/** The original at tile size, or the detection picture's own source when the original cannot be read here. */
async function tilePicture(input: DetectInput, maxPixels: number): Promise<RawPicture> {
  if (input.tileSource !== undefined) {
    const original = await decode(input.tileSource, TILE_SIDE, maxPixels).catch(() => null);
    if (original) return original;
  }
  return decode(input.source, TILE_SIDE, maxPixels);
}

async function thumbnailOf(picture: RawPicture, box: readonly number[]): Promise<Uint8Array> {
  const side = Math.max(box[2], box[3]) * (1 + 2 * THUMB_MARGIN);
  const cx = box[0] + box[2] / 2;
  const cy = box[1] + box[3] / 2;
  const left = Math.max(0, Math.floor(cx - side / 2));
  const top = Math.max(0, Math.floor(cy - side / 2));
  const width = Math.max(1, Math.min(picture.width - left, Math.ceil(side)));
  const height = Math.max(1, Math.min(picture.height - top, Math.ceil(side)));
  const bytes = await sharp(picture.data, { raw: { width: picture.width, height: picture.height, channels: 3 } })
    .extract({ left, top, width, height })
    .resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: 'cover' })
    .webp({ quality: 80 })
    .toBuffer();
  return new Uint8Array(bytes);
}

export async function detectFaces(engine: FaceEngine, input: DetectInput): Promise<FaceDetection> {
  const maxPixels = input.maxPixels ?? 200_000_000;
  const original = input.originalSize ?? (await uprightSize(input.source));
  const picture = await decode(input.source, DETECT_SIDE, maxPixels);
  const faces = await run(engine, picture, { minConfidence: TILING_HINT_CONFIDENCE, padToSquare: true });
  let found: Found[] = faces.filter((face) => face.boxScore >= MIN_FACE_CONFIDENCE).map((face) => ({ box: face.box, face }));
  let foundIn = picture;
  const tiling = input.tiling ?? 'auto';
  const tiled = tiling === 'always' || (tiling === 'auto' && worthTiling(faces, picture));
  if (tiled) {
    const large = await tilePicture(input, maxPixels);
    const scale = large.width / picture.width;
    const onTiles = await detectOnTiles(engine, large);
    // Whole-picture boxes first, then tile boxes that no kept box already covers; scores decide between tiles.
    const merged: Found[] = found.map((f) => ({ face: f.face, box: f.box.map((v) => v * scale) as Found['box'] }));
    for (const candidate of onTiles.sort((a, b) => b.face.boxScore - a.face.boxScore)) {
      if (!merged.some((kept) => sameFace(kept.box, candidate.box))) merged.push(candidate);
    }
    found = merged;
    foundIn = large;
  }
  const toOriginal = original.width / foundIn.width;
  const toPicture = picture.width / foundIn.width;
  const result: DetectedFace[] = [];
  for (const { box, face } of found) {
    const descriptor = face.embedding ? unit(face.embedding) : null;
    if (!descriptor || face.boxScore < MIN_FACE_CONFIDENCE) continue;
    const clipped = clipBox(box, foundIn);
    if (!clipped) continue;
    result.push({
      box: clipped.map((v) => Math.round(v * toOriginal)) as DetectedFace['box'],
      score: face.boxScore,
      descriptor,
      thumbnail: await thumbnailOf(picture, clipped.map((v) => v * toPicture)),
      age: typeof face.age === 'number' && Number.isFinite(face.age) ? face.age : null,
      gender: face.gender && face.gender !== 'unknown' ? face.gender : null,
    });
  }
  // Left to right, the order people name the faces in a photo.
  result.sort((a, b) => a.box[0] - b.box[0] || a.box[1] - b.box[1]);
  return { width: original.width, height: original.height, faces: result, tiled };
}

/** The part of a box inside the picture (Human's boxes may reach past the border), or null when nothing is left. */
function clipBox(box: readonly number[], picture: RawPicture): [number, number, number, number] | null {
  const x0 = Math.max(0, box[0]);
  const y0 = Math.max(0, box[1]);
  const x1 = Math.min(picture.width, box[0] + box[2]);
  const y1 = Math.min(picture.height, box[1] + box[3]);
  if (x1 - x0 < 1 || y1 - y0 < 1) return null;
  return [x0, y0, x1 - x0, y1 - y0];
}
