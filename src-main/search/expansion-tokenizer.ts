// Which words the model's tokenizer holds as a single piece ("▁dog"): an expansion term the text tower would only
// see as letter fragments adds noise, not meaning, so expansion keeps terms the tokenizer or the library knows.
import { readFile } from 'node:fs/promises';

const WORD_BOUNDARY = '▁';

/** The whole words of a Hugging Face tokenizer.json (Unigram, WordPiece or BPE vocabularies), folded to lower case. */
export async function readTokenizerWords(file: string): Promise<Set<string>> {
  const json = JSON.parse(await readFile(file, 'utf8')) as { model?: { vocab?: unknown } };
  const vocab = json.model?.vocab;
  const pieces: string[] = Array.isArray(vocab)
    ? vocab.map((entry) => (Array.isArray(entry) ? String(entry[0]) : String(entry)))
    : vocab && typeof vocab === 'object'
      ? Object.keys(vocab)
      : [];
  const words = new Set<string>();
  for (const piece of pieces) {
    if (piece.startsWith(WORD_BOUNDARY) && piece.length > 2) words.add(piece.slice(1).toLowerCase());
    else if (piece.startsWith('Ġ') && piece.length > 2) words.add(piece.slice(1).toLowerCase());
  }
  return words;
}
