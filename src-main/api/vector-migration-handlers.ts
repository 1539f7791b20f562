// `glimpse migrate --to <qdrant-url | embedded>`: the active model's vectors and the face descriptors copied between the
// embedded store and a Qdrant server, resumable, then checked by counts and identical top-10 neighbours before switching.
import type { FaceVectorMigration, VectorMigrationReport } from '../../src-preload/api';
import type { GlimpseConfig } from '../config';
import { GlimpseError } from '../errors';
import { copyVectors, verifyCopy } from '../store/vectors/vector-copy';
import type { Handlers } from './dispatch';
import { FACE_DESCRIPTOR_DIMENSIONS, type FacesRuntime } from './faces-runtime';
import type { ModelRuntime } from './model-runtime';
import { checkVectorBackendUrl, openFaceVectorStore, openVectorStore, vectorServerError } from './vector-backend';

async function migrateFaceVectors(targetConfig: GlimpseConfig, faces: FacesRuntime, notice: (message: string) => void): Promise<FaceVectorMigration> {
  const { vectors: source } = await faces.people();
  const target = await openFaceVectorStore(targetConfig, faces.model, FACE_DESCRIPTOR_DIMENSIONS, faces.store);
  try {
    const copied = await copyVectors(source, target, {
      onProgress: (p) => {
        if (p.seen % 5000 < 256) notice(`Copying face descriptors to ${target.description}: ${p.seen} faces seen, ${p.copied} copied`);
      },
    });
    const check = await verifyCopy(source, target);
    return {
      ...copied,
      counts: { source: check.source.photos, target: check.target.photos, match: check.countsMatch },
      sampled: check.sampled,
      identicalTop10: check.identicalTop10,
    };
  } finally {
    await target.close();
  }
}

export function vectorMigrationHandlers(
  config: () => GlimpseConfig,
  runtime: ModelRuntime,
  notice: (message: string) => void,
  faces: FacesRuntime,
): Pick<Handlers, 'vectors.migrate'> {
  return {
    'vectors.migrate': async ({ to }): Promise<VectorMigrationReport> => {
      const current = config();
      const toEmbedded = to === 'embedded';
      if (!toEmbedded) checkVectorBackendUrl({ qdrantUrl: to });
      if (toEmbedded ? !current.qdrantUrl : current.qdrantUrl !== null && new URL(current.qdrantUrl).host === new URL(to).host) {
        throw new GlimpseError('INVALID_INPUT', `The library's vectors are already ${toEmbedded ? 'in the embedded store' : `on ${to}`}: nothing to copy`, 'to');
      }
      const { embedder, vectors: source } = await runtime.ready();
      const targetConfig: GlimpseConfig = { ...current, qdrantUrl: toEmbedded ? null : to };
      const target = await openVectorStore(targetConfig, embedder.modelId, embedder.dims, undefined, runtime.payloadSource);
      try {
        const copied = await copyVectors(source, target, {
          onProgress: (p) => {
            if (p.seen % 5000 < 256) notice(`Copying vectors to ${target.description}: ${p.seen} photos seen, ${p.copied} copied`);
          },
        });
        const check = await verifyCopy(source, target);
        const faceCopy = await migrateFaceVectors(targetConfig, faces, notice).catch((error: unknown) => {
          throw vectorServerError(error);
        });
        return {
          from: source.description,
          to: target.description,
          ...copied,
          counts: { source: check.source, target: check.target, match: check.countsMatch },
          sampled: check.sampled,
          identicalTop10: check.identicalTop10,
          faces: faceCopy,
          next: toEmbedded ? 'unset GLIMPSE_QDRANT_URL' : `set GLIMPSE_QDRANT_URL=${to}`,
        };
      } finally {
        await target.close();
      }
    },
  };
}
