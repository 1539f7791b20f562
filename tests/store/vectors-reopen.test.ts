// Issue 7: a library whose search index was saved after many removals could not be opened again (usearch aborted the
// process inside Index.load, so no fallback ran). Each store here is written and reopened in fresh processes, as the
// app and CLI would; a damaged index file must be rebuilt from the stored vectors, with a notice, never loaded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectHealthy, runSession } from './vector-sessions';

const DIMENSIONS = 768;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-vectors-reopen-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const freshDir = () => path.join(scratch, `store-${++counter}`);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('reopening an embedded vector store in a new process', () => {
  it.each([
    [100, 50],
    [2168, 2000],
  ])('opens and searches after %i photos were added and %i of them removed', async (added, removed) => {
    const dir = freshDir();
    const writer = await runSession(dir, { dimensions: DIMENSIONS, steps: [{ add: range(1, added) }, { remove: range(1, removed) }, 'close'] });
    expect(writer).toMatchObject({ code: 0, signal: null, stderr: '' });
    const live = range(removed + 1, added);
    // Both search paths: the exact scan a small library uses, and the HNSW graph a large one walks.
    const reader = await runSession(dir, {
      dimensions: DIMENSIONS,
      steps: ['report', { reopen: { exactSearchBelow: 0 } }, 'report', 'close'],
    });
    expect(reader).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(reader.reports).toHaveLength(2);
    expectHealthy(reader.reports[0], live, [], 'exact');
    expectHealthy(reader.reports[1], live, [], 'graph');
  });
});

describe('a damaged search index file', () => {
  const photos = 300;
  const live = range(1, photos);
  const pristine = freshDir();

  async function savedStore(): Promise<{ dir: string; indexFile: string }> {
    if (!fs.existsSync(pristine)) {
      const writer = await runSession(pristine, { dimensions: DIMENSIONS, steps: [{ add: live }, 'close'] });
      expect(writer).toMatchObject({ code: 0, signal: null });
    }
    const dir = freshDir();
    fs.cpSync(pristine, dir, { recursive: true });
    const indexFile = fs.readdirSync(dir).find((name) => name.endsWith('.usearch'))!;
    return { dir, indexFile: path.join(dir, indexFile) };
  }

  it.each([
    ['cut in half', (file: string) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2)), /truncated/],
    ['of zero length', (file: string) => fs.truncateSync(file, 0), /is 0 bytes but \d+ were saved/],
    ['overwritten with garbage of the same length', (file: string) => fs.writeFileSync(file, garbage(fs.statSync(file).size)), /damaged/],
    ['with one byte changed in its header', (file: string) => flipByteAt(file, 8 + photos * DIMENSIONS * 2 + 20), /damaged/],
    ['without its integrity record (saved by an older Glimpse)', (file: string) => fs.rmSync(`${file}.json`), /no integrity record/],
    ['whose integrity record belongs to another save', (file: string) => swapRecordChecksum(file), /damaged/],
  ])('is rebuilt from the stored vectors with a notice when it is %s', async (_, damage, reason) => {
    const { dir, indexFile } = await savedStore();
    damage(indexFile);
    // Reopened twice: the first open rebuilds and says why; the rebuilt file then opens as it is, silently.
    const reader = await runSession(dir, { dimensions: DIMENSIONS, exactSearchBelow: 0, steps: ['report', 'reopen', 'report', 'close'] });
    expect(reader).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(reader.reports).toHaveLength(2);
    const [rebuilt, reopened] = reader.reports;
    expectHealthy(rebuilt, live, [expect.stringMatching(new RegExp(`rebuilt from the ${photos} stored vectors`))], 'graph');
    expect(rebuilt.notices[0]).toMatch(reason);
    expect(rebuilt.notices[0]).toContain(path.basename(indexFile));
    expectHealthy(reopened, live, [], 'graph');
  });

  it('is ignored without a rebuild when a kill cut its save short, the previous index and the change log taking over', async () => {
    const { dir, indexFile } = await savedStore();
    const killed = await runSession(dir, { dimensions: DIMENSIONS, steps: [{ add: range(photos + 1, photos + 50) }, 'kill'] });
    expect(killed.signal).toBe('SIGKILL');
    // What a kill during the next save can leave: half an index in its tmp file, and the record of a file that never
    // got its final name (the record is renamed first).
    const next = path.join(dir, `global-${photos + 50}.usearch`);
    fs.writeFileSync(`${next}.99999999.tmp`, fs.readFileSync(indexFile).subarray(0, 1000));
    fs.copyFileSync(`${indexFile}.json`, `${next}.json`);
    const reader = await runSession(dir, { dimensions: DIMENSIONS, exactSearchBelow: 0, steps: ['report', 'close'] });
    expect(reader).toMatchObject({ code: 0, signal: null, stderr: '' });
    expectHealthy(reader.reports[0], range(1, photos + 50), [], 'graph');
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('global-')).sort()).toEqual([path.basename(next), `${path.basename(next)}.json`]);
  });

  it('is rebuilt with a notice when it is missing although photos are stored', async () => {
    const { dir, indexFile } = await savedStore();
    fs.rmSync(indexFile);
    const reader = await runSession(dir, { dimensions: DIMENSIONS, steps: ['report', 'close'] });
    expect(reader).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(reader.reports).toHaveLength(1);
    expectHealthy(reader.reports[0], live, [expect.stringMatching(/rebuilt from the 300 stored vectors .*no saved search index/)], 'exact');
    expect(fs.existsSync(indexFile)).toBe(true);
  });
});

function garbage(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = 12345;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

function flipByteAt(file: string, position: number): void {
  const bytes = fs.readFileSync(file);
  bytes[position] ^= 0xff;
  fs.writeFileSync(file, bytes);
}

/** The record of a file of the same size saved another time: everything matches but the checksum. */
function swapRecordChecksum(file: string): void {
  const recordFile = `${file}.json`;
  const record = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as { sha256: string };
  record.sha256 = [...record.sha256].reverse().join('');
  fs.writeFileSync(recordFile, JSON.stringify(record));
}
