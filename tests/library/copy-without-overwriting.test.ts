// The one way Glimpse writes a photo file into a folder (exports, files dropped into the library): nothing there is
// ever replaced, a taken name is numbered as file managers do, and the copy keeps the original's time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyWithoutOverwriting } from '../../src-main/library/copy-without-overwriting';

describe('copying without overwriting', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-copy-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('numbers a taken name "name (2)", "name (3)", leaves the file there as it was, and keeps the time', async () => {
    const source = path.join(dir, 'beach.jpg');
    fs.writeFileSync(source, 'the photo');
    const taken = new Date('2021-07-04T10:00:00Z');
    fs.utimesSync(source, taken, taken);
    const target = path.join(dir, 'out');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'beach.jpg'), 'someone else’s file');

    const second = await copyWithoutOverwriting(source, target);
    const third = await copyWithoutOverwriting(source, target);
    expect([path.basename(second), path.basename(third)]).toEqual(['beach (2).jpg', 'beach (3).jpg']);
    expect(fs.readFileSync(path.join(target, 'beach.jpg'), 'utf8')).toBe('someone else’s file');
    expect(fs.readFileSync(third, 'utf8')).toBe('the photo');
    expect(fs.statSync(third).mtime.toISOString()).toBe(taken.toISOString());
  });
});
