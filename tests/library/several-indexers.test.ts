// Two indexers on one PostgreSQL library at once: every photo is catalogued once and no stage runs twice; when one is
// killed mid-way, its claims expire and the other finishes the work.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../../src-main/library/library';
import { Catalog } from '../../src-main/store/catalog';
import { openCatalogDatabase } from '../../src-main/store/database';
import { writePhoto } from '../fixtures/photos';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';
import { waitForChild } from './index-child-runner';
import { makeTestConfig } from './library-harness';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const CHILD = path.join(import.meta.dirname, 'shared-catalog-child.ts');
const LEASE_MS = 1500;

describe('several indexers on one PostgreSQL catalog', () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-shared-')));
  const photos = path.join(root, 'photos');
  let database: TestDatabase;

  const indexer = (name: string) =>
    spawn(process.execPath, ['--import', 'tsx', CHILD, path.join(root, `data-${name}`), database.url, String(LEASE_MS)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  async function snapshot() {
    const catalog = new Catalog(await openCatalogDatabase({ dataDir: root, databaseUrl: database.url }));
    try {
      return {
        images: await catalog.db.selectFrom('images').select(['path', 'status']).execute(),
        stages: await catalog.db.selectFrom('image_stages').select(['image_id', 'stage', 'status', 'attempts', 'lease_owner']).execute(),
      };
    } finally {
      await catalog.close();
    }
  }

  /** Adds the folder to a fresh database without running its queue: the indexers under test do the work. */
  async function freshLibrary(files: number) {
    database = await createTestDatabase('glimpse_shared');
    fs.rmSync(photos, { recursive: true, force: true });
    for (let i = 0; i < files; i++) await writePhoto(path.join(photos, `photo-${i}.jpg`), { seed: 900 + i });
    const catalog = new Catalog(await openCatalogDatabase({ dataDir: path.join(root, 'data-setup'), databaseUrl: database.url }));
    const library = await Library.open({ config: makeTestConfig(path.join(root, 'data-setup')), catalog });
    await library.addFolder(photos);
    await library.close();
    await catalog.close();
  }

  beforeAll(() => fs.mkdirSync(photos, { recursive: true }));
  afterAll(async () => {
    await database?.drop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('shares the work: every photo once, every stage run once, both indexers doing some', async () => {
    await freshLibrary(36);
    const [a, b] = [indexer('a'), indexer('b')];
    const [ra, rb] = await Promise.all([waitForChild(a), waitForChild(b)]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    const { images, stages } = await snapshot();
    expect(images).toHaveLength(36);
    expect(new Set(images.map((i) => i.path)).size).toBe(36);
    expect(images.filter((i) => i.status !== 'ready')).toEqual([]);
    expect(stages.filter((s) => (s.status !== 'done' && s.status !== 'skipped') || s.attempts !== 1)).toEqual([]);
    const owners = new Set(stages.map((s) => s.lease_owner));
    expect(owners.size).toBe(2);
    await database.drop();
  });

  it('finishes the work of an indexer killed mid-way once its leases run out', async () => {
    await freshLibrary(50);
    const victim = indexer('victim');
    const survivor = indexer('survivor');
    const survived = waitForChild(survivor);
    // Kill the victim once it holds claims in the middle of the work.
    const deadline = Date.now() + 60_000;
    let killedAt = -1;
    while (Date.now() < deadline) {
      const { stages } = await snapshot();
      const done = stages.filter((s) => s.status === 'done').length;
      if (done >= 20 && stages.some((s) => s.status === 'running')) {
        victim.kill('SIGKILL');
        killedAt = done;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(killedAt).toBeGreaterThan(0);
    const result = await survived;
    expect(result.code, result.stderr).toBe(0);
    const { images, stages } = await snapshot();
    expect(images).toHaveLength(50);
    expect(new Set(images.map((i) => i.path)).size).toBe(50);
    expect(images.filter((i) => i.status !== 'ready')).toEqual([]);
    expect(stages.filter((s) => s.status !== 'done' && s.status !== 'skipped')).toEqual([]);
    // A stage ran twice only where the killed process had claimed it and died before finishing.
    expect(stages.every((s) => s.attempts <= 2)).toBe(true);
  });
});
