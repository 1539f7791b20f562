// The `glimpse` command as a script or a person runs it: a real process, real folders, the fixture model,
// JSON output a machine can read and one-line errors a person can act on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLOUR_PROTOTYPES, FIXTURE_MODEL_ID, type ColourName } from '../fixtures/generate-models';
import { runGlimpse } from './run-glimpse';


describe('glimpse CLI', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-cli-'));
  const photos = path.join(root, 'my photos');
  const dataDir = path.join(root, 'data');
  const env = {
    ...process.env,
    GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR,
    GLIMPSE_MODEL: FIXTURE_MODEL_ID,
    GLIMPSE_OFFLINE: '1',
  };

  const glimpse = (...args: string[]) => runGlimpse(args, { dataDir, cwd: root, env });

  beforeAll(async () => {
    fs.mkdirSync(photos, { recursive: true });
    const colours: ColourName[] = ['yellow', 'blue', 'red', 'green'];
    for (const [i, colour] of colours.entries()) {
      const [r, g, b] = COLOUR_PROTOTYPES[colour];
      await sharp({ create: { width: 200 + i, height: 150, channels: 3, background: { r, g, b } } })
        .jpeg()
        .toFile(path.join(photos, `${colour}.jpg`));
    }
    fs.writeFileSync(path.join(photos, 'notes.jpg'), 'this is a text file with a photo extension');
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('indexes a folder and reports indexed, duplicates and each failure with its cause as JSON', async () => {
    const { code, stdout } = await glimpse('index', photos, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.indexed).toBe(4);
    expect(report.duplicates).toBe(0);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0].path).toBe(path.join(photos, 'notes.jpg'));
    expect(report.failed[0].error).toMatch(/not an image|unsupported|not a (JPEG|valid)/i);
  });

  it('searches by description and prints { hits: [{ id, path, score, global, local }] } with yellow first', async () => {
    const { code, stdout } = await glimpse('search', 'yellow', '--json');
    expect(code).toBe(0);
    const { hits } = JSON.parse(stdout);
    expect(hits[0]).toMatchObject({ path: path.join(photos, 'yellow.jpg') });
    expect(Object.keys(hits[0])).toEqual(expect.arrayContaining(['id', 'path', 'score', 'global', 'local']));
  });

  it('finds photos similar to an image file given by path', async () => {
    const { stdout } = await glimpse('similar', path.join(photos, 'blue.jpg'), '--json');
    const hits = JSON.parse(stdout);
    expect(hits.map((h: { path: string }) => h.path)).not.toContain(path.join(photos, 'blue.jpg'));
  });

  it('lists the gallery page as JSON, newest first', async () => {
    const { stdout } = await glimpse('gallery', '--json', '--page-size', '2');
    const page = JSON.parse(stdout);
    expect(page.total).toBe(4);
    expect(page.items).toHaveLength(2);
  });

  it('refuses a folder that does not exist with one line naming it, and exit code 1', async () => {
    const missing = path.join(root, 'nowhere');
    const { code, stderr } = await glimpse('add', missing);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(missing);
  });

  it('reports the active model and device in doctor', async () => {
    const { stdout } = await glimpse('doctor', '--json');
    const report = JSON.parse(stdout);
    expect(report.device).toBe('cpu');
    expect(report.models.find((m: { active: boolean }) => m.active)).toMatchObject({ id: FIXTURE_MODEL_ID, present: true });
    // Which backends are in use, their versions and sizes.
    const checks = report.checks as Array<{ name: string; ok: boolean; detail: string }>;
    expect(checks.find((c) => c.name === 'catalog')?.detail).toMatch(/^SQLite 3\.\d+\.\d+, \d+\.\d MB at .*catalog\.sqlite: 1 folder\(s\), \d+ photo\(s\)$/);
    expect(report.catalog).toMatch(/^SQLite 3\.\d+\.\d+, \d+\.\d MB at /);
    expect(checks.find((c) => c.name === 'vectors')).toMatchObject({ ok: true, detail: expect.stringMatching(/^embedded \(usearch HNSW \+ SQLite\) in /) });
  });
});
