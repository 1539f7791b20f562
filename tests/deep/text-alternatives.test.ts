// Deep search's text-side wordings of a query: one word replaced by a related one, closest relatives first, and no
// more of them than the index can search without slowing the query down.
import { describe, expect, it } from 'vitest';
import type { QueryExpansion } from '../../src-preload/api';
import { MAX_TEXT_ALTERNATIVES, textAlternatives } from '../../src-main/search/deep-search-expansion';

const relative = (word: string, term: string, weight: number): QueryExpansion => ({ word, term, relation: 'synonym', weight });

describe('text alternatives of a query', () => {
  it('replaces one word at a time, keeping the others', () => {
    const { alternatives, used } = textAlternatives(['red', 'birthday'], [relative('red', 'crimson', 0.8)]);
    expect(alternatives).toEqual([{ terms: ['crimson', 'birthday'], weight: 0.8 }]);
    expect(used.map((u) => u.term)).toEqual(['crimson']);
  });

  it('keeps the closest relatives when a long query has many, and reports only those as used', () => {
    const words = ['old', 'red', 'tram', 'street', 'night'];
    const expansions = words.flatMap((word, i) => [relative(word, `${word}a`, 0.4), relative(word, `${word}b`, 0.5 + i / 20)]);
    const { alternatives, used } = textAlternatives(words, expansions);
    expect(alternatives).toHaveLength(MAX_TEXT_ALTERNATIVES);
    expect(used.map((u) => u.term)).toEqual(['nightb', 'streetb', 'tramb', 'redb']);
    expect(alternatives.map((a) => a.weight)).toEqual([0.7, 0.65, 0.6, 0.55]);
  });

  it('leaves out prompt wordings and relatives made of stop-words', () => {
    const { alternatives } = textAlternatives(['exit'], [relative('exit', 'way out', 0.8), { word: 'exit', term: 'a photo of exit', relation: 'prompt', weight: 1 }]);
    expect(alternatives).toEqual([]);
  });
});
