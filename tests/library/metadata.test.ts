// What indexing extracts from a photo: EXIF written by sharp read back into the catalog, thumbnails that honour EXIF
// orientation (checked by pixel colour), every supported format including a real HEVC-coded HEIC, and real photos.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { GROUP_PHOTO, PORTRAIT_PHOTO, writePhoto, writeTwoToneJpeg } from '../fixtures/photos';
import { writeJpeg } from '../deep/word-fixtures';
import { type Harness, makeHarness } from './library-harness';

const HEIC_FIXTURE = path.join(import.meta.dirname, 'fixtures', 'two-tone.heic');

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

async function pixel(file: string, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i], data[i + 1], data[i + 2]];
}

function isRed([r, g, b]: number[]) {
  return r > 150 && g < 80 && b < 80;
}
function isBlue([r, g, b]: number[]) {
  return b > 150 && r < 80 && g < 80;
}

describe('metadata and thumbnails', () => {
  it('reads back the EXIF that sharp wrote: date taken, camera, lens, exposure and GPS', async () => {
    harness = await makeHarness();
    const file = await writePhoto(path.join(harness.photos, 'exif.jpg'), {
      seed: 5,
      exif: {
        make: 'Glimpse Optics',
        model: 'Pixel Tester 3000',
        lens: 'Glimpse 35mm f/2.8',
        takenAt: '2021:06:15 10:30:45',
        fNumber: '28/10',
        exposureTime: '1/250',
        iso: '400',
        focalLength: '35/1',
        gps: { latitude: -33.8568, longitude: 151.2153 },
      },
    });
    await harness.library.indexFolder(harness.photos);
    const image = await harness.catalog.getImageByPath(file);
    expect(image).toMatchObject({
      status: 'ready',
      format: 'jpeg',
      width: 64,
      height: 64,
      taken_at: '2021-06-15T10:30:45.000Z',
      camera_make: 'Glimpse Optics',
      camera_model: 'Pixel Tester 3000',
      lens: 'Glimpse 35mm f/2.8',
      f_number: 2.8,
      exposure_time: 0.004,
      iso: 400,
      focal_length: 35,
    });
    expect(image!.gps_latitude).toBeCloseTo(-33.8568, 3);
    expect(image!.gps_longitude).toBeCloseTo(151.2153, 3);
    const details = await harness.catalog.photoDetails(image!.id);
    expect(details?.stages).toEqual({ decode: 'done', exif: 'done', thumbs: 'done' });
  });

  it('reads camera and lens names written only in XMP as their characters, not their XML entities', async () => {
    harness = await makeHarness();
    const file = path.join(harness.photos, 'xmp-camera.jpg');
    await writeJpeg(file, {
      xmp:
        '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
        '<rdf:Description rdf:about="" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" xmlns:aux="http://ns.adobe.com/exif/1.0/aux/"' +
        ' tiff:Make="Zeiss &amp; Co" tiff:Model="Box &quot;Tengor&quot;" aux:Lens="Tessar 75&#x2F;4.5"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>',
    });
    await harness.library.indexFolder(harness.photos);
    expect(await harness.catalog.getImageByPath(file)).toMatchObject({ camera_make: 'Zeiss & Co', camera_model: 'Box "Tengor"', lens: 'Tessar 75/4.5' });
  });

  it('turns thumbnails upright by EXIF orientation and stores the photo upright size', async () => {
    harness = await makeHarness();
    const upright = await writeTwoToneJpeg(path.join(harness.photos, 'upright.jpg'), 1);
    const rotated = await writeTwoToneJpeg(path.join(harness.photos, 'rotated.jpg'), 6);
    await harness.library.indexFolder(harness.photos);

    const plain = (await harness.catalog.getImageByPath(upright))!;
    expect([plain.width, plain.height, plain.orientation]).toEqual([64, 32, 1]);
    expect(await sharp(plain.thumb_path!).metadata()).toMatchObject({ width: 64, height: 32, format: 'webp' });
    expect(isRed(await pixel(plain.thumb_path!, 8, 16))).toBe(true);
    expect(isBlue(await pixel(plain.thumb_path!, 56, 16))).toBe(true);

    // Orientation 6 means "rotate 90° clockwise to display": the red left half ends up on top.
    const turned = (await harness.catalog.getImageByPath(rotated))!;
    expect([turned.width, turned.height, turned.orientation]).toEqual([32, 64, 6]);
    for (const thumb of [turned.thumb_path!, turned.view_path!]) {
      expect(await sharp(thumb).metadata()).toMatchObject({ width: 32, height: 64 });
      expect(isRed(await pixel(thumb, 16, 8))).toBe(true);
      expect(isBlue(await pixel(thumb, 16, 56))).toBe(true);
    }
  });

  it('indexes PNG, WebP, GIF, TIFF, AVIF and a real HEVC-coded HEIC', async () => {
    harness = await makeHarness();
    const files = {
      png: await writePhoto(path.join(harness.photos, 'a.png'), { seed: 1, format: 'png', exif: { model: 'Png Model' } }),
      webp: await writePhoto(path.join(harness.photos, 'b.webp'), { seed: 2, format: 'webp', exif: { make: 'WebCam' } }),
      gif: await writePhoto(path.join(harness.photos, 'c.gif'), { seed: 3, format: 'gif' }),
      tiff: await writePhoto(path.join(harness.photos, 'd.tiff'), { seed: 4, format: 'tiff' }),
      avif: await writePhoto(path.join(harness.photos, 'e.avif'), { seed: 5, format: 'avif', exif: { takenAt: '2019:12:31 23:59:00' } }),
      heic: path.join(harness.photos, 'f.heic'),
    };
    fs.copyFileSync(HEIC_FIXTURE, files.heic);
    const report = await harness.library.indexFolder(harness.photos);
    expect(report).toEqual({ indexed: 6, duplicates: 0, failed: [] });
    for (const [format, file] of Object.entries(files)) {
      const image = (await harness.catalog.getImageByPath(file))!;
      expect(image.format, file).toBe(format);
      expect(fs.existsSync(image.view_path!)).toBe(true);
    }
    expect((await harness.catalog.getImageByPath(files.webp))!.camera_make).toBe('WebCam');
    // exifr cannot open WebP, and misreads sharp's AVIF EXIF box: both come through the EXIF block libvips found.
    expect((await harness.catalog.getImageByPath(files.png))!.camera_model).toBe('Png Model');
    expect((await harness.catalog.getImageByPath(files.avif))!.taken_at).toBe('2019-12-31T23:59:00.000Z');
    // The HEIC fixture is 64×48, left half red and right half blue (encoded with libheif's heif-enc, x265).
    const heic = (await harness.catalog.getImageByPath(files.heic))!;
    expect([heic.width, heic.height]).toEqual([64, 48]);
    expect(isRed(await pixel(heic.thumb_path!, 10, 24))).toBe(true);
    expect(isBlue(await pixel(heic.thumb_path!, 54, 24))).toBe(true);
  });

  it('indexes real camera photos into both thumbnail sizes without enlarging', async () => {
    harness = await makeHarness({ config: { thumbnails: { gridSize: 128, viewSize: 1024 } } });
    fs.copyFileSync(GROUP_PHOTO, path.join(harness.photos, 'group.jpg'));
    fs.copyFileSync(PORTRAIT_PHOTO, path.join(harness.photos, 'portrait.jpg'));
    await harness.library.indexFolder(harness.photos);
    const group = (await harness.catalog.getImageByPath(path.join(harness.photos, 'group.jpg')))!;
    expect([group.width, group.height]).toEqual([1920, 1537]);
    expect(await sharp(group.thumb_path!).metadata()).toMatchObject({ width: 128, height: 103 });
    expect(await sharp(group.view_path!).metadata()).toMatchObject({ width: 1024, height: 820 });
    const portrait = (await harness.catalog.getImageByPath(path.join(harness.photos, 'portrait.jpg')))!;
    expect(await sharp(portrait.view_path!).metadata()).toMatchObject({ width: 1024, height: 768 });
  });
});
