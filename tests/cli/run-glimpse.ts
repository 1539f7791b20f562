// The `glimpse` command as a person runs it — a real process on bin/glimpse.js against one data dir — with its exit code
// and both output streams, shared by every CLI test.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const glimpseBin = path.resolve(import.meta.dirname, '..', '..', 'bin', 'glimpse.js');

export interface GlimpseRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runGlimpse(args: string[], options: { dataDir: string; cwd: string; env: NodeJS.ProcessEnv }): Promise<GlimpseRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [glimpseBin, ...args, '--data-dir', options.dataDir], { env: options.env, cwd: options.cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
