// Captions as a person meets them through the Api: off at first, turned on by `captions.describe`, stored with the
// model and prompt, redone when the prompt changes, and a clear error without the model (crash: crash.test.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig } from '../../src-main/config';
import { call } from '../api/unwrap';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { expectedFixtureCaption, SMOLVLM_FIXTURE_ID } from '../fixtures/generate-smolvlm';
import { writeSolidImage } from '../ml/colour-images';

const ONE_WORD = 'Name its main colour in one word.';

describe('captions through the Api with the SmolVLM fixture', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-captions-api-'));
  const photos = path.join(root, 'photos');
  const dataDir = path.join(root, 'data');
  const env = {
    GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR,
    GLIMPSE_MODEL: FIXTURE_MODEL_ID,
    GLIMPSE_CAPTION_MODEL: SMOLVLM_FIXTURE_ID,
    GLIMPSE_OFFLINE: '1',
  };
  const open = () => openApi(loadConfig({ env, overrides: { dataDir } }), { indexing: { watch: false, command: 'captions test' } });
  let api: Api;
  const idOf = new Map<string, number>();

  beforeAll(async () => {
    fs.mkdirSync(photos);
    for (const colour of ['red', 'blue', 'black'] as const) await writeSolidImage(photos, colour, 200, 150);
    api = await open();
    expect(await call(api, 'folders.index', { path: photos })).toMatchObject({ indexed: 3, failed: [] });
    for (const photo of (await call(api, 'gallery.page', { pageSize: 10 })).items) idOf.set(path.basename(photo.path).split('-')[0], photo.id);
  });

  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const waitForCaptions = async () => {
    for (let i = 0; i < 300 && (await call(api, 'captions.status', undefined)).progress.pending > 0; i += 1) await new Promise((r) => setTimeout(r, 100));
  };
  const captionOf = async (colour: string) => (await call(api, 'captions.get', { id: idOf.get(colour) })).caption;

  it('is off until asked: photos are indexed without captions', async () => {
    const status = await call(api, 'captions.status', undefined);
    expect(status).toMatchObject({ enabled: false, state: 'present', model: SMOLVLM_FIXTURE_ID });
    expect(await captionOf('red')).toBeNull();
  });

  it('describes the missing photos when asked, storing each caption with its model and prompt (an empty one as empty)', async () => {
    const result = await call(api, 'captions.describe', { missing: true, wait: true });
    expect(result.queued).toBe(3);
    expect(result.status.enabled).toBe(true);
    expect(result.status.progress).toMatchObject({ total: 3, done: 3, pending: 0, failed: 0 });
    const byColour = Object.fromEntries(result.photos.map((p) => [path.basename(p.path).split('-')[0], p]));
    expect(byColour.red).toMatchObject({ caption: expectedFixtureCaption('red', ''), model: SMOLVLM_FIXTURE_ID, status: 'done' });
    expect(byColour.red.prompt).toBe((await call(api, 'settings.get', undefined)).captions.prompt);
    expect(byColour.blue.caption).toBe('a blue photo');
    expect(byColour.black).toMatchObject({ caption: '', status: 'done', error: null });
    // The caption is the photo's caption everywhere, e.g. in the viewer's details.
    expect((await call(api, 'photos.get', { id: idOf.get('red') })).caption).toBe('a red photo');
  });

  it('re-captions every photo in the background when the prompt changes in the settings', async () => {
    await call(api, 'settings.update', { captions: { prompt: ONE_WORD } });
    await waitForCaptions();
    expect(await captionOf('red')).toBe('red');
    expect(await captionOf('blue')).toBe('blue');
    expect((await call(api, 'captions.get', { id: idOf.get('blue') })).prompt).toBe(ONE_WORD);
  });

  it('describes the photos given by id with a new prompt, and refuses ids that are not photos', async () => {
    const result = await call(api, 'captions.describe', { ids: [idOf.get('red')], prompt: 'Describe this photo.', wait: true });
    expect(result.photos.map((p) => p.caption)).toEqual(['a red photo']);
    const unknown = await api.invoke('captions.describe', { ids: [99_999] });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', subject: '99999' } });
    const bad = await api.invoke('captions.describe', { all: true, prompt: '' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('takes waiting photos out of the queue while captions are off, and describes them when turned on again', async () => {
    await call(api, 'jobs.pause', undefined);
    await call(api, 'settings.update', { captions: { prompt: ONE_WORD } });
    expect((await call(api, 'captions.status', undefined)).progress.pending).toBe(3);
    await call(api, 'settings.update', { captions: { enabled: false } });
    expect((await call(api, 'jobs.status', undefined)).background).toMatchObject({ pending: 0, failed: 0 });
    await call(api, 'settings.update', { captions: { enabled: true } });
    const paused = await api.invoke('captions.describe', { missing: true, wait: true });
    expect(paused).toMatchObject({ ok: false, error: { code: 'LIBRARY_BUSY' } });
    if (!paused.ok) expect(paused.error.message).toContain('resume indexing');
    await call(api, 'jobs.resume', undefined);
    await waitForCaptions();
    expect(await captionOf('blue')).toBe('blue');
  });

  it('names the missing captioner and the remedy when it is not installed', async () => {
    await call(api, 'settings.update', { captions: { model: 'HuggingFaceTB/SmolVLM-500M-Instruct' } });
    const status = await call(api, 'captions.status', undefined);
    expect(status.state).toBe('missing');
    expect(status.remedy).toContain('glimpse models download HuggingFaceTB/SmolVLM-500M-Instruct');
    const failed = await api.invoke('captions.describe', { missing: true });
    expect(failed).toMatchObject({ ok: false, error: { code: 'OFFLINE', subject: 'HuggingFaceTB/SmolVLM-500M-Instruct' } });
    if (!failed.ok) expect(failed.error.message).toMatch(/SmolVLM-500M-Instruct is not installed in .*offline.*glimpse models download/);
    // Photos keep their captions and stay browsable meanwhile.
    expect(await captionOf('blue')).toBe('blue');
  });
});
