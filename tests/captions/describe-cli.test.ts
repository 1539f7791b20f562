// `glimpse describe` as a script or a person runs it: a real process, the SmolVLM fixture, JSON a machine can
// read, and a one-line error naming the missing captioner and what to do.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { SMOLVLM_FIXTURE_ID } from '../fixtures/generate-smolvlm';
import { writeSolidImage } from '../ml/colour-images';
import { runGlimpse } from '../cli/run-glimpse';


describe('glimpse describe', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-describe-cli-'));
  const photos = path.join(root, 'photos');
  const dataDir = path.join(root, 'data');
  const env = {
    ...process.env,
    GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR,
    GLIMPSE_MODEL: FIXTURE_MODEL_ID,
    GLIMPSE_CAPTION_MODEL: SMOLVLM_FIXTURE_ID,
    GLIMPSE_OFFLINE: '1',
  };

  const glimpse = (args: string[], extraEnv: Record<string, string> = {}) => runGlimpse(args, { dataDir, cwd: root, env: { ...env, ...extraEnv } });

  beforeAll(async () => {
    fs.mkdirSync(photos);
    await writeSolidImage(photos, 'red');
    await writeSolidImage(photos, 'blue');
    expect((await glimpse(['index', photos, '--json'])).code).toBe(0);
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('captions the photos that have none and prints them as JSON', async () => {
    const { code, stdout } = await glimpse(['describe', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    const captions = Object.fromEntries(result.photos.map((p: { path: string; caption: string }) => [path.basename(p.path), p.caption]));
    expect(captions).toEqual({ 'red-160x120.png': 'a red photo', 'blue-160x120.png': 'a blue photo' });
    expect(result.photos.every((p: { model: string }) => p.model === SMOLVLM_FIXTURE_ID)).toBe(true);
  });

  it('describes one photo again with a new prompt, printed for a person', async () => {
    const listed = JSON.parse((await glimpse(['gallery', '--json'])).stdout) as { items: { id: number; path: string }[] };
    const red = listed.items.find((p) => p.path.endsWith('red-160x120.png'));
    const { code, stdout } = await glimpse(['describe', String(red?.id), '--prompt', 'Say its colour in one word.']);
    expect(code).toBe(0);
    expect(stdout).toContain('Described 1 of 1 photo(s)');
    expect(stdout).toMatch(new RegExp(`${red?.id}\\s+red\\s+${red?.path}`));
  });

  it('refuses two scopes at once, and names the missing captioner and the remedy', async () => {
    const both = await glimpse(['describe', '--all', '--missing']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('choose one of --all, --missing or photo ids');
    const missing = await glimpse(['describe', '--all'], { GLIMPSE_CAPTION_MODEL: 'HuggingFaceTB/SmolVLM-256M-Instruct' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^glimpse: The captioner HuggingFaceTB\/SmolVLM-256M-Instruct is not installed in .*glimpse models download HuggingFaceTB\/SmolVLM-256M-Instruct/);
  });
});
