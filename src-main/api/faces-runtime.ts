// Faces and people for one open library: the face workers, the faces collection of the vector store, the store,
// the clusterer and the decisions, opened on first need and closed with the Api. Also the "faces" import stage.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { GlimpseEvent } from '../../src-preload/api';
import type { GlimpseConfig } from '../config';
import type { PipelineStage } from '../library/pipeline-stage';
import { FacePool } from '../ml/faces/face-pool';
import type { DetectInput, FaceDetection } from '../ml/faces/face-detector';
import { humanModelVersion } from '../ml/faces/human-setup';
import { CLUSTER_NEIGHBOURS, PeopleClusterer, type FaceVectors } from '../people/people-clusterer';
import { PeopleDecisions } from '../people/people-decisions';
import type { CatalogDatabase } from '../store/database';
import { FaceStore } from '../store/faces-store';
import type { VectorStore } from '../store/vectors/vector-store';
import { faceVectorDirFor, openFaceVectorStore } from './vector-backend';

export const FACES_STAGE = 'faces';
export const FACE_DESCRIPTOR_DIMENSIONS = 1024;
/**
 * The faces collection's graph search: the clusterer asks for 24 neighbours per new face, and a beam of 32 instead
 * of the default 128 cut that look-up from ~1.7 to ~0.7 ms CPU at 10k faces with every known face still joined
 * (bench/faces.ts). A beam of exactly those 24 costs another ~18% less at 100k faces (1.36 vs 1.67 ms CPU per
 * search at load 20) and placed the bench's 200 new faces exactly as 32 did, at 10k and at 100k; a beam and ask
 * of 16 left one more known face out.
 * Larger asks (suggestions, find-this-person) widen the beam to their own size.
 */
export const FACE_INDEX_HNSW = { expansionSearch: CLUSTER_NEIGHBOURS };

export class FacesRuntime {
  readonly store: FaceStore;
  readonly model = humanModelVersion();
  private pool: FacePool | null = null;
  private vectorStore: Promise<VectorStore> | null = null;
  private parts: { clusterer: PeopleClusterer; decisions: PeopleDecisions; vectors: VectorStore } | null = null;

  constructor(
    private readonly config: () => GlimpseConfig,
    database: Pick<CatalogDatabase, 'db'>,
    private readonly emit: (event: GlimpseEvent) => void,
  ) {
    this.store = new FaceStore(database);
  }

  private vectors(): Promise<VectorStore> {
    this.vectorStore ??= openFaceVectorStore(this.config(), this.model, FACE_DESCRIPTOR_DIMENSIONS, this.store, FACE_INDEX_HNSW).catch((error: unknown) => {
      this.vectorStore = null;
      throw error;
    });
    return this.vectorStore;
  }

  /** The clusterer and decisions over the faces collection, opened once. */
  async people(): Promise<{ clusterer: PeopleClusterer; decisions: PeopleDecisions; vectors: VectorStore }> {
    if (this.parts) return this.parts;
    const vectors = await this.vectors();
    const faceVectors: FaceVectors = {
      async getMany(ids) {
        const stored = await vectors.getMany(ids);
        return new Map([...stored].map(([id, v]) => [id, v.global]));
      },
      nearest: (vector, k) => vectors.search(vector, k),
    };
    const clusterer = new PeopleClusterer(this.store, faceVectors);
    this.parts ??= { clusterer, decisions: new PeopleDecisions(this.store, faceVectors, clusterer), vectors };
    return this.parts;
  }

  detect(input: DetectInput): Promise<FaceDetection> {
    this.pool ??= new FacePool(this.config().faces.workers);
    return this.pool.detect({ maxPixels: this.config().maxPixels, ...input });
  }

  /**
   * Pass-2 stage: detect on the viewer picture (upright, decodable for every format), boxes in original pixels. A
   * photo with small faces is examined again on tiles of the original, read for that photo only.
   */
  stage(): PipelineStage {
    return {
      name: FACES_STAGE,
      pass: 2,
      version: this.model,
      run: async (image) => {
        const rendition = image.view_path && image.width && image.height;
        const detection = await this.detect({
          source: rendition ? (image.view_path as string) : image.path,
          ...(rendition ? { originalSize: { width: image.width as number, height: image.height as number }, tileSource: image.path } : {}),
        });
        await this.record(image.id, detection);
        return 'done';
      },
    };
  }

  /** After a person's decision (a name, a merge, a hide…): the window, the vocabulary and suggestions follow at once. */
  announcePeople(changed: number[]): void {
    this.emit({ type: 'people', changed, decision: true });
  }

  /** Stores one photo's detections (keeping the ids and decisions of faces found again) and clusters its faces. */
  async record(imageId: number, detection: FaceDetection): Promise<number[]> {
    const { clusterer, vectors } = await this.people();
    const { ids, removed } = await this.store.replaceDetections(imageId, detection.faces, this.model);
    if (removed.length > 0) await vectors.delete(removed);
    if (ids.length > 0) await vectors.upsertGlobals(ids.map((id, i) => ({ id, vector: detection.faces[i].descriptor })));
    const changed = ids.length > 0 || removed.length > 0 ? await clusterer.addFaces(ids) : new Set<number>();
    if (changed.size > 0) this.emit({ type: 'people', changed: [...changed] });
    return ids;
  }

  /** Before photos leave the catalog (their face rows go with them): drop their face vectors. */
  async photosRemoved(imageIds: number[]): Promise<void> {
    const faces = await this.store.facesOfImages(imageIds);
    if (faces.length === 0) return;
    const { vectors, clusterer } = await this.people();
    await vectors.delete(faces.map((f) => f.id));
    clusterer.forget(faces.flatMap((f) => (f.personId === null ? [] : [f.personId])));
  }

  /** Deletes every face, person, decision and face vector. */
  async forgetAll(): Promise<{ faces: number; people: number }> {
    const { vectors, clusterer } = await this.people();
    const ids = await this.store.allFaceIds();
    const counts = await this.store.forgetAll();
    for (let i = 0; i < ids.length; i += 1000) await vectors.delete(ids.slice(i, i + 1000));
    await vectors.flush();
    clusterer.forget();
    // Descriptors an earlier face model left behind in the embedded index (its own faces__ folder) are face data too.
    const vectorsDir = path.join(this.config().dataDir, 'vectors');
    const current = path.basename(faceVectorDirFor(this.config().dataDir, this.model));
    for (const entry of await fs.readdir(vectorsDir).catch(() => [])) {
      if (entry.startsWith('faces__') && entry !== current) await fs.rm(path.join(vectorsDir, entry), { recursive: true, force: true });
    }
    return counts;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
    const vectors = this.vectorStore ? await this.vectorStore.catch(() => null) : null;
    this.vectorStore = null;
    this.parts = null;
    await vectors?.close();
  }
}
