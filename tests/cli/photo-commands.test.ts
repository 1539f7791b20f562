// `glimpse info`, `favourite`, `deleted` and `restore` as a person runs them: a photo's details by id or path (place name
// included), and a removed photo listed and put back, all through a real process on real folders.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { runGlimpse } from './run-glimpse';


describe('glimpse info, deleted and restore', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-cli-photos-'));
  const photos = path.join(root, 'trip');
  const dataDir = path.join(root, 'data');
  const env = { ...process.env, GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' };

  const glimpse = (...args: string[]) => runGlimpse(args, { dataDir, cwd: root, env });

  beforeAll(async () => {
    fs.mkdirSync(photos, { recursive: true });
    await sharp({ create: { width: 120, height: 80, channels: 3, background: { r: 200, g: 40, b: 40 } } })
      .withExif({
        IFD0: { Make: 'Canon', Model: 'Canon EOS 5D Mark II', DateTime: '2023:07:14 18:30:00' },
        IFD2: { ISOSpeedRatings: '1600' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '45/1 45/1 50/1', GPSLongitudeRef: 'E', GPSLongitude: '4/1 50/1 8/1' },
      })
      .jpeg()
      .toFile(path.join(photos, 'lyon.jpg'));
    await sharp({ create: { width: 120, height: 80, channels: 3, background: { r: 40, g: 40, b: 200 } } }).jpeg().toFile(path.join(photos, 'blue.jpg'));
    expect((await glimpse('index', photos)).code).toBe(0);
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('prints a photo’s details by path, with the nearest town, and as JSON by id', async () => {
    const human = await glimpse('info', path.join(photos, 'lyon.jpg'));
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^place\s+Lyon, France \(45\.76/m);
    expect(human.stdout).toMatch(/^exposure\s+ISO 1600$/m);
    expect(human.stdout).toMatch(/^stages\s+.*embed\w* done/m);
    const id = Number(/^id\s+(\d+)$/m.exec(human.stdout)![1]);
    const json = JSON.parse((await glimpse('info', String(id), '--json')).stdout);
    expect(json).toMatchObject({ id, place: 'Lyon, France', exif: { cameraModel: 'Canon EOS 5D Mark II', iso: 1600 } });
    expect((await glimpse('favourite', String(id))).stdout).toContain('Marked 1 photo(s)');
    expect(JSON.parse((await glimpse('favourites', '--json')).stdout).map((p: { id: number }) => p.id)).toEqual([id]);
    expect(JSON.parse((await glimpse('info', String(id), '--json')).stdout).favourite).toBe(true);
    const missing = await glimpse('info', path.join(photos, 'nope.jpg'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('is not a photo in the library');
  });

  it('lists a removed photo and puts it back', async () => {
    const id = JSON.parse((await glimpse('info', path.join(photos, 'blue.jpg'), '--json')).stdout).id as number;
    expect((await glimpse('rm', String(id))).code).toBe(0);
    const deleted = JSON.parse((await glimpse('deleted', '--json')).stdout) as { id: number; path: string; inTrash: boolean }[];
    expect(deleted).toEqual([expect.objectContaining({ path: path.join(photos, 'blue.jpg'), inTrash: false })]);
    expect((await glimpse('deleted')).stdout).toMatch(/restorable until \d{4}-\d{2}-\d{2}\s+.*blue\.jpg/);
    const restored = await glimpse('restore', String(deleted[0].id));
    expect(restored.stdout).toContain('Restored 1 photo(s)');
    expect((await glimpse('index', photos)).code).toBe(0);
    const back = await glimpse('info', path.join(photos, 'blue.jpg'), '--json');
    expect(JSON.parse(back.stdout).status).toBe('ready');
    expect(JSON.parse((await glimpse('deleted', '--json')).stdout)).toEqual([]);
  });
});
