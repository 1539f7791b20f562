// Starts tests/library/index-child.ts in its own process (optionally without root's power to read any file, so file
// permissions really apply when the tests run as root) and collects its JSON report.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportResult } from '../../src-preload/api';
import { writePhoto } from '../fixtures/photos';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const CHILD = path.join(import.meta.dirname, 'index-child.ts');
/** util-linux's setpriv drops the capabilities that let root bypass file modes (CAP_DAC_OVERRIDE/READ_SEARCH). */
const WITHOUT_ROOT_READ_BYPASS = ['--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search'];

export function spawnIndexChild(dataDir: string, folder: string, options: { obeyFileModes?: boolean } = {}): ChildProcess {
  const node = [process.execPath, '--import', 'tsx', CHILD, dataDir, folder];
  const [command, ...args] = options.obeyFileModes ? ['setpriv', ...WITHOUT_ROOT_READ_BYPASS, ...node] : node;
  return spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the child's exit code, what it printed, and its stderr (for failure messages). */
export function waitForChild(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Indexes a fresh folder of `files` photos plus unreadable (mode 000) ones in a child process. */
export async function runIndexChild(spec: { files: number; unreadable: string[] }): Promise<ImportResult & { folder: string }> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-child-')));
  try {
    const folder = path.join(root, 'photos');
    for (let i = 0; i < spec.files; i++) await writePhoto(path.join(folder, `photo-${i}.jpg`), { seed: 100 + i });
    for (const [i, name] of spec.unreadable.entries()) {
      const file = await writePhoto(path.join(folder, name), { seed: 500 + i });
      fs.chmodSync(file, 0o000);
    }
    const child = spawnIndexChild(path.join(root, 'data'), folder, { obeyFileModes: process.getuid?.() === 0 });
    const result = await waitForChild(child);
    if (result.code !== 0) throw new Error(`index child exited with ${result.code}: ${result.stderr}`);
    return { ...(JSON.parse(result.stdout.trim().split('\n').pop()!) as ImportResult), folder };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
