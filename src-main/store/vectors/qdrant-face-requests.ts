// The request bodies of the Qdrant faces collection (one named dense vector per face, the photo it was found in as
// payload), built by pure functions so they can be checked against Qdrant's published API shapes without a server.
import { RESCORED, type QdrantCollectionOptions } from './qdrant-requests';

/** The one named vector of a faces collection: a face's descriptor. */
export const FACE_VECTOR = 'face';

/**
 * Indexed right after the collection is created (filterable HNSW needs them first). A face's person is deliberately not
 * a payload: clustering and every decision (merge, split, move, reject, undo) change it inside catalog transactions, and
 * person filters — for faces and for photos alike, on both backends — are resolved by the catalog into point ids
 * (`has_id`). A copy on the server would have no reader and would go stale with each change.
 */
export const FACE_PAYLOAD_INDEXES = [{ field_name: 'photo_id', field_schema: 'integer' }] as const;

/** Per face model, like the embedded store's `faces__<model>` folders: descriptors of different models never mix. */
export function faceCollectionNameFor(faceModel: string): string {
  return `glimpse_faces_${faceModel.replace(/[^\w-]+/g, '_')}`;
}

export function faceCollectionSchema(options: QdrantCollectionOptions) {
  return {
    vectors: {
      [FACE_VECTOR]: { size: options.dimensions, distance: 'Cosine' as const, hnsw_config: { m: options.hnswM, ef_construct: options.hnswEfConstruct } },
    },
    shard_number: options.shardNumber,
    replication_factor: options.replicationFactor,
    ...(options.quantization === 'int8' ? { quantization_config: { scalar: { type: 'int8' as const, quantile: 0.99, always_ram: true } } } : {}),
  };
}

/** Why an existing collection cannot hold these face descriptors, in one line naming both sides, or null when it fits. */
export function faceCollectionMismatch(name: string, expectedDimensions: number, vectors: unknown): string | null {
  const named = (vectors && typeof vectors === 'object' ? vectors : {}) as Record<string, { size?: number; distance?: string } | undefined>;
  const face = named[FACE_VECTOR];
  if (!face || typeof face.size !== 'number') {
    return `Qdrant collection ${name} has no named vector "${FACE_VECTOR}": it was not made by Glimpse; remove that collection yourself or use another server`;
  }
  if (face.size !== expectedDimensions || face.distance !== 'Cosine') {
    return `Qdrant collection ${name} holds ${face.size}-dimensional ${face.distance ?? 'unknown-distance'} vectors, but face descriptors need ${expectedDimensions}-dimensional Cosine vectors`;
  }
  return null;
}

/** Where a face was found, which never changes for a face id; the payload each point carries. */
export interface FacePlacement {
  photoId: number;
}

/** One batched upsert: point ids are face ids, so a re-detected face keeps its point. */
export function faceUpsert(points: Array<{ id: number; vector: number[]; placement: FacePlacement | undefined }>) {
  return {
    wait: true,
    points: points.map(({ id, vector, placement }) => ({
      id,
      vector: { [FACE_VECTOR]: vector },
      payload: { face_id: id, photo_id: placement?.photoId ?? null },
    })),
  };
}

/** The nearest faces to a descriptor, optionally only among the given face ids. */
export function faceNearestQuery(vector: number[], limit: number, ids?: ReadonlySet<number> | null) {
  return {
    query: vector,
    using: FACE_VECTOR,
    limit,
    params: RESCORED,
    with_payload: false,
    ...(ids ? { filter: { must: [{ has_id: [...ids] }] } } : {}),
  };
}
