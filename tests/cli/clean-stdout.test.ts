// What a script reading `glimpse … --json` relies on: standard output is the command's JSON and nothing else, even
// when a decoder prints while failing; and folders that need a yes are refused on the command line without --yes.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { writePhoto } from '../fixtures/photos';
import { writeMalformedHeics } from '../library/malformed-heic';

const run = promisify(execFile);
const glimpseBin = path.resolve(import.meta.dirname, '..', '..', 'bin', 'glimpse.js');

describe('glimpse standard output', () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-cli-stdout-')));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  async function glimpse(dataDir: string, args: string[], env: Record<string, string> = {}) {
    const options = { env: { ...process.env, GLIMPSE_OFFLINE: '1', GLIMPSE_DATA_DIR: dataDir, ...env }, cwd: root };
    try {
      const { stdout, stderr } = await run(process.execPath, [glimpseBin, ...args], options);
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('is pure JSON for `index --json` on malformed HEIC files, with the decoder’s messages on stderr', async () => {
    const photos = path.join(root, 'heic');
    const broken = writeMalformedHeics(photos);
    await writePhoto(path.join(photos, 'fine.jpg'), { seed: 1 });

    const { code, stdout, stderr } = await glimpse(path.join(root, 'data-heic'), ['index', photos, '--json']);

    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { indexed: number; failed: { path: string; error: string }[] };
    expect(report.indexed).toBe(1);
    expect(report.failed.map((f) => f.path).sort()).toEqual(broken.sort());
    expect(stderr).toContain('Decoding image failed');
  });

  it('refuses a disk root without --yes, saying how to confirm, and adds a home directory’s parent with --yes', async () => {
    const dataDir = path.join(root, 'data-broad');
    const refused = await glimpse(dataDir, ['add', '/', '--json']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim()).toMatch(/^glimpse: \/ is the root of a whole disk: .*--yes/);

    const homes = path.join(root, 'homes');
    await writePhoto(path.join(homes, 'ann', 'a.jpg'), { seed: 2 });
    const home = { HOME: path.join(homes, 'ann') };
    expect((await glimpse(dataDir, ['add', homes, '--json'], home)).code).toBe(1);
    const added = await glimpse(dataDir, ['add', homes, '--json', '--yes'], home);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ path: homes });
  });
});
