// What the search pipeline needs from the rest of the engine, declared here so search/ depends on nothing but
// these shapes: the ML layer supplies the embedders, the catalog supplies rows and filters.
import type { PhotoSummary, SearchFilters } from '../../src-preload/api';
import type { VectorFilter } from '../store/vectors/vector-store';

/** A model's text tower, with the learned logit scale and bias that turn a cosine into a match probability. */
export interface TextEmbedder {
  /** Identifies the model, so cached embeddings never cross models. */
  readonly modelId: string;
  /** exp(logit_scale) as used at inference, i.e. the factor multiplying the cosine (≈117 for SigLIP base). */
  readonly logitScale: number;
  readonly logitBias: number;
  embedText(query: string): Promise<Float32Array>;
}

/** A model's image tower, for "find similar" on a file outside the library. */
export interface ImageEmbedder {
  embedImageFile(path: string): Promise<Float32Array>;
}

export interface ExactDuplicate {
  photo: PhotoSummary;
  /** The other paths holding byte-identical copies of the photo. */
  copies: string[];
}

export interface SearchCatalog {
  /** Rows for the given ids; ids no longer in the library are missing from the map. */
  photos(ids: number[]): Promise<Map<number, PhotoSummary>>;
  /** Ids passing the filters, or null when the filters restrict nothing. */
  idsMatching(filters: SearchFilters): Promise<Set<number> | null>;
  /**
   * Optional: the filters in the form the vector store should get them (payload conditions on a server that keeps the
   * photos' fields in step); without it the store gets `idsMatching`'s ids.
   */
  vectorFilter?(filters: SearchFilters): Promise<VectorFilter>;
  /** The library photo at `path`, if the file is one. */
  idOfPath(path: string): Promise<number | null>;
  /** Photos stored under more than one path with identical content. */
  exactDuplicates(): Promise<ExactDuplicate[]>;
}
