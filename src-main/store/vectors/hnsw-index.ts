// The one shape of HNSW graph the embedded stores build, shared by the store and the worker thread that rebuilds
// (compacts) its graph, so a graph built off the main thread loads back as the same kind of index.
import usearch from 'usearch';

export type HnswIndex = InstanceType<typeof usearch.Index>;

export interface HnswSettings {
  /** Graph degree (HNSW M). */
  connectivity: number;
  expansionAdd: number;
  expansionSearch: number;
}

export function newHnswIndex(dimensions: number, { connectivity, expansionAdd, expansionSearch }: HnswSettings): HnswIndex {
  return new usearch.Index({
    dimensions,
    metric: usearch.MetricKind.Cos,
    quantization: usearch.ScalarKind.F16,
    connectivity,
    expansion_add: expansionAdd,
    expansion_search: expansionSearch,
    multi: false,
  });
}
