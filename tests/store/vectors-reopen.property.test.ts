// Issue 7's invariant as a property: no sequence of adds, removes, replacements, saves, restarts and kills (SIGKILL)
// leaves a vector store that crashes on open, and every reopen finds exactly the photos still stored, without having
// to rebuild. Each session is its own process, the way the app and CLI run one after another on a data dir.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { expectHealthy, runSession, type SessionStep } from './vector-sessions';

// SigLIP base's width: usearch 2.25.3's overrun on loading removed slots aborted most reliably at this size.
const DIMENSIONS = 768;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-vectors-property-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

type Operation =
  | { kind: 'add'; count: number }
  /** Removes this share of the stored photos, starting at `from` (a share too) of the way through them. */
  | { kind: 'remove'; share: number; from: number }
  /** Stores new vectors for this share of the stored photos (the index replaces them). */
  | { kind: 'replace'; share: number }
  | { kind: 'flush' }
  | { kind: 'reopen' };

const share = fc.double({ min: 0, max: 1, noNaN: true });
/** Removing a folder takes many photos at once, the case that broke: large shares are drawn as often as small ones. */
const removedShare = fc.oneof(fc.double({ min: 0, max: 0.3, noNaN: true }), fc.double({ min: 0.3, max: 1, noNaN: true }), fc.constant(1));
const operation: fc.Arbitrary<Operation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('add' as const), count: fc.integer({ min: 1, max: 150 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('remove' as const), share: removedShare, from: share }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('replace' as const), share }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'flush' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'reopen' as const }), weight: 1 },
);
const session = fc.record({ operations: fc.array(operation, { minLength: 2, maxLength: 5 }), end: fc.constantFrom('close' as const, 'kill' as const) });
const history = fc.record({
  sessions: fc.array(session, { minLength: 1, maxLength: 3 }),
  // 0: every search walks the HNSW graph; 400: small libraries are scanned exactly (the default).
  exactSearchBelow: fc.constantFrom(0, 400),
  // 40: the index is also saved on its own mid-session, as a large import does.
  saveAfterChanges: fc.constantFrom(40, 2000),
});

/** The store's expected contents as the operations run, turned into the concrete steps a session process takes. */
class Library {
  live: number[] = [];
  private nextId = 1;

  stepFor(operation: Operation): SessionStep {
    switch (operation.kind) {
      case 'add': {
        const ids = Array.from({ length: operation.count }, () => this.nextId++);
        this.live.push(...ids);
        return { add: ids };
      }
      case 'remove': {
        const count = Math.round(operation.share * this.live.length);
        const start = Math.floor(operation.from * this.live.length);
        const removed = new Set(Array.from({ length: count }, (_, i) => this.live[(start + i) % this.live.length]));
        this.live = this.live.filter((id) => !removed.has(id));
        return { remove: [...removed] };
      }
      case 'replace':
        return { add: this.live.slice(0, Math.round(operation.share * this.live.length)) };
      default:
        return operation.kind;
    }
  }
}

describe('an embedded vector store across restarts and kills', () => {
  it('reopens after every session with exactly the stored photos, never crashing and never rebuilding', async () => {
    await fc.assert(
      fc.asyncProperty(history, async ({ sessions, exactSearchBelow, saveAfterChanges }) => {
        const dir = path.join(scratch, `store-${++counter}`);
        const library = new Library();
        const searchPath = exactSearchBelow === 0 ? 'graph' : 'exact';
        for (const [s, { operations, end }] of [...sessions, { operations: [], end: 'close' as const }].entries()) {
          const before = [...library.live].sort((a, b) => a - b);
          const steps: SessionStep[] = ['report', ...operations.map((op) => library.stepFor(op)), end];
          const outcome = await runSession(dir, { dimensions: DIMENSIONS, exactSearchBelow, saveAfterChanges, steps });
          expect(outcome.stderr, `session ${s}`).toBe('');
          expect({ code: outcome.code, signal: outcome.signal }, `session ${s}`).toEqual(
            end === 'kill' ? { code: null, signal: 'SIGKILL' } : { code: 0, signal: null },
          );
          expect(outcome.reports).toHaveLength(1);
          expectHealthy(outcome.reports[0], before, [], searchPath);
        }
      }),
      {
        numRuns: 6,
        // Issue 7's report as it happened: a folder's worth removed, saved, killed, then more changes and a restart.
        examples: [
          [
            {
              sessions: [
                { operations: [{ kind: 'add', count: 120 }, { kind: 'remove', share: 0.5, from: 0 }, { kind: 'flush' }], end: 'kill' },
                { operations: [{ kind: 'add', count: 40 }, { kind: 'remove', share: 1, from: 0 }], end: 'close' },
              ],
              exactSearchBelow: 0,
              saveAfterChanges: 2000,
            },
          ],
        ],
        // Every run spawns processes: report the first counterexample rather than spend minutes shrinking it.
        endOnFailure: true,
      },
    );
  });
});
