// Suggestions as you type: pinned and recent searches that start with what was typed, then completions of the
// last word (or of a whole person or folder name) from the library's own vocabulary, most used first, forgiving
// a typo in the word being typed. Pure and in-memory: a keystroke costs well under a millisecond.
import type { SearchHistoryEntry, Suggestion, SuggestionKind } from '../../src-preload/api';
import { foldTerm, type IndexedTerm, type TermSource, type VocabularyIndex } from './suggestions-vocabulary';

export const DEFAULT_SUGGESTION_LIMIT = 8;
/** History may fill at most this share of the list, so completions stay in sight. */
const MAX_HISTORY_SHARE = 0.5;

const KIND_OF_SOURCE: Record<TermSource, SuggestionKind> = {
  person: 'person',
  folder: 'folder',
  place: 'place',
  camera: 'word',
  caption: 'word',
  file: 'word',
};

export function suggest(prefix: string, limit: number, vocabulary: VocabularyIndex, history: readonly SearchHistoryEntry[]): Suggestion[] {
  const typed = prefix.replace(/^\s+/, '').replace(/\s+/g, ' ');
  if (!typed.trim() || limit < 1) {
    // An empty box offers the pinned and recent searches themselves.
    return history.slice(0, limit).map((entry) => ({ text: entry.query, kind: entry.pinned ? 'pinned' : 'recent', count: null }));
  }
  const folded = foldTerm(typed);
  const out: Suggestion[] = [];
  const seen = new Set<string>();
  const add = (suggestion: Suggestion) => {
    const key = foldTerm(suggestion.text.trim());
    if (seen.has(key) || out.length >= limit) return;
    seen.add(key);
    out.push(suggestion);
  };

  const historyLimit = Math.max(1, Math.floor(limit * MAX_HISTORY_SHARE));
  for (const entry of history) {
    if (out.length >= historyLimit) break;
    if (foldTerm(entry.query).startsWith(folded)) add({ text: entry.query, kind: entry.pinned ? 'pinned' : 'recent', count: null });
  }

  const lastSpace = typed.lastIndexOf(' ');
  const head = typed.slice(0, lastSpace + 1);
  const last = foldTerm(typed.slice(lastSpace + 1));
  const completions: IndexedTerm[] = [];
  // A whole name typed with its space ("siobhan ke…") completes as the name, not word by word.
  if (lastSpace > 0) completions.push(...vocabulary.withPrefix(folded, limit).filter((term) => term.folded.includes(' ')));
  if (last) completions.push(...vocabulary.withPrefix(last, limit * 2).filter((term) => lastSpace < 0 || !term.folded.includes(' ')));
  const byCount = completions.sort((a, b) => b.count - a.count);
  for (const term of byCount) {
    const text = term.folded.startsWith(folded) && lastSpace > 0 ? term.term : head + term.term;
    add({ text, kind: KIND_OF_SOURCE[term.source], count: term.count });
  }
  if (out.length < limit && last.length >= 3) {
    // Nothing (or little) starts with the word as typed: try words that start within an edit or two of it.
    for (const term of vocabulary.withFuzzyPrefix(last, last.length < 6 ? 1 : 2, limit)) {
      if (term.folded.includes(' ')) continue;
      add({ text: head + term.term, kind: KIND_OF_SOURCE[term.source], count: term.count });
    }
  }
  return out;
}
