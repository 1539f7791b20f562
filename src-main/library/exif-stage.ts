// Pass-1 stage "exif": date taken, camera, lens, exposure and GPS from EXIF/XMP/IPTC via exifr. A photo without
// readable metadata is still a photo, so missing or unreadable metadata skips the stage instead of failing it.
import exifr from 'exifr';
import sharp from 'sharp';
import type { ImageUpdate } from '../store/schema';
import { metadataText } from './metadata-text';
import type { PipelineStage } from './pipeline-stage';

type Tags = Record<string, unknown>;

const EXIFR_OPTIONS = {
  tiff: true,
  exif: true,
  gps: true,
  xmp: true,
  iptc: true,
  icc: false,
  jfif: false,
  ihdr: false,
  // Dates stay as written: EXIF times carry no zone, and reviving them would bake in this machine's zone.
  reviveValues: false,
  translateValues: false,
  mergeOutput: true,
};

const DATE_KEYS = ['DateTimeOriginal', 'CreateDate', 'DateTimeDigitized', 'DateCreated', 'DateTime', 'ModifyDate'];

/** EXIF "2021:06:15 10:30:00" or XMP "2021-06-15T10:30:00(+02:00)" → ISO wall-clock time as the camera showed it. */
export function toTakenAt(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4})[:-](\d{2})[:-](\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = match;
  if (y === '0000' || mo === '00' || d === '00') return null;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}.000Z`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const read = metadataText(value);
  return read === '' ? null : read;
}

function num(value: unknown): number | null {
  const n = Array.isArray(value) ? Number(value[0]) : Number(value);
  return value === undefined || value === null || !Number.isFinite(n) ? null : n;
}

function hasExif(tags: Tags | undefined): tags is Tags {
  return !!tags && ['Make', 'Model', 'DateTimeOriginal', 'CreateDate', 'latitude', 'ExposureTime'].some((k) => tags[k] !== undefined);
}

async function readTags(filePath: string): Promise<Tags | undefined> {
  const direct = (await exifr.parse(filePath, EXIFR_OPTIONS).catch(() => undefined)) as Tags | undefined;
  if (hasExif(direct)) return direct;
  // exifr does not open WebP or GIF containers (and misreads some AVIF boxes): parse the EXIF block libvips found.
  const { exif } = await sharp(filePath, { limitInputPixels: false }).metadata();
  if (!exif) return direct;
  const tiffStart = exif.findIndex((_, i) => (exif[i] === 0x49 && exif[i + 1] === 0x49) || (exif[i] === 0x4d && exif[i + 1] === 0x4d));
  if (tiffStart < 0) return direct;
  const fromBlock = (await exifr.parse(exif.subarray(tiffStart), EXIFR_OPTIONS).catch(() => undefined)) as Tags | undefined;
  return hasExif(fromBlock) ? { ...(direct ?? {}), ...fromBlock } : direct;
}

export function exifToImageUpdate(tags: Tags): ImageUpdate {
  const takenAt = DATE_KEYS.map((k) => toTakenAt(tags[k])).find((v) => v !== null) ?? null;
  const latitude = num(tags.latitude);
  const longitude = num(tags.longitude);
  const validGps = latitude !== null && longitude !== null && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180 && !(latitude === 0 && longitude === 0);
  return {
    taken_at: takenAt,
    camera_make: text(tags.Make),
    camera_model: text(tags.Model),
    lens: text(tags.LensModel) ?? text(tags.Lens) ?? text(tags.LensInfo),
    focal_length: num(tags.FocalLength),
    f_number: num(tags.FNumber),
    exposure_time: num(tags.ExposureTime),
    iso: num(tags.ISO ?? tags.ISOSpeedRatings ?? tags.PhotographicSensitivity),
    gps_latitude: validGps ? latitude : null,
    gps_longitude: validGps ? longitude : null,
  };
}

export const exifStage: PipelineStage = {
  name: 'exif',
  pass: 1,
  version: null,
  async run(image, { catalog }) {
    const tags = await readTags(image.path);
    if (!tags) return 'skipped';
    await catalog.updateImage(image.id, exifToImageUpdate(tags));
    return 'done';
  },
};
