// A library printing inside a worker thread (a decoder, a model runtime) must not reach standard output, which
// carries only a command's result: every worker's output goes to standard error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startWorker } from '../../src-main/ml/worker-host';

describe('worker threads', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-worker-output-'));
  afterEach(() => vi.restoreAllMocks());

  it('send what they print to stderr, never to stdout', async () => {
    const entry = path.join(dir, 'chatty-worker.mjs');
    fs.writeFileSync(entry, "console.log('chatter from a library in a worker');\nconsole.error('a warning from it');\n");
    const toStdout: string[] = [];
    const toStderr: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => toStdout.push(String(chunk)) > 0);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => toStderr.push(String(chunk)) > 0);

    const worker = startWorker(pathToFileURL(entry));
    await Promise.all([worker.stdout, worker.stderr].map((stream) => new Promise((resolve) => stream.once('end', resolve))));
    await new Promise((resolve) => setImmediate(resolve));

    expect(toStderr.join('')).toContain('chatter from a library in a worker');
    expect(toStderr.join('')).toContain('a warning from it');
    expect(toStdout.join('')).not.toContain('chatter');
  });

  it('hang nothing on stderr, so a library running a dozen workers at once draws no leak warning', async () => {
    const entry = path.join(dir, 'idle-worker.mjs');
    fs.writeFileSync(entry, 'setInterval(() => {}, 1000);\n');
    const before = process.stderr.listenerCount('unpipe') + process.stderr.listenerCount('error');
    const workers = Array.from({ length: 12 }, () => startWorker(pathToFileURL(entry)));
    await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('online', resolve))));
    expect(process.stderr.listenerCount('unpipe') + process.stderr.listenerCount('error')).toBe(before);
    await Promise.all(workers.map((worker) => worker.terminate()));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
