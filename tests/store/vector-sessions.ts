// Runs embedded vector store sessions in child processes (vectors-session-child.ts) and reads back what each saw, so
// a test can replay what the app and CLI do across restarts and kills without the test runner itself being aborted.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';
import { normalizeInPlace, seededRandom } from '../../bench/synthetic-vectors';

export type SessionStep =
  /** Adds these photos, or replaces their vectors (with the same ones) when they are stored already. */
  | { add: number[] }
  | { remove: number[] }
  | 'flush'
  /** Close and open again in the same process, through the exact scan (400, the default) or the HNSW graph (0). */
  | 'reopen'
  | { reopen: { exactSearchBelow: number } }
  | 'report'
  | 'close'
  | 'kill';

export interface Session {
  dimensions: number;
  exactSearchBelow?: number;
  saveAfterChanges?: number;
  steps: SessionStep[];
}

export interface SessionReport {
  photos: number;
  /** Ids a search for every photo (k = all of them) returns, sorted. */
  found: number[];
  /** Live ids whose own vector does not find them first. */
  notFoundByOwnVector: number[];
  /** Notices the store raised since the last report. */
  notices: string[];
}

const CLUSTERS = 8;

/**
 * The same vector for an id in every process, shaped like photo embeddings: a direction every photo shares, one of a
 * few cluster centres, and the photo's own part (uniformly random directions in 768-d are all nearly orthogonal,
 * which no real library looks like and no graph index navigates).
 */
export function vectorOf(id: number, dimensions: number): Float32Array {
  const common = seededRandom(7);
  const centre = seededRandom(1_000_003 * (1 + (id % CLUSTERS)));
  const own = seededRandom(id);
  const vector = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) vector[i] = 0.5 * (common() - 0.5) + 0.6 * (centre() - 0.5) + 0.5 * (own() - 0.5);
  return normalizeInPlace(vector);
}

export interface SessionOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  reports: SessionReport[];
}

const child = path.join(import.meta.dirname, 'vectors-session-child.ts');

export function runSession(dir: string, session: Session): Promise<SessionOutcome> {
  return new Promise((resolve, reject) => {
    const running = spawn(process.execPath, ['--import', 'tsx', child, dir, JSON.stringify(session)], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    let stdout = '';
    let stderr = '';
    running.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    running.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    running.on('error', reject);
    running.on('close', (code, signal) => {
      const reports = stdout
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as SessionReport);
      resolve({ code, signal, stderr, reports });
    });
  });
}

/**
 * Asserts a report shows a store holding exactly `live` and raising `notices`. Through the exact scan every photo is
 * found, each first for its own vector; the HNSW graph is approximate (pruning can leave a node no search reaches),
 * so through it the check is that a search for everything returns only live photos and nearly all of them.
 */
export function expectHealthy(report: SessionReport, live: number[], notices: unknown[], searchPath: 'exact' | 'graph'): void {
  expect(report.photos).toBe(live.length);
  expect(report.notices).toEqual(notices);
  if (searchPath === 'exact') {
    expect(report.found).toEqual(live);
    expect(report.notFoundByOwnVector).toEqual([]);
  } else {
    const liveIds = new Set(live);
    expect(report.found.filter((id) => !liveIds.has(id))).toEqual([]);
    expect(report.found.length).toBeGreaterThanOrEqual(Math.floor(0.9 * live.length));
  }
}
