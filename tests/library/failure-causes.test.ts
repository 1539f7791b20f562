// The words a person reads for a failed photo: even when the decoder loses its own message (libvips does when a
// decode fails on one of its threads), a truncated picture is still called truncated.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describePhotoFailure } from '../../src-main/library/failure-causes';
import { photoBytes, writeTruncatedJpeg } from '../fixtures/photos';

describe('describePhotoFailure', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-causes-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('calls a JPEG that stops early truncated when the decoder only said "Unknown error"', async () => {
    const file = await writeTruncatedJpeg(path.join(dir, 'cut.jpg'));
    expect(await describePhotoFailure(new Error('Unknown error'), file)).toBe('the image is damaged or truncated (the file ends before the picture does)');
  });

  it('calls a PNG without its end chunk truncated too', async () => {
    const bytes = await photoBytes({ format: 'png', seed: 3 });
    const file = path.join(dir, 'cut.png');
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(await describePhotoFailure(new Error(''), file)).toMatch(/truncated/);
  });

  it('does not blame a complete file, and keeps messages the decoder did give', async () => {
    const file = path.join(dir, 'whole.jpg');
    fs.writeFileSync(file, await photoBytes({ seed: 4 }));
    expect(await describePhotoFailure(new Error('Unknown error'), file)).toBe('the image could not be decoded (the decoder gave no reason); the file may be damaged');
    expect(await describePhotoFailure(new Error('VipsJpeg: Premature end of input file'), file)).toBe('the image is damaged or truncated (Premature end of input file)');
  });
});
