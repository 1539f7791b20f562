// Issue 7 end to end: a library with a folder of ~105 photos and one of 5, indexed with the fixture SigLIP; the large
// folder is removed and the engine closed. Before the fix every later start died on its first search (usearch
// aborted loading the index saved after the removals); now `glimpse search` in a new process finds the 5 and only them.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlimpseEvent } from '../../src-preload/api';
import { openApi } from '../../src-main/api';
import { vectorDirFor } from '../../src-main/api/vector-backend';
import { loadConfig } from '../../src-main/config';
import { COLOUR_PROTOTYPES, FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { writePhoto } from '../fixtures/photos';
import { call } from './unwrap';

const run = promisify(execFile);
const glimpseBin = path.resolve(import.meta.dirname, '..', '..', 'bin', 'glimpse.js');

describe('reopening a library after removing most of its photos', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-reopen-'));
  const big = path.join(root, 'trip');
  const small = path.join(root, 'reds');
  const dataDir = path.join(root, 'data');
  const env = { GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' };
  const reds = Array.from({ length: 5 }, (_, i) => path.join(small, `red-${i}.jpg`));

  beforeAll(async () => {
    await Promise.all(Array.from({ length: 105 }, (_, i) => writePhoto(path.join(big, `photo-${i}.jpg`), { seed: i, width: 48, height: 40 })));
    const [r, g, b] = COLOUR_PROTOTYPES.red;
    fs.mkdirSync(small);
    await Promise.all(reds.map((file, i) => sharp({ create: { width: 60 + i, height: 50, channels: 3, background: { r, g, b } } }).jpeg().toFile(file)));

    const api = await openApi(loadConfig({ env, overrides: { dataDir } }));
    try {
      expect(await call(api, 'folders.index', { path: big })).toMatchObject({ indexed: 105, failed: [] });
      expect(await call(api, 'folders.index', { path: small })).toMatchObject({ indexed: 5, failed: [] });
      const trip = (await call(api, 'folders.list', undefined)).find((folder) => folder.path === big)!;
      expect(await call(api, 'folders.remove', { id: trip.id })).toEqual({ removedPhotos: 105 });
    } finally {
      await api.close();
    }
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('searches in a new process and returns only the photos of the folder that stayed', async () => {
    const search = await searchRed();
    expect(search.paths).toEqual(reds);
    // The index saved on close was usable as it was: nothing had to be rebuilt.
    expect(search.stderr).not.toMatch(/rebuilt/);
  });

  it('rebuilds a damaged index from the stored vectors, saying so on stderr (CLI) and as a notice (window)', async () => {
    truncateIndex();
    const cli = await searchRed();
    expect(cli.paths).toEqual(reds);
    expect(cli.stderr).toMatch(/^glimpse: warn: The search index in .* was rebuilt from the 5 stored vectors in [\d.]+ s: global-\d+\.usearch is \d+ bytes but \d+ were saved \(truncated or overwritten\)\.$/m);

    truncateIndex();
    const api = await openApi(loadConfig({ env, overrides: { dataDir } }));
    const notices: GlimpseEvent[] = [];
    api.subscribe((event) => event.type === 'notice' && event.level === 'warn' && notices.push(event));
    try {
      const response = await call(api, 'search.query', { query: 'red', limit: 200, ranking: { cutoff: 0 } });
      expect(response.hits.map((hit) => hit.photo.path).sort()).toEqual(reds);
      expect(notices).toEqual([{ type: 'notice', level: 'warn', message: expect.stringMatching(/rebuilt from the 5 stored vectors .*truncated/) }]);
    } finally {
      await api.close();
    }
  });

  async function searchRed(): Promise<{ paths: string[]; stderr: string }> {
    const search = await run(process.execPath, [glimpseBin, 'search', 'red', '--json', '--cutoff', '0', '--limit', '200', '--data-dir', dataDir], {
      env: { ...process.env, ...env },
    }).catch((error: { code: number | null; signal: string | null; stderr: string }) => {
      throw new Error(`glimpse search failed (exit ${String(error.code)}, signal ${String(error.signal)}): ${error.stderr}`);
    });
    const { hits } = JSON.parse(search.stdout) as { hits: { path: string }[] };
    return { paths: hits.map((hit) => hit.path).sort(), stderr: search.stderr };
  }

  function truncateIndex(): void {
    // The SigLIP model's store (the faces have a store of their own beside it).
    const modelDir = vectorDirFor(dataDir, FIXTURE_MODEL_ID);
    const [indexFile] = fs.readdirSync(modelDir).filter((name) => name.endsWith('.usearch'));
    const file = path.join(modelDir, indexFile);
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 3));
  }
});
