// A photo is described once, even when the process dies at the worst moment: just after the caption is written and
// before its stage is marked done (pinned there by stage-kill-point.ts). On both engines no caption may outlive that
// write, and a restart redoes only the photo whose caption was lost.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { CAPTION_STAGE } from '../../src-main/api/caption-stage';
import { loadConfig } from '../../src-main/config';
import { call } from '../api/unwrap';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { expectedFixtureCaption, SMOLVLM_FIXTURE_ID } from '../fixtures/generate-smolvlm';
import { writeSolidImage } from '../ml/colour-images';
import { postgresKillPoint, sqliteKillPoint, type StageKillPoint } from '../library/stage-kill-point';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';

const COLOURS = ['red', 'blue', 'green', 'yellow'] as const;

const engines: Array<{ name: string; databaseUrl(): Promise<string | null>; killPoint(dataDir: string): Promise<StageKillPoint>; cleanup(): Promise<void> }> = [
  { name: 'SQLite', databaseUrl: async () => null, killPoint: async (dataDir) => sqliteKillPoint(dataDir), cleanup: async () => {} },
  (() => {
    let database: TestDatabase | null = null;
    return {
      name: 'PostgreSQL',
      databaseUrl: async () => (database = await createTestDatabase('glimpse_captions_once')).url,
      killPoint: () => postgresKillPoint((database as TestDatabase).url),
      cleanup: async () => database?.drop(),
    };
  })(),
];

describe.each(engines)('describing exactly once on $name', (engine) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-captions-once-'));
  const photos = path.join(root, 'photos');
  const dataDir = path.join(root, 'data');
  let outside: StageKillPoint | null = null;
  let api: Api | null = null;

  afterAll(async () => {
    await api?.close();
    await outside?.close();
    await engine.cleanup();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('keeps no caption from a run that died before its stage was marked done, and redoes only that photo', { timeout: 240_000 }, async () => {
    fs.mkdirSync(photos);
    const colourOf = new Map<string, string>();
    for (const colour of COLOURS) colourOf.set(await writeSolidImage(photos, colour, 120, 90), colour);
    const databaseUrl = await engine.databaseUrl();
    const open = () =>
      openApi(
        loadConfig({
          env: { GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_CAPTION_MODEL: SMOLVLM_FIXTURE_ID, GLIMPSE_OFFLINE: '1' },
          overrides: { dataDir, embeddings: false, databaseUrl },
        }),
        { indexing: { watch: false, command: 'exactly-once test' } },
      );
    api = await open();
    outside = await engine.killPoint(dataDir);
    expect(await call(api, 'folders.index', { path: photos })).toMatchObject({ indexed: COLOURS.length, failed: [] });
    const pathOf = new Map((await call(api, 'gallery.page', { pageSize: 10 })).items.map((p) => [p.id, p.path]));
    const ids = [...pathOf.keys()].sort((a, b) => a - b);
    const dying = ids[1];

    // Describe may find some stages already running (they start as captions turn on) and wait only for the rest.
    const settled = async (live: Api) => {
      for (let i = 0; i < 300 && (await call(live, 'captions.status', undefined)).progress.pending > 0; i += 1) await new Promise((r) => setTimeout(r, 100));
      return new Map(await Promise.all(ids.map(async (id) => [id, await call(live, 'captions.get', { id })] as const)));
    };

    await outside.dieWhenMarkingDone(CAPTION_STAGE, pathOf.get(dying) as string);
    await call(api, 'captions.describe', { all: true, wait: true });
    const before = await settled(api);
    const died = before.get(dying);
    expect(died?.status).toBe('failed');
    // What the model wrote for it went down with the write that failed: no caption without its stage done.
    expect(died).toMatchObject({ caption: null, createdAt: null });
    const survivors = [...before.values()].filter((p) => p.id !== dying);
    expect(survivors.map((p) => p.status)).toEqual(['done', 'done', 'done']);
    for (const photo of survivors) expect(photo.caption).toBe(expectedFixtureCaption(colourOf.get(photo.path) as string, ''));

    await api.close();
    api = null;
    await outside.leaveAsKilled(CAPTION_STAGE, pathOf.get(dying) as string);
    api = await open();
    await call(api, 'captions.describe', { missing: true, wait: true });
    const after = await settled(api);
    // The photos described before the "kill" were not described again (the same caption record); the lost one was.
    for (const photo of survivors) expect(after.get(photo.id)?.createdAt).toBe(photo.createdAt);
    expect(after.get(dying)).toMatchObject({ status: 'done', caption: expectedFixtureCaption(colourOf.get(died?.path as string) as string, '') });
  });
});
