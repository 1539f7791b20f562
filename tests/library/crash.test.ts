// A quit or crash resumes exactly where it stopped: a child process indexing 320 photos is killed with SIGKILL at
// random moments several times, then run to the end; every photo is in the catalog once and nothing is left stuck.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src-main/store/catalog';
import { openCatalogDatabase } from '../../src-main/store/database';
import type { ImportResult } from '../../src-preload/api';
import { writePhoto } from '../fixtures/photos';
import { spawnIndexChild, waitForChild } from './index-child-runner';

const PHOTOS = 320;
const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-crash-')));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Hashed and ready photo counts, read without disturbing the child's writes (WAL lets a reader in). */
function readCounts(dataDir: string): { hashed: number; ready: number } | null {
  const file = path.join(dataDir, 'catalog.sqlite');
  if (!fs.existsSync(file)) return null;
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
    return db.prepare(`SELECT count(*) AS hashed, coalesce(sum(status = 'ready'), 0) AS ready FROM images`).get() as { hashed: number; ready: number };
  } catch {
    return null; // the schema is not created yet
  } finally {
    db?.close();
  }
}

async function catalogSnapshot(dataDir: string) {
  const catalog = new Catalog(await openCatalogDatabase({ dataDir, databaseUrl: null }));
  try {
    const images = await catalog.db.selectFrom('images').selectAll().execute();
    const jobs = await catalog.db.selectFrom('jobs').selectAll().execute();
    const stages = await catalog.db.selectFrom('image_stages').selectAll().execute();
    return { images, jobs, stages };
  } finally {
    await catalog.close();
  }
}

describe('crash safety', () => {
  it('survives repeated SIGKILLs mid-indexing and ends with every photo exactly once', async () => {
    const folder = path.join(root, 'photos');
    const dataDir = path.join(root, 'data');
    for (let i = 0; i < PHOTOS; i++) await writePhoto(path.join(folder, `album ${i % 7}`, `photo ${i}.jpg`), { seed: i });

    // Kill points are chosen by what the catalog shows (hashed or ready photo counts), not by time, so every kill
    // lands mid-work however fast this machine is: some while files are being hashed, some while stages run.
    const killPoints = [
      { column: 'hashed', at: 1 + Math.floor(Math.random() * 60) },
      { column: 'ready', at: 20 + Math.floor(Math.random() * 60) },
      { column: 'hashed', at: 120 + Math.floor(Math.random() * 80) },
      { column: 'ready', at: 150 + Math.floor(Math.random() * 60) },
      { column: 'ready', at: 230 + Math.floor(Math.random() * 60) },
    ] as const;
    const readyAfterKill: number[] = [];
    for (const point of killPoints) {
      const child = spawnIndexChild(dataDir, folder);
      const exited = waitForChild(child);
      let finished = false;
      void exited.then(() => (finished = true));
      while (!finished) {
        const counts = readCounts(dataDir);
        if (counts && counts[point.column] >= point.at) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      child.kill('SIGKILL');
      const { signal, stderr } = await exited;
      if (signal !== 'SIGKILL') throw new Error(`the child finished before it was killed; stderr: ${stderr}`);
      readyAfterKill.push(readCounts(dataDir)!.ready);
    }
    // The kills really landed mid-work: some photos were done and some were not yet.
    expect(readyAfterKill.every((n) => n < PHOTOS)).toBe(true);

    const last = await waitForChild(spawnIndexChild(dataDir, folder));
    expect(last.code, last.stderr).toBe(0);
    const report = JSON.parse(last.stdout.trim().split('\n').pop()!) as ImportResult;
    expect(report).toEqual({ indexed: PHOTOS, duplicates: 0, failed: [] });

    const { images, jobs, stages } = await catalogSnapshot(dataDir);
    expect(images).toHaveLength(PHOTOS);
    expect(new Set(images.map((i) => i.path)).size).toBe(PHOTOS);
    expect(new Set(images.map((i) => i.hash)).size).toBe(PHOTOS);
    expect(images.every((i) => i.status === 'ready' && i.error === null)).toBe(true);
    expect(images.every((i) => fs.existsSync(i.thumb_path!) && fs.existsSync(i.view_path!))).toBe(true);
    expect(jobs).toEqual([]);
    expect(stages).toHaveLength(PHOTOS * 3);
    expect(stages.filter((s) => s.status !== 'done' && s.status !== 'skipped')).toEqual([]);
  }, 120_000);
});
