// Whatever arrives from a window, a browser or a script, the Api answers with a typed result: malformed input is
// refused with INVALID_INPUT naming the field, and never reaches a handler or throws. Checked with fast-check.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ApiOperations, OperationName } from '../../src-preload/api';
import { dispatch, type Handlers } from '../../src-main/api/dispatch';
import { inputSchemas } from '../../src-main/api/schemas';

const operations = Object.keys(inputSchemas) as OperationName[];

/** Handlers that record what reached them: validation must stop anything malformed before this point. */
function recordingHandlers(seen: Array<[string, unknown]>): Handlers {
  return Object.fromEntries(
    operations.map((name) => [
      name,
      async (input: unknown) => {
        seen.push([name, input]);
        return null;
      },
    ]),
  ) as unknown as Handlers;
}

const noLog = () => {};

describe('Api input validation', () => {
  it('never throws, and answers every input with either a handler call or INVALID_INPUT', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...operations), fc.anything(), async (operation, input) => {
        const seen: Array<[string, unknown]> = [];
        const result = await dispatch(recordingHandlers(seen), operation, input, noLog);
        if (result.ok) {
          expect(seen).toHaveLength(1);
        } else {
          expect(result.error.code).toBe('INVALID_INPUT');
          expect(result.error.message.startsWith(`${operation}:`)).toBe(true);
          expect(seen).toHaveLength(0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses ids that are not positive safe integers, whatever their type', async () => {
    const badIds = fc.oneof(
      fc.integer({ max: 0 }),
      fc.double().filter((n) => !Number.isInteger(n)),
      fc.string(),
      fc.constant(Number.MAX_SAFE_INTEGER + 2),
      fc.constant(null),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<OperationName>('photos.get', 'folders.remove', 'folders.rescan'), badIds, async (operation, id) => {
        const seen: Array<[string, unknown]> = [];
        const result = await dispatch(recordingHandlers(seen), operation, { id }, noLog);
        expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
        expect(seen).toEqual([]);
      }),
    );
  });

  it('refuses unknown fields instead of silently ignoring them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1 }).filter((k) => !['query', 'limit', 'ranking', 'folderId', 'from', 'to', '__proto__'].includes(k)),
        async (key) => {
          const result = await dispatch(recordingHandlers([]), 'search.query', { query: 'red', [key]: 1 }, noLog);
          expect(result.ok).toBe(false);
        },
      ),
    );
  });

  it('refuses paths with NUL bytes, which no file system accepts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), async (before, after) => {
        const result = await dispatch(recordingHandlers([]), 'folders.add', { path: `${before}\0${after}` }, noLog);
        expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      }),
    );
  });

  it('passes well-formed search requests through unchanged but trimmed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 200 }).filter((q) => q.trim().length > 0),
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (query, limit, cutoff) => {
          const seen: Array<[string, unknown]> = [];
          const request: ApiOperations['search.query']['input'] = { query, limit, ranking: { cutoff } };
          const result = await dispatch(recordingHandlers(seen), 'search.query', request, noLog);
          expect(result.ok).toBe(true);
          expect(seen[0][1]).toEqual({ query: query.trim(), limit, ranking: { cutoff } });
        },
      ),
    );
  });

  it('names an unknown operation instead of running anything', async () => {
    const result = await dispatch(recordingHandlers([]), 'photos.explode' as OperationName, {}, noLog);
    expect(result).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'Unknown operation "photos.explode"', subject: 'photos.explode' } });
  });
});
