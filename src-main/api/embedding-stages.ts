// The two SigLIP indexing stages the library runs after its own: the global vector in pass 1 (search works as
// soon as it is stored) and the five crop vectors in pass 2, in the background. Both are keyed to the model id,
// so switching models re-embeds every photo and nothing else.
import { GlimpseError } from '../errors';
import type { PipelineStage } from '../library/library';
import { StageDeferredError, type StageOutcome } from '../library/pipeline-stage';
import type { ModelRuntime } from './model-runtime';
import { isVectorServerAway, lastsUntilFixed } from './vector-backend';

/** A vector server that is away (at open or mid-import) defers the photo's stage instead of failing the photo. */
async function deferWhileServerAway(work: () => Promise<void>): Promise<'done'> {
  try {
    await work();
    return 'done';
  } catch (error) {
    const away = isVectorServerAway(error) || (error instanceof GlimpseError && error.code === 'BACKEND_UNAVAILABLE');
    if (away) throw new StageDeferredError((error as Error).message, { lasting: lastsUntilFixed(error) });
    throw error;
  }
}

/** Another layer's stage (faces) whose vectors live on the same server: deferred, not failed, while it is away. */
export function deferringWhileServerAway(stage: PipelineStage): PipelineStage {
  return {
    ...stage,
    run: async (image, ctx) => {
      let result: StageOutcome = 'done';
      await deferWhileServerAway(async () => {
        result = await stage.run(image, ctx);
      });
      return result;
    },
  };
}

export const GLOBAL_EMBEDDING_STAGE = 'embed';
export const CROP_EMBEDDING_STAGE = 'crops';

export function embeddingStages(runtime: ModelRuntime): PipelineStage[] {
  // Embed the viewer thumbnail: it is already oriented and decodable for every format (HEIC included), and far
  // smaller than a 12 MP original, while still much larger than the 224 px the towers see (even per crop).
  const source = (image: { view_path: string | null; path: string }) => image.view_path ?? image.path;
  return [
    {
      name: GLOBAL_EMBEDDING_STAGE,
      pass: 1,
      version: runtime.modelId,
      run: (image) =>
        deferWhileServerAway(async () => {
          const { embedder, vectors } = await runtime.ready();
          const vector = await embedder.embedImage(source(image));
          await vectors.upsertGlobals([{ id: image.id, vector }]);
        }),
    },
    {
      name: CROP_EMBEDDING_STAGE,
      pass: 2,
      version: runtime.modelId,
      run: (image) =>
        deferWhileServerAway(async () => {
          const { embedder, vectors } = await runtime.ready();
          const crops = await embedder.embedCrops(source(image));
          await vectors.upsertCrops([{ id: image.id, crops }]);
        }),
    },
  ];
}
