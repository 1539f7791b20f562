// The in-memory vocabulary under spelling and suggestions: banded edit distances agree with the textbook table,
// prefixes come back most used first, and a typo in the word being typed still finds it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistance, foldTerm, prefixEditDistance, VocabularyIndex } from '../../src-main/search/suggestions-vocabulary';

/** Optimal string alignment distance, the full table, no shortcuts. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

const word = fc.string({ unit: fc.constantFrom(...'abcde'), minLength: 1, maxLength: 9 });

describe('vocabulary', () => {
  it('computes the same capped edit distance as the full table', () => {
    fc.assert(
      fc.property(word, word, fc.integer({ min: 1, max: 2 }), (a, b, max) => {
        expect(editDistance(a, b, max)).toBe(Math.min(reference(a, b), max + 1));
      }),
      { numRuns: 2000 },
    );
  });

  it('measures a typed prefix against the closest beginning of a word', () => {
    fc.assert(
      fc.property(word, word, fc.integer({ min: 1, max: 2 }), (typed, term, max) => {
        let best = max + 1;
        for (let length = 0; length <= term.length; length++) best = Math.min(best, reference(typed, term.slice(0, length)));
        expect(prefixEditDistance(typed, term, max)).toBe(best);
      }),
      { numRuns: 2000 },
    );
  });

  it('folds case and accents, merges spellings, and lists prefixes by how many photos use them', async () => {
    const index = new VocabularyIndex([
      { term: 'Kraków', count: 3, source: 'folder' },
      { term: 'krakow', count: 1, source: 'file' },
      { term: 'kraken', count: 9, source: 'caption' },
      { term: 'Krzysztof', count: 2, source: 'person' },
    ]);
    expect(foldTerm('KRAKÓW')).toBe('krakow');
    // Sources overlap (a folder name is also in the text index), so a word counts the photos of its largest source.
    expect(index.get('KRAKOW')).toMatchObject({ term: 'Kraków', count: 3, source: 'folder' });
    expect((await index.terms('kr', 10)).map((t) => t.term)).toEqual(['kraken', 'Kraków', 'Krzysztof']);
    expect((await index.terms('kra', 1)).map((t) => t.term)).toEqual(['kraken']);
    expect(index.withFuzzyPrefix('krzs', 1, 5).map((t) => t.term)).toEqual(['Krzysztof']);
    expect(index.near('krakw', 1, 5).map((t) => t.term)).toEqual(['Kraków']);
  });
});
