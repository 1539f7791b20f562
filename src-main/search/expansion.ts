// Query expansion from WordNet: each content word of a query brings its closest relatives (synonyms, then narrower
// and broader words) from the compact table scripts/build-wordnet-table.ts makes, weighted by closeness and kept
// only when the library or the model's tokenizer knows them, so "crimson" can find red photos.
import type { QueryExpansion } from '../../src-preload/api';
import { foldTerm } from './suggestions-vocabulary';

/** Words that carry no content of their own in a photo query; everything else is looked up. */
const FUNCTION_WORDS = new Set(
  'a an the of and or with without in on at by for from to into onto over under near my our your his her their this that these those is are was were photo photos picture pictures image images'.split(' '),
);
const RELATIONS = { s: 'synonym', b: 'broader', n: 'narrower' } as const;
export const MAX_EXPANSIONS_PER_WORD = 3;
export const MAX_EXPANSIONS = 8;
/** Words after this many are not expanded: a long description already says what it means. */
const MAX_EXPANDED_WORDS = 6;

type Table = Map<string, string>;
let table: Promise<Table> | null = null;

/** The table is a ~2.4 MB module: loaded and split into a map on the first expanded query, not at start-up. */
export function wordnetTable(): Promise<Table> {
  table ??= import('./expansion-wordnet-table').then(({ WORDNET_EXPANSIONS }) => {
    const entries: Table = new Map();
    for (const line of WORDNET_EXPANSIONS.split('\n')) {
      const tab = line.indexOf('\t');
      entries.set(line.slice(0, tab), line.slice(tab + 1));
    }
    return entries;
  });
  return table;
}

export interface ExpansionOptions {
  /** Whether a term is worth adding: known to the library's vocabulary or to the model's tokenizer. */
  isKnown: (term: string) => boolean;
  /** Terms the person removed (their chips). */
  without?: readonly string[];
}

/** The related words of `query`'s content words, best first, at most MAX_EXPANSIONS in all. */
export async function expandQuery(query: string, options: ExpansionOptions): Promise<QueryExpansion[]> {
  const entries = await wordnetTable();
  const words = (query.match(/\p{L}[\p{L}\p{M}'’-]*/gu) ?? []).map(foldTerm);
  const inQuery = new Set(words);
  const without = new Set((options.without ?? []).map(foldTerm));
  const content = [...new Set(words.filter((word) => word.length > 2 && !FUNCTION_WORDS.has(word)))].slice(0, MAX_EXPANDED_WORDS);
  const found: QueryExpansion[] = [];
  for (const word of content) {
    const entry = entries.get(word) ?? entries.get(singular(word, entries));
    if (!entry) continue;
    let taken = 0;
    for (const item of entry.split(';')) {
      if (taken === MAX_EXPANSIONS_PER_WORD) break;
      const [term, weight, relation] = item.split('|') as [string, string, keyof typeof RELATIONS];
      if (inQuery.has(term) || without.has(term) || found.some((known) => known.term === term) || !options.isKnown(term)) continue;
      found.push({ word, term, relation: RELATIONS[relation], weight: Number(weight) });
      taken++;
    }
  }
  return found.sort((a, b) => b.weight - a.weight).slice(0, MAX_EXPANSIONS);
}

/** "dogs" → "dog", "puppies" → "puppy", "beaches" → "beach": the plural endings WordNet's own morphology strips. */
function singular(word: string, entries: Table): string {
  for (const [ending, replacement] of [
    ['ies', 'y'],
    ['ches', 'ch'],
    ['shes', 'sh'],
    ['ses', 's'],
    ['xes', 'x'],
    ['s', ''],
  ] as const) {
    if (word.endsWith(ending) && word.length > ending.length + 2) {
      const stem = word.slice(0, -ending.length) + replacement;
      if (entries.has(stem)) return stem;
    }
  }
  return word;
}

/** Templates of the CLIP paper's prompt ensembling, for queries of a word or two. */
export const PROMPT_TEMPLATES = ['a photo of {}.', 'a picture of {}.', 'a close-up photo of {}.', 'a photo of the {}.'];
export const SHORT_QUERY_WORDS = 2;

/**
 * The query vector: the query's embedding (weight 1) plus its expansions' at their weights, summed and normalised,
 * so the query stays the largest part. When the query itself embeds to nothing (words the model does not know),
 * the expansions carry it alone. Returns null when every part is zero.
 */
export function weightedQueryVector(parts: Array<{ vector: Float32Array; weight: number }>): Float32Array | null {
  const first = parts[0]?.vector;
  if (!first) return null;
  const sum = new Float32Array(first.length);
  for (const { vector, weight } of parts) {
    const norm = Math.hypot(...vector);
    if (norm === 0 || !Number.isFinite(norm)) continue;
    for (let i = 0; i < sum.length; i++) sum[i]! += (weight * vector[i]!) / norm;
  }
  const total = Math.hypot(...sum);
  if (total === 0) return null;
  for (let i = 0; i < sum.length; i++) sum[i]! /= total;
  return sum;
}
