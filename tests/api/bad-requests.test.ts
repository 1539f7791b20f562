// Requests a person can get wrong through the Api — a malformed model id in Settings, a file that is not a photo
// for "find similar" — each answered with an error naming the cause, and the library carries on as before.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig, SETTINGS_FILE } from '../../src-main/config';
import { COLOUR_PROTOTYPES, FIXTURE_MODEL_ID, type ColourName } from '../fixtures/generate-models';
import { call } from './unwrap';

async function solid(file: string, colour: ColourName) {
  const [r, g, b] = COLOUR_PROTOTYPES[colour];
  await sharp({ create: { width: 256, height: 256, channels: 3, background: { r, g, b } } }).jpeg().toFile(file);
}

describe('bad requests through the Api', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bad-requests-'));
  const photos = path.join(root, 'photos');
  const dataDir = path.join(root, 'data');
  const logged: string[] = [];
  let api: Api;

  beforeAll(async () => {
    fs.mkdirSync(photos);
    await Promise.all([solid(path.join(photos, 'red.jpg'), 'red'), solid(path.join(photos, 'blue.jpg'), 'blue')]);
    const config = loadConfig({
      env: { GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' },
      overrides: { dataDir },
    });
    api = await openApi(config, { log: (line) => logged.push(line) });
    expect(await call(api, 'folders.index', { path: photos })).toEqual({ indexed: 2, duplicates: 0, failed: [] });
  });

  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it.each(['../../outside', 'Xenova/../../etc', 'no-owner'])(
    'refuses the model id "%s" in settings without saving it, and the library keeps indexing and searching',
    async (model) => {
      const result = await api.invoke('settings.update', { model });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('INVALID_INPUT');
      expect(result.error.message).toContain('owner/name');
      const saved = fs.existsSync(path.join(dataDir, SETTINGS_FILE)) ? fs.readFileSync(path.join(dataDir, SETTINGS_FILE), 'utf8') : '';
      expect(saved).not.toContain(model);
      expect((await call(api, 'settings.get', undefined)).model).toBe(FIXTURE_MODEL_ID);
      const hits = (await call(api, 'search.query', { query: 'red' })).hits;
      expect(path.basename(hits[0].photo.path)).toBe('red.jpg');
      expect((await call(api, 'folders.rescan', { id: 1 })).total).toBe(2);
    },
  );

  it('refuses to download a model id that would leave the models folder', async () => {
    const result = await api.invoke('models.download', { id: '../../../tmp/x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('says an outside file for "find similar" is not an image, without calling it an internal failure', async () => {
    const notes = path.join(root, 'notes.jpg');
    fs.writeFileSync(notes, 'a text file with a photo extension');
    const result = await api.invoke('search.similar', { path: notes });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED_FORMAT', subject: notes } });
    if (!result.ok) expect(result.error.message).toContain(notes);
    expect(logged.filter((line) => line.includes('failed unexpectedly'))).toEqual([]);
  });

  it('says an outside file for "find similar" does not exist', async () => {
    const missing = path.join(root, 'gone.jpg');
    const result = await api.invoke('search.similar', { path: missing });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', subject: missing } });
    if (!result.ok) expect(result.error.message).toContain(missing);
  });
});

describe('a settings file edited by hand', () => {
  it('with a model id that points outside the models folder is refused at start, naming the file and the key', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-settings-'));
    try {
      fs.writeFileSync(path.join(dataDir, SETTINGS_FILE), JSON.stringify({ model: '../../elsewhere' }));
      expect(() => loadConfig({ env: {}, overrides: { dataDir } })).toThrow(
        new RegExp(`Settings file ${path.join(dataDir, SETTINGS_FILE)} is invalid: .*owner/name.*model`),
      );
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('switching to a model Glimpse cannot get', () => {
  it('keeps every photo catalogued and ready, says why search waits, and indexes again once switched back', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-unknown-model-'));
    const photos = path.join(root, 'photos');
    fs.mkdirSync(photos);
    await Promise.all([solid(path.join(photos, 'red.jpg'), 'red'), solid(path.join(photos, 'blue.jpg'), 'blue')]);
    // Online, but the model is in no manifest and not on disk: nothing can fetch it.
    const config = loadConfig({
      env: { GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '0' },
      overrides: { dataDir: path.join(root, 'data') },
    });
    const api = await openApi(config, { log: () => undefined });
    const notices: string[] = [];
    api.subscribe((event) => {
      if (event.type === 'notice' && event.level === 'warn') notices.push(event.message);
    });
    try {
      await call(api, 'folders.index', { path: photos });
      await call(api, 'settings.update', { model: 'someone/unknown-model' });
      await call(api, 'folders.rescan', { id: 1 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const status = await call(api, 'jobs.status', undefined);
      expect(status.overall).toMatchObject({ total: 2, done: 2, failed: 0 });
      expect(notices.some((message) => message.includes('someone/unknown-model'))).toBe(true);
      const search = await api.invoke('search.query', { query: 'red' });
      expect(search).toMatchObject({ ok: false, error: { code: 'MODEL_MISSING' } });
      await call(api, 'settings.update', { model: FIXTURE_MODEL_ID });
      await call(api, 'folders.index', { path: photos });
      expect(path.basename((await call(api, 'search.query', { query: 'red' })).hits[0].photo.path)).toBe('red.jpg');
    } finally {
      await api.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
