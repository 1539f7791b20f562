// Stages other layers plug in (embeddings in pass 1, crops in pass 2) run after the built-in ones and in order; a
// failure names its cause without blocking anything; pause holds the queue; progress events report the counts.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobStatus } from '../../src-preload/api';
import type { PipelineStage } from '../../src-main/library/library';
import { writePhoto } from '../fixtures/photos';
import { type Harness, makeHarness } from './library-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

describe('extra stages', () => {
  it('runs pass-1 extras after thumbnails and pass-2 extras last, and records failures per photo', async () => {
    const calls: string[] = [];
    const embed: PipelineStage = {
      name: 'embed',
      pass: 1,
      version: 'model-a',
      async run(image) {
        if (!image.thumb_path) throw new Error('embed ran before thumbnails');
        if (image.path.endsWith('refuse.jpg')) throw new Error('the embedding model is missing: download it in Settings');
        calls.push(`embed:${path.basename(image.path)}`);
        return 'done';
      },
    };
    const crops: PipelineStage = {
      name: 'crops',
      pass: 2,
      version: 'model-a',
      async run(image, { catalog }) {
        const stages = await catalog.stagesOf(image.id);
        if (stages.some((s) => s.pass === 1 && s.status !== 'done' && s.status !== 'skipped')) throw new Error('crops ran before pass 1');
        if (image.path.endsWith('odd.jpg')) throw new Error('crop model failed on this photo');
        calls.push(`crops:${path.basename(image.path)}`);
        return 'done';
      },
    };
    harness = await makeHarness({ extraStages: [embed, crops] });
    const { library, catalog, photos } = harness;
    for (const name of ['a.jpg', 'b.jpg', 'odd.jpg', 'refuse.jpg']) await writePhoto(path.join(photos, name), { seed: name.length + name.charCodeAt(0) });
    await library.addFolder(photos);
    await library.waitForIdle(2);

    const refused = (await catalog.getImageByPath(path.join(photos, 'refuse.jpg')))!;
    expect(refused.status).toBe('failed');
    expect(refused.error).toBe('the embedding model is missing: download it in Settings');
    expect((await catalog.photoDetails(refused.id))!.stages).toEqual({ decode: 'done', exif: 'skipped', thumbs: 'done', embed: 'failed', crops: 'failed' });

    const odd = (await catalog.getImageByPath(path.join(photos, 'odd.jpg')))!;
    expect(odd.status).toBe('ready');
    expect((await catalog.stagesOf(odd.id)).find((s) => s.stage === 'crops')).toMatchObject({ status: 'failed', error: 'crop model failed on this photo' });
    expect(calls.filter((c) => c.startsWith('crops:')).sort()).toEqual(['crops:a.jpg', 'crops:b.jpg']);

    const status = await library.jobStatus();
    expect(status.overall).toMatchObject({ total: 4, done: 3, failed: 1, pending: 0 });
    expect(status.background).toMatchObject({ total: 4, done: 2, failed: 2, pending: 0 });
  });

  it('redoes only the stage whose version changed when the library opens with a new model', async () => {
    const runs: Record<string, number> = {};
    const embedWith = (version: string): PipelineStage => ({
      name: 'embed',
      pass: 1,
      version,
      async run() {
        runs[version] = (runs[version] ?? 0) + 1;
        return 'done';
      },
    });
    harness = await makeHarness({ extraStages: [embedWith('model-a')] });
    await writePhoto(path.join(harness.photos, 'a.jpg'), { seed: 1 });
    await writePhoto(path.join(harness.photos, 'b.jpg'), { seed: 2 });
    await harness.library.indexFolder(harness.photos);
    await harness.library.close();
    const { Library } = await import('../../src-main/library/library');
    harness.library = await Library.open({ config: harness.config, catalog: harness.catalog, extraStages: [embedWith('model-b')] });
    await harness.library.start();
    await harness.library.waitForIdle();
    expect(runs).toEqual({ 'model-a': 2, 'model-b': 2 });
    const image = (await harness.catalog.getImageByPath(path.join(harness.photos, 'a.jpg')))!;
    expect((await harness.catalog.stagesOf(image.id)).map((s) => [s.stage, s.status, s.attempts]).sort()).toEqual([
      ['decode', 'done', 1],
      ['embed', 'done', 1],
      // Generated without EXIF: nothing to read, so skipped.
      ['exif', 'skipped', 1],
      ['thumbs', 'done', 1],
    ]);
  });
});

describe('queue control and progress', () => {
  it('holds work while paused and reports progress per folder and overall, at most about four times a second', async () => {
    harness = await makeHarness();
    const { library, photos, events } = harness;
    for (let i = 0; i < 30; i++) await writePhoto(path.join(photos, `p${i}.jpg`), { seed: i });
    library.pause();
    const started = Date.now();
    await library.addFolder(photos);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const paused = await library.jobStatus();
    expect(paused.paused).toBe(true);
    expect(paused.overall).toMatchObject({ total: 30, done: 0, pending: 30 });

    library.resume();
    await library.waitForIdle();
    await new Promise((resolve) => setTimeout(resolve, 400));
    const elapsed = Date.now() - started;
    const progress = events.filter((e): e is { type: 'progress'; status: JobStatus } => e.type === 'progress');
    const last = progress.at(-1)!.status;
    expect(last.paused).toBe(false);
    expect(last.overall).toMatchObject({ total: 30, done: 30, failed: 0, pending: 0, etaSeconds: null });
    expect(last.folders).toEqual([expect.objectContaining({ path: photos, total: 30, done: 30, failures: [] })]);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 2);
    const added = events.flatMap((e) => (e.type === 'library' ? e.added : []));
    expect(new Set(added).size).toBe(30);
  });
});
