// `glimpse rotate` as a person runs it: by path and by id, relative (left, right) and absolute (degrees), shown by
// `glimpse info`, a bad angle refused by name — and the photo's file byte for byte the same afterwards.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { runGlimpse } from './run-glimpse';

describe('glimpse rotate', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-cli-rotate-'));
  const photos = path.join(root, 'trip');
  const photo = path.join(photos, 'sideways.jpg');
  const dataDir = path.join(root, 'data');
  const env = { ...process.env, GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' };
  const glimpse = (...args: string[]) => runGlimpse(args, { dataDir, cwd: root, env });
  const sha256 = () => createHash('sha256').update(fs.readFileSync(photo)).digest('hex');

  beforeAll(async () => {
    fs.mkdirSync(photos, { recursive: true });
    await sharp({ create: { width: 120, height: 80, channels: 3, background: { r: 200, g: 140, b: 40 } } }).jpeg().toFile(photo);
    expect((await glimpse('index', photos)).code).toBe(0);
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('turns a photo by path and by id, says so in info, and leaves the file alone', async () => {
    const before = sha256();
    const right = await glimpse('rotate', photo, 'right');
    expect(right.code).toBe(0);
    expect(right.stdout).toContain('turned 90° clockwise');
    const id = JSON.parse((await glimpse('info', photo, '--json')).stdout).id as number;
    expect(JSON.parse((await glimpse('rotate', String(id), 'right', '--json')).stdout)).toEqual({ id, rotation: 2 });
    expect(JSON.parse((await glimpse('rotate', String(id), '270', '--json')).stdout)).toEqual({ id, rotation: 3 });
    expect((await glimpse('info', String(id))).stdout).toMatch(/^rotated\s+270° clockwise for showing/m);
    expect(JSON.parse((await glimpse('rotate', photo, 'left', '--json')).stdout)).toEqual({ id, rotation: 2 });
    const upright = await glimpse('rotate', photo, '0');
    expect(upright.stdout).toContain('upright, as in the file');
    expect((await glimpse('info', String(id))).stdout).not.toMatch(/^rotated/m);
    expect(sha256()).toBe(before);
  });

  it('refuses an angle that is not a quarter turn, naming what it accepts', async () => {
    const bad = await glimpse('rotate', photo, '45');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"45" is not a rotation: use left, right, 0, 90, 180 or 270');
  });
});
