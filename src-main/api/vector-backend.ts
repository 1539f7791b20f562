// Which vector store a library uses — the embedded index in the data dir, or a Qdrant server when GLIMPSE_QDRANT_URL
// is set — and how that server's failures read to a person: named server, cause, and what to do.
import path from 'node:path';
import type { DoctorCheck } from '../../src-preload/api';
import type { GlimpseConfig } from '../config';
import { GlimpseError } from '../errors';
import { openEmbeddedVectorStore, type HnswSettings } from '../store/vectors/embedded-vector-store';
import type { FaceStore } from '../store/faces-store';
import { faceCollectionNameFor } from '../store/vectors/qdrant-face-requests';
import { QdrantFaceStore } from '../store/vectors/qdrant-face-store';
import { parseQdrantUrl, probeQdrant, QdrantVectorStore, VectorServerError } from '../store/vectors/qdrant-vector-store';
import type { PhotoPayload, VectorStore } from '../store/vectors/vector-store';

/** Vectors of different models never mix: each model gets its own store folder (or Qdrant collection). */
export function vectorDirFor(dataDir: string, modelId: string): string {
  return path.join(dataDir, 'vectors', modelId.replace(/[^\w.-]+/g, '__'));
}

export async function openVectorStore(
  config: GlimpseConfig,
  modelId: string,
  dimensions: number,
  /** Told when the embedded index had to be rebuilt from the stored vectors (a damaged or unloadable file). */
  onNotice?: (message: string) => void,
  /** The photos' filter fields, written beside their vectors on Qdrant so filters run there. */
  payloads?: (ids: number[]) => Promise<Map<number, PhotoPayload>>,
): Promise<VectorStore> {
  if (config.qdrantUrl) {
    try {
      const { shards, replicas, quantization, hnswM, hnswEfConstruct } = config.qdrantCollection;
      return await QdrantVectorStore.open({
        url: config.qdrantUrl,
        apiKey: config.qdrantApiKey,
        timeoutMs: config.qdrantTimeoutMs,
        modelId,
        dimensions,
        collection: { shardNumber: shards, replicationFactor: replicas, quantization, hnswM, hnswEfConstruct },
        ...(payloads ? { payloads } : {}),
      });
    } catch (error) {
      throw vectorServerError(error);
    }
  }
  return openEmbeddedVectorStore({ dir: vectorDirFor(config.dataDir, modelId), dimensions, ...(onNotice ? { onNotice } : {}) });
}

/** Face descriptors of one face model, apart from every photo model's vectors. */
export function faceVectorDirFor(dataDir: string, faceModel: string): string {
  return path.join(dataDir, 'vectors', `faces__${faceModel.replace(/[^\w.-]+/g, '_')}`);
}

/** The faces collection, on the same backend as the photos' vectors: a Qdrant collection when GLIMPSE_QDRANT_URL is set. */
export async function openFaceVectorStore(
  config: GlimpseConfig,
  faceModel: string,
  dimensions: number,
  /** The photo each face was found in, written beside its descriptor on Qdrant. */
  faceRows?: Pick<FaceStore, 'faces'>,
  /** The embedded index's search beam and graph settings (Qdrant keeps its own HNSW settings). */
  hnsw?: Partial<HnswSettings>,
): Promise<VectorStore> {
  if (!config.qdrantUrl) return openEmbeddedVectorStore({ dir: faceVectorDirFor(config.dataDir, faceModel), dimensions, ...(hnsw ? { hnsw } : {}) });
  try {
    const { shards, replicas, quantization, hnswM, hnswEfConstruct } = config.qdrantCollection;
    return await QdrantFaceStore.open({
      url: config.qdrantUrl,
      apiKey: config.qdrantApiKey,
      timeoutMs: config.qdrantTimeoutMs,
      faceModel,
      dimensions,
      collection: { shardNumber: shards, replicationFactor: replicas, quantization, hnswM, hnswEfConstruct },
      ...(faceRows
        ? {
            placements: async (ids: number[]) =>
              new Map((await faceRows.faces(ids)).map((face) => [face.id, { photoId: face.imageId }])),
          }
        : {}),
    });
  } catch (error) {
    throw vectorServerError(error);
  }
}

/**
 * A Qdrant URL that can never work (a path, another scheme, credentials) stops the library opening, in one line: found
 * only when the vector store opens, it would fail every photo of an import one by one.
 */
