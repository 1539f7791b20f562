// PostgreSQL going away while the library watches its folders or scans one: what the watcher saw meanwhile (a photo
// added, edited, renamed, deleted, a sub-folder removed) is caught up once the server is back, with nothing escaping.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GlimpseEvent } from '../../src-preload/api';
import type { PipelineStage } from '../../src-main/library/library';
import type { Catalog } from '../../src-main/store/catalog';
import { writePhoto } from '../fixtures/photos';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';
import { type CuttableProxy, startCuttableProxy } from './cuttable-proxy';
import { type Harness, eventually, makeHarness } from './library-harness';

const escaped: unknown[] = [];
const onEscape = (reason: unknown) => escaped.push(reason);

let database: TestDatabase;
let proxy: CuttableProxy;
let harness: Harness | undefined;
let direct: pg.Client;

beforeAll(async () => {
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
});
afterAll(() => {
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
});
beforeEach(async () => {
  database = await createTestDatabase('glimpse_away_watch');
  proxy = await startCuttableProxy(database.url);
  direct = new pg.Client({ connectionString: database.url });
  await direct.connect();
});
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
  await direct.end();
  await proxy.close();
  await database.drop();
  // Whatever escaped (an unhandled rejection would end Electron's main process) fails the test that caused it.
  expect(escaped).toEqual([]);
});

function server(): string {
  const url = new URL(proxy.url);
  return `PostgreSQL at ${url.host}${url.pathname}`;
}

function notices(events: GlimpseEvent[], from = 0): Array<{ level: string; message: string }> {
  return events.slice(from).flatMap((e) => (e.type === 'notice' ? [{ level: e.level, message: e.message }] : []));
}

/** The catalog as the next person to open the library would find it, read past the proxy: file name → photo. */
async function catalogued(base = harness!.photos): Promise<Map<string, { id: number; status: string; hash: string }>> {
  const rows = await direct.query<{ id: number; path: string; status: string; hash: string }>('select id, path, status, hash from images');
  return new Map(rows.rows.map((r) => [path.relative(base, r.path), { id: r.id, status: r.status, hash: r.hash }]));
}

/**
 * Cuts the server off, makes the change on disk, waits until the library has told that catching up with the folder
 * waits for the server (so the watcher saw the change while it was away), then lets the server back.
 */
async function whileAway(change: () => Promise<void> | void): Promise<void> {
  const from = harness!.events.length;
  proxy.cut();
  await change();
  // The watcher's own word, not the indexer's: the queue polling while away says so too, before the change is seen.
  const waits = `; catching up with ${harness!.photos} waits until it is back`;
  await eventually(() => expect(notices(harness!.events, from).some((n) => n.message.startsWith(`${server()} went away`) && n.message.endsWith(waits))).toBe(true), 20_000);
  proxy.restore();
}

