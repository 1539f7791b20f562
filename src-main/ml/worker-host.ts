// The one way this codebase starts a worker thread. The same entry must run as TypeScript source under tsx (dev,
// CLI, vitest) and as a bundled .js file beside the main bundle in the Electron build; this file hides the difference.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const BUNDLED_EXTENSIONS = ['.js', '.mjs', '.cjs'];

/**
 * Finds worker entry `name` next to the calling module: the bundled `<name>.js` when the build emitted one
 * (electron-vite: add `src-main/ml/<name>.ts` as an extra main-process input), else the `<name>.ts` source.
 * One folder up is also tried, for when the bundler moved the caller into a shared chunk folder.
 */
export function resolveWorkerEntry(callerUrl: string, name: string): URL {
  for (const folder of ['./', '../']) {
    for (const extension of [...BUNDLED_EXTENSIONS, '.ts']) {
      const candidate = new URL(`${folder}${name}${extension}`, callerUrl);
      if (existsSync(fileURLToPath(candidate))) return candidate;
    }
  }
  throw new Error(`worker entry ${name} was not found next to ${fileURLToPath(callerUrl)} and one folder up (looked for .js, .mjs, .cjs, .ts)`);
}

/**
 * A TypeScript entry is loaded through tsx's require hook inside the new thread: Node 20 does not apply a parent's
 * `--import tsx` loader to worker threads, while the require hook is installed by the worker itself and so works on
 * every Node version (ESM-only dependencies still load, through Node's require(esm)).
 */
function typeScriptBootstrap(entry: URL): string {
  const tsxRequireHook = createRequire(import.meta.url).resolve('tsx/cjs/api');
  return `require(${JSON.stringify(tsxRequireHook)}).register();\nrequire(${JSON.stringify(fileURLToPath(entry))});`;
}

/** Starts a worker thread on `entry` (see resolveWorkerEntry); `options` are node:worker_threads' own. */
export function startWorker(entry: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const worker = entry.pathname.endsWith('.ts')
    ? new Worker(typeScriptBootstrap(entry), { ...options, eval: true, stdout: true, stderr: true })
    : new Worker(entry, { ...options, stdout: true, stderr: true });
  // What a library prints inside a worker goes to stderr: stdout carries only a command's result (console-to-stderr.ts).
  // Written chunk by chunk rather than piped (Node's default for a worker's stderr): a pipe hangs listeners on
  // process.stderr per live worker, and a library with every stage on runs more than ten at once (a leak warning).
  const toStderr = (chunk: Buffer) => process.stderr.write(chunk);
  worker.stdout.on('data', toStderr);
  worker.stderr.on('data', toStderr);
  return worker;
}
