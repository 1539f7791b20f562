// A process can die between finishing a photo's last stage and marking the photo ready (a killed indexer, or another
// one sharing the catalog): such a photo must not stay "pending" for ever once the queue is idle.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writePhoto } from '../fixtures/photos';
import { type Harness, makeHarness } from './library-harness';

describe('photos whose stages all finished', () => {
  let harness: Harness;
  afterEach(() => harness?.dispose());

  it('are marked ready when the queue is idle, even if the process that finished them died first', async () => {
    harness = await makeHarness();
    for (let i = 0; i < 3; i++) await writePhoto(path.join(harness.photos, `p${i}.jpg`), { seed: 40 + i });
    await harness.library.indexFolder(harness.photos);
    const [first] = await harness.catalog.db.selectFrom('images').select('id').orderBy('id').execute();
    // What a death right after the last stage leaves behind: every stage done, the photo still pending.
    await harness.catalog.db.updateTable('images').set({ status: 'pending' }).where('id', '=', first.id).execute();
    await harness.library.waitForIdle(1);
    const row = await harness.catalog.db.selectFrom('images').select('status').where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('ready');
  });

  it('are left alone while a stage is still open', async () => {
    harness = await makeHarness({ start: false });
    await writePhoto(path.join(harness.photos, 'open.jpg'), { seed: 50 });
    await harness.library.addFolder(harness.photos);
    expect(await harness.catalog.markFinishedImagesReady()).toEqual([]);
  });
});
