// Work queued by one process on a shared PostgreSQL catalog wakes an idle indexer in another at once (LISTEN/NOTIFY):
// the other indexer polls only every 10 minutes, so finishing the work within this test's time means it was told.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Library } from '../../src-main/library/library';
import { Catalog } from '../../src-main/store/catalog';
import { openCatalogDatabase } from '../../src-main/store/database';
import { writePhoto } from '../fixtures/photos';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';
import { waitForChild } from './index-child-runner';
import { makeTestConfig } from './library-harness';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const CHILD = path.join(import.meta.dirname, 'listening-indexer-child.ts');

describe('waking indexers on one PostgreSQL catalog', () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-notify-')));
  let database: TestDatabase | null = null;
  afterAll(async () => {
    await database?.drop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('an idle indexer in another process does the work this one queues, though its poll is 10 minutes away', async () => {
    database = await createTestDatabase('glimpse_notify');
    const photos = path.join(root, 'photos');
    for (let i = 0; i < 8; i++) await writePhoto(path.join(photos, `photo-${i}.jpg`), { seed: 300 + i });
    const listener = spawn(process.execPath, ['--import', 'tsx', CHILD, path.join(root, 'data-listener'), database.url, '8'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const finished = waitForChild(listener);
    let printed = '';
    await new Promise<void>((resolve, reject) => {
      listener.stdout.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        if (printed.includes('listening')) resolve();
      });
      listener.once('close', () => reject(new Error(`the indexer exited before listening: ${printed}`)));
    });
    const listenerId = /listening (\S+)/.exec(printed)![1];

    // This process queues the folder's photos and never runs its own queue.
    const catalog = new Catalog(await openCatalogDatabase({ dataDir: path.join(root, 'data-queuer'), databaseUrl: database.url }));
    const queuer = await Library.open({ config: makeTestConfig(path.join(root, 'data-queuer')), catalog });
    await queuer.addFolder(photos);
    await queuer.close();
    await catalog.close();

    const outcome = await Promise.race([finished, new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 90_000).unref())]);
    if (outcome === 'still waiting') listener.kill('SIGKILL');
    expect(outcome, 'the idle indexer was not woken by the queued work').not.toBe('still waiting');
    if (outcome === 'still waiting') return;
    expect(outcome.code, outcome.stderr).toBe(0);
    const check = new Catalog(await openCatalogDatabase({ dataDir: path.join(root, 'data-check'), databaseUrl: database.url }));
    try {
      const images = await check.db.selectFrom('images').select(['status']).execute();
      expect(images.map((i) => i.status)).toEqual(Array(8).fill('ready'));
      const stages = await check.db.selectFrom('image_stages').select(['lease_owner', 'status']).execute();
      expect(stages.length).toBeGreaterThan(0);
      expect(new Set(stages.map((s) => s.lease_owner))).toEqual(new Set([listenerId]));
    } finally {
      await check.close();
    }
  }, 120_000);
});
