// A GLIMPSE_QDRANT_URL that can never work (a path, another scheme, credentials in it) is refused when the library
// opens, in one line naming the cause — not discovered photo by photo, which marked every imported photo failed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src-main/api';
import { loadConfig } from '../../src-main/config';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { runGlimpse } from '../cli/run-glimpse';

describe('a Qdrant URL that cannot work', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-qdrant-url-'));
  const photos = path.join(root, 'photos');
  const dataDir = path.join(root, 'data');
  const env = { ...process.env, GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' };

  beforeAll(async () => {
    fs.mkdirSync(photos);
    await sharp({ create: { width: 96, height: 96, channels: 3, background: { r: 200, g: 30, b: 30 } } }).jpeg().toFile(path.join(photos, 'red.jpg'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each([
    ['http://127.0.0.1:6333/collections', "Qdrant URL http://127.0.0.1:6333/collections has a path (/collections): give only the server's address, like http://127.0.0.1:6333"],
    ['grpc://127.0.0.1:6334', "Qdrant URL grpc://127.0.0.1:6334 uses grpc: Qdrant's REST API is http or https (like http://127.0.0.1:6333)"],
    ['http://admin:secret@127.0.0.1:6333', 'Qdrant URL http://127.0.0.1:6333 carries credentials: put the API key in GLIMPSE_QDRANT_API_KEY instead'],
  ])('%s: the library does not open, and says why', async (url, reason) => {
    const config = loadConfig({ env: { ...env, GLIMPSE_QDRANT_URL: url }, overrides: { dataDir } });
    await expect(openApi(config, { indexing: false })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: reason });
  });

  it('glimpse index stops with that line and fails no photo; without the URL the same photos index', async () => {
    const refused = await runGlimpse(['index', photos], { dataDir, cwd: root, env: { ...env, GLIMPSE_QDRANT_URL: 'http://127.0.0.1:6333/collections' } });
    // 2: the CLI's exit code for input a person has to correct.
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('glimpse: Qdrant URL http://127.0.0.1:6333/collections has a path (/collections)');
    expect(refused.stdout).not.toContain('failed:');
    const indexed = await runGlimpse(['index', photos, '--json'], { dataDir, cwd: root, env });
    expect(indexed.code, indexed.stderr).toBe(0);
    expect(JSON.parse(indexed.stdout)).toMatchObject({ indexed: 1, failed: [] });
  });
});
