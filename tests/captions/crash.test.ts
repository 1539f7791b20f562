// Captioning survives a kill: a child process describing 30 photos is killed with SIGKILL once some captions are
// stored, then run again; every photo ends with its caption, and the ones stored before the kill are not redone (the
// moment a kill cannot be timed to, between a caption and its done mark, is pinned down in exactly-once.test.ts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSolidImage } from '../ml/colour-images';
import { COLOUR_NAMES } from '../fixtures/generate-models';
import { expectedFixtureCaption } from '../fixtures/generate-smolvlm';

const PHOTOS = 30;
const child = path.join(import.meta.dirname, 'describe-child.ts');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-captions-crash-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Each photo's caption record (when it has one) beside its describe stage's state, read in one snapshot. */
function captionState(dataDir: string): Map<number, { createdAt: string | null; stage: string | null }> {
  const file = path.join(dataDir, 'catalog.sqlite');
  if (!fs.existsSync(file)) return new Map();
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
    const rows = db
      .prepare(
        `SELECT images.id, image_captions.created_at AS createdAt, image_stages.status AS stage FROM images
         LEFT JOIN image_captions ON image_captions.image_id = images.id
         LEFT JOIN image_stages ON image_stages.image_id = images.id AND image_stages.stage = 'describe'`,
      )
      .all() as { id: number; createdAt: string | null; stage: string | null }[];
    return new Map(rows.map((r) => [r.id, { createdAt: r.createdAt, stage: r.stage }]));
  } catch {
    return new Map(); // the schema is not created yet
  } finally {
    db?.close();
  }
}

function storedCaptions(dataDir: string): Map<number, string> {
  return new Map([...captionState(dataDir)].flatMap(([id, s]) => (s.createdAt === null ? [] : [[id, s.createdAt] as const])));
}

function runChild(args: string[], killWhen?: () => boolean): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = killWhen ? setInterval(() => killWhen() && proc.kill('SIGKILL'), 5) : null;
    proc.once('error', reject);
    proc.once('close', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, stdout });
    });
  });
}

describe('captioning after a crash', () => {
  it('resumes where it was killed and ends with every photo described once', { timeout: 300_000 }, async () => {
    const folder = path.join(root, 'photos');
    const dataDir = path.join(root, 'data');
    fs.mkdirSync(folder, { recursive: true });
    const colourOf = new Map<string, string>();
    for (let i = 0; i < PHOTOS; i++) {
      const colour = COLOUR_NAMES[1 + (i % (COLOUR_NAMES.length - 1))];
      const file = await writeSolidImage(folder, colour, 100 + i, 80);
      colourOf.set(file, colour);
    }
    const killed = await runChild([dataDir, folder, 'all'], () => storedCaptions(dataDir).size >= 5);
    expect(killed.signal).toBe('SIGKILL');
    const atKill = captionState(dataDir);
    const beforeRestart = storedCaptions(dataDir);
    expect(beforeRestart.size).toBeGreaterThanOrEqual(5);
    expect(beforeRestart.size).toBeLessThan(PHOTOS);
    // Whenever the kill landed, a photo has a caption exactly when its stage is done: nothing described is left to redo.
    for (const [id, state] of atKill) expect({ id, done: state.stage === 'done' }).toEqual({ id, done: state.createdAt !== null });

    const resumed = await runChild([dataDir, '-', 'missing']);
    expect(resumed.code).toBe(0);
    const after = storedCaptions(dataDir);
    expect(after.size).toBe(PHOTOS);
    for (const [id, createdAt] of beforeRestart) expect(after.get(id)).toBe(createdAt);

    const db = new SQLite(path.join(dataDir, 'catalog.sqlite'), { readonly: true });
    try {
      const rows = db.prepare("SELECT path, caption, (SELECT status FROM image_stages s WHERE s.image_id = images.id AND s.stage = 'describe') AS status FROM images").all() as { path: string; caption: string; status: string }[];
      expect(rows).toHaveLength(PHOTOS);
      for (const row of rows) {
        expect(row.status).toBe('done');
        expect(row.caption).toBe(expectedFixtureCaption(colourOf.get(row.path) as string, ''));
      }
    } finally {
      db.close();
    }
  });
});
