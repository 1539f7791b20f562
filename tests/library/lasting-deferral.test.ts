// A stage held up by something waiting cannot fix (a Qdrant collection whose vector size does not fit the model):
// `glimpse index` is told why and stops waiting, the photos stay catalogued, and indexing goes on once it is fixed.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PipelineStage } from '../../src-main/library/library';
import { StageDeferredError } from '../../src-main/library/pipeline-stage';
import { writePhoto } from '../fixtures/photos';
import { type Harness, makeHarness } from './library-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

const MISMATCH = 'the Qdrant collection glimpse_m holds 512-d vectors but the model makes 768-d ones';

describe('a stage held up until the person fixes something', () => {
  it('ends a waiting index with the cause, leaves the photos catalogued, and finishes them once it is fixed', async () => {
    let fixed = false;
    const embed: PipelineStage = {
      name: 'embed',
      pass: 1,
      version: 'm',
      async run() {
        if (!fixed) throw new StageDeferredError(MISMATCH, { lasting: true });
        return 'done';
      },
    };
    harness = await makeHarness({ extraStages: [embed] });
    const { library, catalog, photos } = harness;
    for (const name of ['a.jpg', 'b.jpg']) await writePhoto(path.join(photos, name), { seed: name.charCodeAt(0) });

    const started = Date.now();
    await expect(library.indexFolder(photos)).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE', message: expect.stringContaining(MISMATCH) });
    // Not the back-off's doubling waits (1, 2, 4 … 60 s) until a test timeout: the first lasting deferral ends it.
    expect(Date.now() - started).toBeLessThan(20_000);
    for (const name of ['a.jpg', 'b.jpg']) {
      const image = await catalog.getImageByPath(path.join(photos, name));
      expect(image).toMatchObject({ status: 'pending', error: null });
    }

    fixed = true;
    await expect(library.indexFolder(photos)).resolves.toMatchObject({ indexed: 2, failed: [] });
  }, 60_000);
});
