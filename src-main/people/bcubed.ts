// BCubed precision and recall of a clustering against true labels (Amigó et al. 2009): per face, how much of its
// cluster shares its label and how much of its label shares its cluster. Used by the tests and the benchmark.

export function bcubed(clusterOf: ReadonlyMap<number, string>, labelOf: ReadonlyMap<number, string>): { precision: number; recall: number } {
  const ids = [...labelOf.keys()];
  let precision = 0;
  let recall = 0;
  for (const a of ids) {
    let sameCluster = 0;
    let sameLabel = 0;
    let both = 0;
    for (const b of ids) {
      const c = clusterOf.get(a) === clusterOf.get(b);
      const l = labelOf.get(a) === labelOf.get(b);
      if (c) sameCluster++;
      if (l) sameLabel++;
      if (c && l) both++;
    }
    precision += both / sameCluster;
    recall += both / sameLabel;
  }
  return { precision: precision / ids.length, recall: recall / ids.length };
}