describe('PostgreSQL going away while watching', () => {
  it('catches up with photos added, edited, renamed and deleted while it was away', async () => {
    harness = await makeHarness({ databaseUrl: proxy.url, watch: true });
    const { photos, library } = harness;
    await writePhoto(path.join(photos, 'kept.jpg'), { seed: 1 });
    await writePhoto(path.join(photos, 'edited.jpg'), { seed: 2 });
    await writePhoto(path.join(photos, 'renamed.jpg'), { seed: 3 });
    await writePhoto(path.join(photos, 'deleted.jpg'), { seed: 4 });
    await writePhoto(path.join(photos, 'album', 'in album.jpg'), { seed: 5 });
    await library.addFolder(photos);
    await library.waitForIdle();
    const before = await catalogued();
    expect([...before.keys()].sort()).toEqual(['album/in album.jpg', 'deleted.jpg', 'edited.jpg', 'kept.jpg', 'renamed.jpg']);
    const from = harness.events.length;

    await whileAway(async () => {
      await writePhoto(path.join(photos, 'added.jpg'), { seed: 6 });
      await writePhoto(path.join(photos, 'edited.jpg'), { seed: 7, width: 96, height: 48 });
      fs.renameSync(path.join(photos, 'renamed.jpg'), path.join(photos, 'new name.jpg'));
      fs.rmSync(path.join(photos, 'deleted.jpg'));
      fs.rmSync(path.join(photos, 'album'), { recursive: true });
    });

    await eventually(async () => {
      const after = await catalogued();
      expect([...after.keys()].sort()).toEqual(['added.jpg', 'edited.jpg', 'kept.jpg', 'new name.jpg']);
      expect([...after.values()].every((p) => p.status === 'ready')).toBe(true);
      expect(after.get('edited.jpg')?.id).toBe(before.get('edited.jpg')?.id);
      expect(after.get('edited.jpg')?.hash).not.toBe(before.get('edited.jpg')?.hash);
      // A rename keeps the photo (its id, and everything derived from it).
      expect(after.get('new name.jpg')?.id).toBe(before.get('renamed.jpg')?.id);
    }, 45_000);

    const said = notices(harness.events, from);
    const away = said.filter((n) => n.message.startsWith(`${server()} went away`)).map((n) => n.message);
    expect(away.some((m) => new RegExp(`went away: (connection lost|unreachable) \\(.+\\); catching up with ${photos} waits until it is back$`).test(m))).toBe(true);
    expect(said.map((n) => n.message)).toContain(`${server()} is back; caught up with what the library folders saw meanwhile`);
    expect(said.filter((n) => n.level === 'error')).toEqual([]);
  }, 90_000);

  it('keeps a photo renamed while the server was away as the same photo, though the scan that finds its new name is slow', async () => {
    harness = await makeHarness({ databaseUrl: proxy.url, watch: true });
    const { photos, library, catalog } = harness;
    await writePhoto(path.join(photos, 'old name.jpg'), { seed: 60 });
    await library.addFolder(photos);
    await library.waitForIdle();
    const before = (await catalogued()).get('old name.jpg');
    // The catch-up scan takes its time (a big folder): the old name's removal must wait for it, not run first.
    const knownFiles = catalog.knownFiles.bind(catalog);
    catalog.knownFiles = async (folderId) => {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      return knownFiles(folderId);
    };
    await whileAway(() => fs.renameSync(path.join(photos, 'old name.jpg'), path.join(photos, 'new name.jpg')));
    await eventually(async () => {
      const after = await catalogued();
      expect([...after.keys()]).toEqual(['new name.jpg']);
      expect(after.get('new name.jpg')).toEqual({ ...before, status: 'ready' });
    }, 45_000);
  }, 90_000);

  it('catches up with a library folder that comes back (a drive plugged in again) while the server is away', async () => {
    harness = await makeHarness({ databaseUrl: proxy.url, watch: true });
    const { photos, library } = harness;
    await writePhoto(path.join(photos, 'before.jpg'), { seed: 10 });
    await library.addFolder(photos);
    await library.waitForIdle();
    const unplugged = `${photos} (unplugged)`;
    fs.renameSync(photos, unplugged);
    await eventually(() => expect(notices(harness!.events).map((n) => n.message)).toContain(`Library folder ${photos} is missing; its photos are kept until it comes back or you remove the folder`));

    const from = harness.events.length;
    proxy.cut();
    await writePhoto(path.join(unplugged, 'while unplugged.jpg'), { seed: 11 });
    fs.renameSync(unplugged, photos);
    await eventually(
      () => expect(notices(harness!.events, from).map((n) => n.message).some((m) => m.endsWith('; looking for library folders that came back waits until it is back'))).toBe(true),
      20_000,
    );
    proxy.restore();

    await eventually(async () => {
      const after = await catalogued();
      expect([...after.keys()].sort()).toEqual(['before.jpg', 'while unplugged.jpg']);
      expect([...after.values()].every((p) => p.status === 'ready')).toBe(true);
    }, 45_000);
    expect(notices(harness.events, from).map((n) => n.message)).toContain(`Library folder ${photos} is back`);
    expect(notices(harness.events, from).filter((n) => n.level === 'error')).toEqual([]);
  }, 90_000);

  /** Cuts the server for 2 s the first time a scan reads what the catalog knows of a folder: the cut lands mid-scan. */
  function cutWhenTheScanReads(catalog: Catalog): void {
    const knownFiles = catalog.knownFiles.bind(catalog);
    let cutOnce = false;
    catalog.knownFiles = (folderId) => {
      if (!cutOnce) {
        cutOnce = true;
        proxy.cut();
        setTimeout(() => proxy.restore(), 2_000);
      }
      return knownFiles(folderId);
    };
  }

  it('scans a folder added as the server goes away once it is back', async () => {
    harness = await makeHarness({ databaseUrl: proxy.url, watch: true });
    const { photos, library, catalog } = harness;
    for (let i = 0; i < 3; i++) await writePhoto(path.join(photos, `p${i}.jpg`), { seed: 20 + i });
    // The server goes as the scan reads what the catalog knows of the folder, just after the folder was recorded.
    cutWhenTheScanReads(catalog);
    // Whether the answer reaches the caller depends on when the server is back; the folder is in the library either way.
    await library.addFolder(photos).catch(() => undefined);
    await eventually(async () => {
      const after = await catalogued();
      expect([...after.keys()].sort()).toEqual(['p0.jpg', 'p1.jpg', 'p2.jpg']);
      expect([...after.values()].every((p) => p.status === 'ready')).toBe(true);
    }, 45_000);
    expect(notices(harness.events).some((n) => n.message.includes(`went away`) && n.message.includes(`catching up with ${photos} waits until it is back`))).toBe(true);
    expect(notices(harness.events).filter((n) => n.level === 'error')).toEqual([]);
  }, 90_000);

  it('starts with the server going away during the start-up scan, and scans the folder once it is back', async () => {
    const first = await makeHarness({ databaseUrl: proxy.url, watch: true });
    try {
      await first.library.addFolder(first.photos);
      await first.library.waitForIdle();
      await first.library.close();
      await first.catalog.close();
      // Added while Glimpse was closed: only the start-up scan can find it.
      await writePhoto(path.join(first.photos, 'while closed.jpg'), { seed: 30 });
      harness = await makeHarness({ databaseUrl: proxy.url, start: false });
      const { catalog, library } = harness;
      cutWhenTheScanReads(catalog);
      await library.start({ watch: true });
      await eventually(async () => expect((await catalogued(first.photos)).get('while closed.jpg')?.status).toBe('ready'), 45_000);
      expect(notices(harness.events).filter((n) => n.level === 'error')).toEqual([]);
    } finally {
      fs.rmSync(first.root, { recursive: true, force: true });
    }
  }, 90_000);

  it('frees the next stage it could not hand back as the server went, when paused between two stages', async () => {
    // A pass-1 stage after the thumbnails, so a photo finishing them has a next stage for the runner to hand back.
    const afterThumbs: PipelineStage = { name: 'after-thumbs', pass: 1, version: null, run: async () => 'done' };
    harness = await makeHarness({ databaseUrl: proxy.url, extraStages: [afterThumbs] });
    const { catalog, photos, library } = harness;
    for (let i = 0; i < 2; i++) await writePhoto(path.join(photos, `s${i}.jpg`), { seed: 50 + i });
    // The person pauses as a photo's thumbnails are done, and the server goes as the runner hands back its next stage.
    const finishStage = catalog.finishStage.bind(catalog);
    let paused = false;
    catalog.finishStage = async (...args) => {
      const finished = await finishStage(...args);
      if (!paused && args[1] === 'thumbs') {
        paused = true;
        library.pause();
      }
      return finished;
    };
    const releaseStage = catalog.releaseStage.bind(catalog);
    let cut = false;
    catalog.releaseStage = (imageId, stage) => {
      if (!cut && stage === 'after-thumbs') {
        cut = true;
        proxy.cut();
        setTimeout(() => {
          proxy.restore();
          library.resume();
        }, 1_500);
      }
      return releaseStage(imageId, stage);
    };
    const result = await library.indexFolder(photos);
    expect(cut).toBe(true);
    expect(result).toMatchObject({ indexed: 2, failed: [] });
  }, 90_000);

  it('hears work other indexers queue after its listening connection was cut and came back', async () => {
    // Never polls on its own: only the LISTEN connection can wake it.
    harness = await makeHarness({ databaseUrl: proxy.url, config: { workPollMs: 3_600_000 } });
    await harness.library.waitForIdle();
    proxy.cut();
    await eventually(() => expect(proxy.refused).toBeGreaterThan(0), 20_000);
    proxy.restore();
    // Another process (paused, so it never indexes) queues a folder past the proxy and announces it.
    const other = await makeHarness({ databaseUrl: database.url, config: { indexing: { concurrency: 1, paused: true } } });
    try {
      await writePhoto(path.join(other.photos, 'theirs.jpg'), { seed: 40 });
      await other.library.addFolder(other.photos);
      await eventually(async () => {
        const rows = await direct.query<{ status: string }>('select status from images');
        expect(rows.rows.map((r) => r.status)).toEqual(['ready']);
      }, 45_000);
    } finally {
      await other.dispose();
    }
  }, 90_000);
});
