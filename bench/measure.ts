// What every benchmark module measures with: latency percentiles over repeated calls, rounding for the JSON,
// and running a measured step in a child process so its peak memory is its own.
import { spawn } from 'node:child_process';

export interface Percentiles {
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
}

export function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}

/** Runs `body` `count` times in a row and summarises how long each call took. */
export async function timeEach(count: number, body: (i: number) => Promise<void>): Promise<Percentiles> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await body(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => round(times[Math.min(times.length - 1, Math.floor(p * times.length))], 3);
  return { p50Ms: at(0.5), p95Ms: at(0.95), meanMs: round(times.reduce((sum, t) => sum + t, 0) / times.length, 3) };
}

/** Runs a TypeScript script in a fresh Node process and parses the JSON object it prints last on stdout. */
export function runJsonChild<T>(script: string, args: string[], what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`${what} child exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as T);
    });
  });
}
