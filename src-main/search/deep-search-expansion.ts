// Query expansion on deep search's text side: each related word (WordNet, as the vector side's expansion picks them)
// becomes another wording of the query's terms — "crimson birthday" for "red birthday" — searched with its weight.
import type { QueryExpansion } from '../../src-preload/api';
import { queryTerms, type WeightedTerms } from '../store/text-index';
import { foldTerm } from './suggestions-vocabulary';

/**
 * Each alternative costs the index one or two more queries: four (the closest relatives, by weight) keep the text side
 * near its no-expansion latency at 100k photos, where a relative for every word of a long query took 61 ms p50.
 */
export const MAX_TEXT_ALTERNATIVES = 4;

export interface TextAlternatives {
  alternatives: WeightedTerms[];
  /** The expansion behind each alternative, in the same order (what the response reports as used). */
  used: QueryExpansion[];
}

/**
 * The query's terms with one word replaced by each expansion, the closest first and at most MAX_TEXT_ALTERNATIVES of
 * them. An expansion whose words include a stop-word is left
 * out: the index drops those words, so "way out" would search for "way" alone and mean something else.
 */
export function textAlternatives(terms: readonly string[], expansions: readonly QueryExpansion[]): TextAlternatives {
  const alternatives: WeightedTerms[] = [];
  const used: QueryExpansion[] = [];
  const closestFirst = [...expansions].sort((a, b) => b.weight - a.weight);
  for (const expansion of closestFirst) {
    if (alternatives.length === MAX_TEXT_ALTERNATIVES) break;
    if (expansion.relation === 'prompt') continue;
    const at = terms.findIndex((term) => foldTerm(term) === expansion.word);
    const replacement = queryTerms(expansion.term);
    if (at < 0 || replacement.terms.length === 0 || replacement.stopWords.length > 0) continue;
    alternatives.push({ terms: [...new Set([...terms.slice(0, at), ...replacement.terms, ...terms.slice(at + 1)])], weight: expansion.weight });
    used.push(expansion);
  }
  return { alternatives, used };
}
