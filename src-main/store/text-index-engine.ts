// What each text index engine (SQLite FTS5, PostgreSQL tsvector) supplies to the shared TextIndex, and the few
// names both sides agree on: the field order and the markers around matched words in excerpts.
import type { TextField } from '../../src-preload/api';
import { TEXT_FIELDS } from './text-index-migrations';

/** Column name (as stored) → field name (as the contract spells it), in index column order. */
export const FIELD_OF_COLUMN: ReadonlyArray<TextField> = TEXT_FIELDS.map((column) =>
  column === 'file_name' ? 'fileName' : column === 'folder_name' ? 'folderName' : column,
) as TextField[];

export interface TermCount {
  term: string;
  /** How many photos use the term. */
  count: number;
}

/** The library's own words with how many photos use each: for spelling corrections and suggestions. */
export interface TextVocabulary {
  /** Terms starting with `prefix` (lower case, diacritics removed on SQLite), most used first. */
  terms(prefix: string, limit: number): Promise<TermCount[]>;
  allTerms(): Promise<TermCount[]>;
}

/** What each engine supplies: raw matches for a term list, snippets per field, the vocabulary and the size. */
export interface TextIndexEngine {
  readonly description: string;
  /** `prefixLast`: the last term also matches the words it begins (the person may still be typing it). */
  match(terms: string[], mode: 'all' | 'any', limit: number, prefixLast: boolean): Promise<Array<{ id: number; raw: number }>>;
  /** Marked-up excerpts (matches between \u0002 and \u0003) per photo, one per field that matched. */
  markedSnippets(terms: string[], ids: number[], prefixLast: boolean): Promise<Map<number, Array<{ field: TextField; marked: string }>>>;
  /** Whether any photo has this word (as a whole word, after stemming). */
  hasTerm(term: string): Promise<boolean>;
  readonly vocabulary: TextVocabulary;
  sizeBytes(): Promise<number>;
  documentCount(): Promise<number>;
}

export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';

