// Originals leave the library (to the window, the browser, the OS viewer) only for photos that indexed as pictures
// and only while the file is the one indexed: a link to /etc/passwd named .jpg is never served, a link to a photo
// on another disk is.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig } from '../../src-main/config';
import { writePhoto } from '../fixtures/photos';
import { call } from './unwrap';

describe('original files', () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-originals-')));
  const photos = path.join(root, 'photos');
  const otherDisk = path.join(root, 'other-disk');
  let api: Api;
  const idOf = new Map<string, number>();

  beforeAll(async () => {
    await writePhoto(path.join(photos, 'real.jpg'), { seed: 1 });
    await writePhoto(path.join(otherDisk, 'far away.png'), { seed: 2, format: 'png' });
    fs.writeFileSync(path.join(otherDisk, 'notes.txt'), 'not a photo');
    fs.symlinkSync('/etc/passwd', path.join(photos, 'passwd.jpg'));
    fs.symlinkSync(path.join(otherDisk, 'far away.png'), path.join(photos, 'linked.png'));
    fs.symlinkSync(path.join(otherDisk, 'far away.png'), path.join(photos, 'repointed.png'));
    fs.writeFileSync(path.join(photos, 'text.jpg'), 'shopping list');
    api = await openApi(loadConfig({ env: { GLIMPSE_OFFLINE: '1' }, overrides: { dataDir: path.join(root, 'data'), embeddings: false } }));
    const report = await call(api, 'folders.index', { path: photos });
    // linked.png is the photo, repointed.png its byte-identical copy (the same file through another link).
    expect(report.indexed).toBe(2);
    expect(report.duplicates).toBe(1);
    // Failed photos are not in the gallery; ids are small and sequential, so look each one up.
    for (let id = 1; id <= 8; id++) {
      const result = await api.invoke('photos.get', { id });
      if (result.ok) idOf.set(path.basename(result.value.path), id);
    }
  });

  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('serves a ready photo and a link to a photo outside the library as their image types', async () => {
    expect(await api.imageFile(idOf.get('real.jpg')!, 'original')).toEqual({ path: path.join(photos, 'real.jpg'), contentType: 'image/jpeg' });
    expect(await api.imageFile(idOf.get('linked.png')!, 'original')).toEqual({ path: path.join(photos, 'linked.png'), contentType: 'image/png' });
  });

  it('never serves a file that did not decode as an image, whatever its name', async () => {
    for (const name of ['passwd.jpg', 'text.jpg']) {
      const id = idOf.get(name);
      expect(id, name).toBeDefined();
      expect(await api.imageFile(id!, 'original'), name).toBeNull();
      expect(await api.imageFile(id!, 'view'), name).toBeNull();
    }
  });

  it('stops serving a link re-pointed at a non-image after indexing', async () => {
    const link = path.join(photos, 'linked.png');
    fs.rmSync(link);
    fs.symlinkSync('/etc/passwd', link);
    expect(await api.imageFile(idOf.get('linked.png')!, 'original')).toBeNull();
  });
});
