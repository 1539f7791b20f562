// Settings as a person changes them: only what was changed is written to settings.json (so later defaults still
// apply), the change is live in the same session, and it survives a restart.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src-main/api';
import { loadConfig } from '../../src-main/config';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';

describe('settings', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-settings-'));
  const dataDir = path.join(root, 'data');
  const open = () =>
    openApi(loadConfig({ env: { GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' }, overrides: { dataDir } }));

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes only the changed keys, applies them at once and keeps them across a restart', async () => {
    const api = await open();
    try {
      const before = await api.invoke('settings.get', undefined);
      const updated = await api.invoke('settings.update', { ranking: { temperature: 2 }, indexing: { concurrency: 3 } });
      expect(updated.ok && updated.value.ranking).toEqual({ ...(before.ok ? before.value.ranking : {}), temperature: 2 });
      expect(updated.ok && updated.value.indexing.concurrency).toBe(3);
      expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8'))).toEqual({ ranking: { temperature: 2 }, indexing: { concurrency: 3 } });
    } finally {
      await api.close();
    }
    const reopened = await open();
    try {
      const settings = await reopened.invoke('settings.get', undefined);
      expect(settings.ok && [settings.value.ranking.temperature, settings.value.indexing.concurrency]).toEqual([2, 3]);
    } finally {
      await reopened.close();
    }
  });

  it('refuses an unknown setting by name instead of silently ignoring it', async () => {
    const api = await open();
    try {
      const result = await api.invoke('settings.update', { ranking: { temprature: 2 } });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toContain('temprature');
    } finally {
      await api.close();
    }
  });

  it('names the settings file and the bad key when the file was edited by hand', () => {
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ ranking: { cutof: 0.5 } }));
    expect(() => loadConfig({ overrides: { dataDir } })).toThrow(/settings\.json is invalid.*cutof/);
  });
});
