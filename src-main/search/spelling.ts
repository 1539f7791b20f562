// Spelling correction for search queries: SymSpell candidates from an English frequency dictionary plus the
// library's own words, weighted up, so a name or a rare word the library uses is never "corrected" away. Only
// misspelt words change; the rest of the query (case, spacing, quotes, emoji, other scripts) stays as typed.
import { LRUCache } from 'lru-cache';
import type { SpellCheckResult, SpellingChange } from '../../src-preload/api';
import type { WordDictionary } from './spelling-dictionary';
import { foldTerm, type VocabularyIndex } from './suggestions-vocabulary';

/** How many alternative queries come back besides the best one. */
const MAX_SUGGESTIONS = 5;
/** Longer queries are left alone after this many words: nobody types 200 words into a photo search box. */
const MAX_CHECKED_WORDS = 32;
/**
 * A library word at the same edit distance beats all but the most common English words: one photo of a "tram"
 * outranks "term" for "tarm", while a hundred files named "teh" still do not outrank "the" (~2·10⁹ in the corpus).
 * Growing with the logarithm of its photo count keeps a big library from drowning the dictionary.
 */
const LIBRARY_WEIGHT = 100_000_000;

/** Letters only (apostrophes inside a word kept), so numbers, emoji and punctuation are never touched. */
const WORD = /\p{L}[\p{L}\p{M}'’]*/gu;
const LATIN_WORD = /^[\p{Script=Latin}\p{M}'’]+$/u;

interface Candidate {
  folded: string;
  display: string;
  distance: number;
  weight: number;
}

export class SpellChecker {
  /** Answers per vocabulary: the same query is checked on every search of it, and a new vocabulary starts afresh. */
  private readonly answers = new WeakMap<VocabularyIndex, LRUCache<string, SpellCheckResult>>();

  constructor(
    private readonly dictionary: WordDictionary,
    private readonly vocabulary: () => Promise<VocabularyIndex>,
  ) {}

  async check(query: string): Promise<SpellCheckResult> {
    const library = await this.vocabulary();
    let answers = this.answers.get(library);
    if (!answers) this.answers.set(library, (answers = new LRUCache({ max: 500 })));
    const known = answers.get(query);
    if (known) return known;
    const result = await this.checkAgainst(query, library);
    answers.set(query, result);
    return result;
  }

  private async checkAgainst(query: string, library: VocabularyIndex): Promise<SpellCheckResult> {
    const words = checkableWords(query);
    if (words.length === 0) return { query, corrected: query, suggestions: [], changed: [] };
    const unknown = words.filter((word) => !library.get(word.folded));
    const byEdits = new Map<number, typeof unknown>();
    for (const word of unknown) byEdits.set(word.maxEdits, [...(byEdits.get(word.maxEdits) ?? []), word]);
    const dictionaryAnswers = new Map<string, Awaited<ReturnType<WordDictionary['lookup']>>[number]>();
    for (const [maxEdits, group] of byEdits) {
      // The dictionary holds plain lower-case English: try the word as typed and without its accents.
      const keys = [...new Set(group.flatMap((word) => [word.lower, word.folded]))];
      const answers = await this.dictionary.lookup(keys, maxEdits);
      keys.forEach((key, i) => dictionaryAnswers.set(key, answers[i] ?? []));
    }

    const alternatives = new Map<SpelledWord, Candidate[]>();
    for (const word of unknown) {
      const fromDictionary = [...(dictionaryAnswers.get(word.lower) ?? []), ...(dictionaryAnswers.get(word.folded) ?? [])];
      if (fromDictionary.some((candidate) => candidate.distance === 0)) continue;
      const candidates = new Map<string, Candidate>();
      for (const { term, distance, count } of fromDictionary) {
        const folded = foldTerm(term);
        const known = candidates.get(folded);
        if (!known || known.distance > distance) candidates.set(folded, { folded, display: term, distance, weight: count });
      }
      for (const near of library.near(word.folded, word.maxEdits, 20)) {
        const known = candidates.get(near.folded);
        const weight = (known?.distance === near.edits ? known.weight : 0) + LIBRARY_WEIGHT * (1 + Math.log10(near.count));
        if (!known || known.distance >= near.edits) candidates.set(near.folded, { folded: near.folded, display: near.term, distance: near.edits, weight });
      }
      const ranked = [...candidates.values()].sort((a, b) => a.distance - b.distance || b.weight - a.weight);
      if (ranked.length > 0) alternatives.set(word, ranked.slice(0, MAX_SUGGESTIONS));
    }
    if (alternatives.size === 0) return { query, corrected: query, suggestions: [], changed: [] };

    const best = new Map([...alternatives].map(([word, ranked]) => [word, ranked[0]!]));
    const corrected = rewrite(query, best);
    const changed: SpellingChange[] = [...best].map(([word, candidate]) => ({ from: word.text, to: matchCase(word.text, candidate.display) }));
    // Alternatives vary the first corrected word and keep the best choice for the others.
    const [firstWord, firstRanked] = [...alternatives][0]!;
    const suggestions = [...new Set(firstRanked.map((candidate) => rewrite(query, new Map([...best, [firstWord, candidate]]))))];
    return { query, corrected, suggestions, changed };
  }
}

interface SpelledWord {
  text: string;
  start: number;
  lower: string;
  folded: string;
  maxEdits: number;
}

/**
 * The words worth checking: Latin-script letters only (the dictionary is English; other scripts are left as
 * written), at least three letters, not glued to digits or underscores (file names such as IMG_2041).
 */
function checkableWords(query: string): SpelledWord[] {
  const words: SpelledWord[] = [];
  for (const match of query.matchAll(WORD)) {
    if (words.length === MAX_CHECKED_WORDS) break;
    const text = match[0].replace(/['’]+$/u, '');
    const start = match.index;
    const before = query[start - 1] ?? '';
    const after = query[start + match[0].length] ?? '';
    if (text.length < 3 || !LATIN_WORD.test(text) || /[\d_]/.test(before) || /[\d_]/.test(after)) continue;
    words.push({ text, start, lower: text.toLowerCase(), folded: foldTerm(text), maxEdits: text.length <= 4 ? 1 : 2 });
  }
  return words;
}

function rewrite(query: string, replacements: Map<SpelledWord, Candidate>): string {
  let out = '';
  let at = 0;
  for (const [word, candidate] of [...replacements].sort(([a], [b]) => a.start - b.start)) {
    out += query.slice(at, word.start) + matchCase(word.text, candidate.display);
    at = word.start + word.text.length;
  }
  return out + query.slice(at);
}

/** "Sunst" → "Sunset", "SUNST" → "SUNSET"; a library spelling with capitals ("Siobhan") keeps them. */
function matchCase(typed: string, replacement: string): string {
  if (typed.length > 1 && typed === typed.toUpperCase()) return replacement.toUpperCase();
  if (typed[0] && typed[0] === typed[0].toUpperCase() && typed[0] !== typed[0].toLowerCase()) {
    return replacement[0]!.toUpperCase() + replacement.slice(1);
  }
  return replacement;
}
