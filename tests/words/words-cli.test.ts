// `glimpse spell`, `glimpse suggest`, `glimpse history` and the words around `glimpse search`, as a script runs
// them: real processes on a small indexed library with the fixture model, JSON a machine can read.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLOUR_PROTOTYPES, FIXTURE_MODEL_ID, type ColourName } from '../fixtures/generate-models';
import { runGlimpse } from '../cli/run-glimpse';


describe('glimpse words commands', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-words-cli-'));
  const photos = path.join(root, 'Kraków 2019');
  const dataDir = path.join(root, 'data');
  const env = { ...process.env, GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' };

  const glimpse = (...args: string[]) => runGlimpse(args, { dataDir, cwd: root, env });

  beforeAll(async () => {
    fs.mkdirSync(photos, { recursive: true });
    const files: Array<[string, ColourName]> = [['red tram.jpg', 'red'], ['purple heather.jpg', 'purple'], ['blue river.jpg', 'blue']];
    for (const [i, [name, colour]] of files.entries()) {
      const [r, g, b] = COLOUR_PROTOTYPES[colour];
      await sharp({ create: { width: 200 + i, height: 150, channels: 3, background: { r, g, b } } }).jpeg().toFile(path.join(photos, name));
    }
    expect((await glimpse('index', photos, '--json')).code).toBe(0);
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('spell --json prints { corrected, suggestions } and leaves a library name alone', async () => {
    const { code, stdout } = await glimpse('spell', 'sunst', '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.corrected).toBe('sunset');
    expect(result.suggestions[0]).toBe('sunset');
    expect(JSON.parse((await glimpse('spell', 'Kraków', '--json')).stdout).corrected).toBe('Kraków');
  });

  it('suggest --json prints { suggestions } completed from the library', async () => {
    const { code, stdout } = await glimpse('suggest', 'kra', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).suggestions[0]).toMatchObject({ text: 'Kraków', kind: 'folder' });
  });

  it('search --json carries the correction it applied, the expansions it used, and --no-expand and --exact switch them off', async () => {
    const recovered = JSON.parse((await glimpse('search', 'purpel', '--json')).stdout);
    expect(recovered.spelling).toMatchObject({ original: 'purpel', corrected: 'purple', applied: true });
    expect(recovered.hits[0].path).toBe(path.join(photos, 'purple heather.jpg'));
    expect(JSON.parse((await glimpse('search', 'purpel', '--exact', '--json')).stdout)).toMatchObject({ spelling: null, hits: [] });

    const expanded = JSON.parse((await glimpse('search', 'crimson', '--json')).stdout);
    expect(expanded.expansions.map((e: { term: string }) => e.term)).toContain('red');
    expect(expanded.hits[0].path).toBe(path.join(photos, 'red tram.jpg'));
    expect(JSON.parse((await glimpse('search', 'crimson', '--no-expand', '--json')).stdout)).toMatchObject({ expansions: [], hits: [] });

    const human = await glimpse('search', 'purpel');
    expect(human.stdout).toContain('Showing results for "purple" — search instead for "purpel"');
    // Five commands, four of them loading the spelling dictionary (3.4 s alone, ~15 s each at load average 20).
  }, 180_000);

  it('history lists the searches run, pins one, and clears them', async () => {
    const listed = JSON.parse((await glimpse('history', '--json')).stdout).map((e: { query: string }) => e.query);
    expect(listed).toEqual(expect.arrayContaining(['purple', 'crimson']));
    const pinned = JSON.parse((await glimpse('history', '--pin', 'crimson', '--json')).stdout);
    expect(pinned[0]).toMatchObject({ query: 'crimson', pinned: true });
    expect(JSON.parse((await glimpse('history', '--clear', '--json')).stdout).map((e: { query: string }) => e.query)).toEqual(['crimson']);
    expect(JSON.parse((await glimpse('history', '--clear-all', '--json')).stdout)).toEqual([]);
  });
});