export function checkVectorBackendUrl(config: Pick<GlimpseConfig, 'qdrantUrl'>): void {
  if (!config.qdrantUrl) return;
  try {
    parseQdrantUrl(config.qdrantUrl);
  } catch (error) {
    throw vectorServerError(error);
  }
}

/** A vector server's failure as the Api's BACKEND_UNAVAILABLE (or INVALID_INPUT for a URL that cannot work). */
export function vectorServerError(error: unknown): unknown {
  if (!(error instanceof VectorServerError)) return error;
  // A URL that cannot work is the person's input; everything else is the server being away or not fitting.
  return new GlimpseError(error.reason === 'failed' && /^Qdrant URL/.test(error.message) ? 'INVALID_INPUT' : 'BACKEND_UNAVAILABLE', error.message, 'qdrant', {
    cause: error,
  });
}

/** A collection that does not fit the model (vector size, distance): it fits no better after any wait. */
export function lastsUntilFixed(error: unknown): boolean {
  const server = error instanceof GlimpseError ? error.cause : error;
  return server instanceof VectorServerError && server.reason === 'mismatch';
}

/**
 * Whether a failure is the vector server's (down, refusing a rotated key, failing a request while a cluster node
 * restarts) rather than the photo's: vectors are checked before any request, so no photo can cause one. Retry later.
 */
export function isVectorServerAway(error: unknown): boolean {
  return error instanceof VectorServerError && !/^Qdrant URL/.test(error.message);
}

/** A failed probe in a few words, for the one-line summary (the check's detail has the whole message). */
const VECTOR_SERVER_STATES: Record<VectorServerError['reason'], string> = {
  unreachable: 'unreachable',
  timeout: 'not answering',
  unauthorized: 'API key refused',
  mismatch: 'collection does not fit this model',
  failed: 'failing',
};

/** `glimpse doctor`'s line about the vector backend: which one, reachable or not, its version and size. */
export async function vectorBackendCheck(
  config: GlimpseConfig,
  /** Photos whose filter fields wait to be written to Qdrant's points (see vector-payload-sync.ts). */
  waitingPayloads?: () => Promise<number>,
): Promise<{ check: DoctorCheck; summary: string }> {
  if (!config.qdrantUrl) {
    const dir = vectorDirFor(config.dataDir, config.model);
    return { check: { name: 'vectors', ok: true, detail: `embedded (usearch HNSW + SQLite) in ${dir}` }, summary: `embedded (usearch HNSW + SQLite) in ${dir}` };
  }
  try {
    const probe = await probeQdrant({ url: config.qdrantUrl, apiKey: config.qdrantApiKey, timeoutMs: config.qdrantTimeoutMs, modelId: config.model });
    const size = probe.points === null ? `collection ${probe.collection} not created yet` : `collection ${probe.collection}: ${probe.points} photo(s)`;
    const summary = `Qdrant ${probe.version} at ${probe.server}, reachable; ${size}`;
    const waiting = waitingPayloads ? await waitingPayloads() : 0;
    const filters = waiting === 0
      ? 'filters run on its payload'
      : `${waiting} photo(s)' folder, date or people wait to be written to it, so filters go as the catalog's photo ids until then`;
    return { check: { name: 'vectors', ok: true, detail: `${summary}; ${filters}` }, summary };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const state = error instanceof VectorServerError ? VECTOR_SERVER_STATES[error.reason] : 'unreachable';
    return { check: { name: 'vectors', ok: false, detail }, summary: `Qdrant at ${config.qdrantUrl} (${state})` };
  }
}

/** `glimpse doctor`'s line about where face descriptors live: the embedded folder, or the Qdrant faces collection and its size. */
export async function faceVectorBackendCheck(config: GlimpseConfig, faceModel: string): Promise<DoctorCheck> {
  if (!config.qdrantUrl) return { name: 'face vectors', ok: true, detail: `embedded (usearch HNSW + SQLite) in ${faceVectorDirFor(config.dataDir, faceModel)}` };
  const collection = faceCollectionNameFor(faceModel);
  try {
    const probe = await probeQdrant({ url: config.qdrantUrl, apiKey: config.qdrantApiKey, timeoutMs: config.qdrantTimeoutMs, modelId: faceModel, collection });
    const size = probe.points === null ? `collection ${collection} not created yet` : `collection ${collection}: ${probe.points} face(s)`;
    return { name: 'face vectors', ok: true, detail: `Qdrant ${probe.version} at ${probe.server}, reachable; ${size}` };
  } catch (error) {
    return { name: 'face vectors', ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}
