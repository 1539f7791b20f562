// One library, one indexer: while the app (or `glimpse watch`) indexes, a second indexer is refused with who is at
// work, while readers such as `glimpse search` still answer; a lock left by a crashed process does not block anyone.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig, type GlimpseConfig } from '../../src-main/config';
import { GlimpseError } from '../../src-main/errors';
import { COLOUR_PROTOTYPES, FIXTURE_MODEL_ID } from '../fixtures/generate-models';

describe('one indexer per library', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-one-indexer-'));
  const photos = path.join(root, 'photos');
  let config: GlimpseConfig;
  let indexer: Api;

  beforeAll(async () => {
    fs.mkdirSync(photos);
    const [r, g, b] = COLOUR_PROTOTYPES.orange;
    await sharp({ create: { width: 120, height: 90, channels: 3, background: { r, g, b } } }).jpeg().toFile(path.join(photos, 'orange.jpg'));
    config = loadConfig({
      env: { GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' },
      overrides: { dataDir: path.join(root, 'data') },
    });
    indexer = await openApi(config, { indexing: { watch: false, command: 'glimpse watch' } });
    const indexed = await indexer.invoke('folders.index', { path: photos });
    expect(indexed.ok).toBe(true);
  });

  afterAll(async () => {
    await indexer?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('refuses a second indexer on the same library, naming the one at work', async () => {
    const second = openApi(config, { indexing: { watch: false, command: 'glimpse index' } });
    await expect(second).rejects.toThrow(GlimpseError);
    await expect(second).rejects.toThrow(`glimpse watch (pid ${process.pid}`);
    await expect(second).rejects.toMatchObject({ code: 'LIBRARY_BUSY' });
  });

  it('lets a reader search while the indexer holds the library, and refuses it work that needs the queue', async () => {
    const reader = await openApi(config, { indexing: false });
    try {
      const found = await reader.invoke('search.query', { query: 'orange' });
      expect(found.ok && found.value.hits[0]?.photo.path).toBe(path.join(photos, 'orange.jpg'));
      const index = await reader.invoke('folders.index', { path: photos });
      expect(index).toMatchObject({ ok: false, error: { code: 'LIBRARY_BUSY' } });
    } finally {
      await reader.close();
    }
  });

  it('takes over a lock left behind by a process that died', async () => {
    const dataDir = path.join(root, 'crashed');
    fs.mkdirSync(dataDir);
    // A pid that is certainly free: a child that has already exited.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(path.join(dataDir, 'indexer.lock'), JSON.stringify({ pid: Number(gone.stdout), command: 'glimpse watch', startedAt: '2026-01-01T00:00:00Z' }));
    const api = await openApi({ ...config, dataDir });
    await api.close();
    expect(fs.existsSync(path.join(dataDir, 'indexer.lock'))).toBe(false);
  });
});
