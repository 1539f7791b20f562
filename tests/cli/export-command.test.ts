// `glimpse export` as a person runs it: photos by id and by path copied into a folder made for them, a taken name
// renamed rather than overwritten, the JSON answer per photo, and a refused folder named with its cause.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { runGlimpse } from './run-glimpse';

describe('glimpse export', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-cli-export-'));
  const photos = path.join(root, 'trip');
  const dataDir = path.join(root, 'data');
  const env = { ...process.env, GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' };
  const glimpse = (...args: string[]) => runGlimpse(args, { dataDir, cwd: root, env });

  beforeAll(async () => {
    fs.mkdirSync(photos, { recursive: true });
    await sharp({ create: { width: 120, height: 80, channels: 3, background: { r: 200, g: 40, b: 40 } } }).jpeg().toFile(path.join(photos, 'red.jpg'));
    await sharp({ create: { width: 80, height: 120, channels: 3, background: { r: 40, g: 40, b: 200 } } }).jpeg().toFile(path.join(photos, 'blue.jpg'));
    expect((await glimpse('index', photos)).code).toBe(0);
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('copies photos given by id or by relative path into a new folder, and says what it wrote', async () => {
    const blueId = JSON.parse((await glimpse('info', path.join(photos, 'blue.jpg'), '--json')).stdout).id as number;
    fs.mkdirSync(path.join(root, 'stick'));
    fs.writeFileSync(path.join(root, 'stick', 'red.jpg'), 'already here');

    const human = await glimpse('export', String(blueId), 'trip/red.jpg', '--to', 'stick');
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`Exported 2 photo(s) to ${fs.realpathSync(path.join(root, 'stick'))}.`);
    expect(human.stdout).toContain('red.jpg → red (2).jpg (the name was taken)');
    expect(fs.readFileSync(path.join(root, 'stick', 'red (2).jpg')).equals(fs.readFileSync(path.join(photos, 'red.jpg')))).toBe(true);
    expect(fs.readFileSync(path.join(root, 'stick', 'red.jpg'), 'utf8')).toBe('already here');

    const json = await glimpse('export', String(blueId), '999999', '--to', path.join(root, 'stick', 'again'), '--json');
    expect(json.code).toBe(1);
    const answer = JSON.parse(json.stdout) as { exported: { id: number; to: string }[]; failed: { id: number; error: string }[] };
    expect(answer.exported).toEqual([expect.objectContaining({ id: blueId, to: path.join(fs.realpathSync(path.join(root, 'stick')), 'again', 'blue.jpg') })]);
    expect(answer.failed).toEqual([{ id: 999999, path: null, error: 'there is no photo with id 999999 in the library' }]);
  });

  it('refuses Glimpse’s own data folder and names a path that is not in the library', async () => {
    const refused = await glimpse('export', 'trip/red.jpg', '--to', path.join(dataDir, 'thumbnails'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Glimpse's own data folder .*copies cannot be exported there/);
    const unknown = await glimpse('export', 'nope.jpg', '--to', 'stick');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('is not a photo in the library');
    expect((await glimpse('export', '1')).stderr).toContain("required option '--to <folder>'");
  });
});
