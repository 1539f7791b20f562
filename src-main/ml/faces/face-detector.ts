// Finds faces in one picture with Human and returns them in the picture's own upright pixels: boxes, detector
// scores, L2-normalised descriptors and small WebP face thumbnails. Runs inside a face worker thread.
import sharp from 'sharp';
import { FACERES_SIDE, type FaceDescriber } from './faceres-onnx';
import type { HumanFace, HumanInstance } from './human-setup';

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
}

export interface DetectInput {
  /** A file path or encoded image bytes. */
  source: string | Uint8Array;
  /**
   * Upright size of the original when `source` is a smaller rendition of it (the viewer thumbnail): boxes are scaled
   * to it. Omitted: the source is the original.
   */
  originalSize?: { width: number; height: number };
  maxPixels?: number;
}

export class FaceInputError extends Error {
  override name = 'FaceInputError';
}

/** BlazeFace sees the whole picture at 256 px whatever the input size, so 1024 px loses nothing it could use. */
const DETECT_SIDE = 1024;
/** Crowd pictures are re-examined on overlapping tiles (measured: 57 → 80 of 80 faces on a 10×8 mosaic). */
const TILE_SIDE = 2048;
const CROWD_MIN_FACES = 12;
/** Median face width below this share of the long side means faces too small for the 256 px detector input. */
const CROWD_FACE_SHARE = 0.08;
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

function iou(a: readonly number[], b: readonly number[]): number {
  const ix = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
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

/** Human finds the faces and crops them; each crop is described here, as Human's own faceres step would. */
async function run({ human, describer }: FaceEngine, picture: RawPicture): Promise<HumanFace[]> {
  const tensor = human.tf.tensor3d(new Uint8Array(picture.data.buffer, picture.data.byteOffset, picture.data.byteLength), [picture.height, picture.width, 3], 'int32');
  let faces: HumanFace[] = [];
  try {
    const result = await human.detect(tensor);
    if (result.error) throw new Error(`face detection failed: ${result.error}`);
    faces = result.face;
    for (const face of faces) {
      if (!face.tensor) continue;
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

/** Overlapping 2×2 tiles of a larger rendition; their boxes are returned in that rendition's pixels. */
async function detectOnTiles(engine: FaceEngine, picture: RawPicture): Promise<Found[]> {
  const tileWidth = Math.min(picture.width, Math.ceil((picture.width / 2) * (1 + TILE_OVERLAP)));
  const tileHeight = Math.min(picture.height, Math.ceil((picture.height / 2) * (1 + TILE_OVERLAP)));
  const found: Found[] = [];
  for (const left of [0, picture.width - tileWidth]) {
    for (const top of [0, picture.height - tileHeight]) {
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

function isCrowd(faces: HumanFace[], picture: RawPicture): boolean {
  if (faces.length < CROWD_MIN_FACES) return false;
  const widths = faces.map((f) => f.box[2]).sort((a, b) => a - b);
  return widths[Math.floor(widths.length / 2)] < CROWD_FACE_SHARE * Math.max(picture.width, picture.height);
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
  const faces = await run(engine, picture);
  let found: Found[] = faces.map((face) => ({ box: face.box, face }));
  let foundIn = picture;
  if (isCrowd(faces, picture) && Math.max(original.width, original.height) > DETECT_SIDE) {
    const large = await decode(input.source, TILE_SIDE, maxPixels);
    const scale = large.width / picture.width;
    const tiled = await detectOnTiles(engine, large);
    // Whole-picture boxes first, then tile boxes that no kept box already covers; scores decide between tiles.
    const merged: Found[] = found.map((f) => ({ face: f.face, box: f.box.map((v) => v * scale) as Found['box'] }));
    for (const candidate of tiled.sort((a, b) => b.face.boxScore - a.face.boxScore)) {
      if (!merged.some((kept) => iou(kept.box, candidate.box) > SAME_FACE_IOU)) merged.push(candidate);
    }
    found = merged;
    foundIn = large;
  }
  const toOriginal = original.width / foundIn.width;
  const toPicture = picture.width / foundIn.width;
  const result: DetectedFace[] = [];
  for (const { box, face } of found) {
    const descriptor = face.embedding ? unit(face.embedding) : null;
    if (!descriptor || face.boxScore < 0.5) continue;
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
  return { width: original.width, height: original.height, faces: result };
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
