// The text index seam: photos found by the words written about them, one interface over SQLite FTS5 and
// PostgreSQL tsvector. A query becomes plain terms first (no operator of either engine survives), is searched
// for photos with all terms, then any term, and the engine's own ranking orders each tier.
import type { MatchedField } from '../../src-preload/api';
import type { CatalogDatabase } from './database';
import { FIELD_OF_COLUMN, MATCH_END, MATCH_START, type TextIndexEngine, type TextVocabulary } from './text-index-engine';
import { PostgresTextIndex } from './text-index-postgres';
import { SqliteTextIndex } from './text-index-sqlite';
import { ENGLISH_STOP_WORDS } from './text-index-stop-words';

export const MAX_QUERY_TERMS = 32;
const MAX_TERM_LENGTH = 64;

export type { TermCount, TextVocabulary } from './text-index-engine';

export interface QueryTerms {
  terms: string[];
  /** Words dropped because they carry no meaning on their own ("the", "of"). */
  stopWords: string[];
}

/**
 * The words of a query, lower-cased: runs of letters and digits (with their combining marks), so quotes, `*`, `-`,
 * `:`, parentheses and NEAR are never operators. The last word is matched as a prefix (search as you type).
 */
export function queryTerms(query: string): QueryTerms {
  const words = query.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu) ?? [];
  const terms: string[] = [];
  const stopWords: string[] = [];
  for (const word of words) {
    const term = word.slice(0, MAX_TERM_LENGTH);
    if (ENGLISH_STOP_WORDS.has(term)) stopWords.push(term);
    else if (!terms.includes(term) && terms.length < MAX_QUERY_TERMS) terms.push(term);
  }
  return { terms, stopWords };
}

export interface TextMatch {
  id: number;
  /** 1-based position in the text ranking. */
  rank: number;
  /**
   * 1 + relative engine score for photos with every term, the relative engine score (0..1] for photos with some; a
   * photo found through an alternative has its relative score scaled by that alternative's weight.
   */
  score: number;
  allTerms: boolean;
  /** Which alternative found it (an index into the alternatives searched), or null: the words as typed. */
  alternative: number | null;
}

/** Another wording of the query (a word replaced by a related one) and how much a match through it counts, < 1. */
export interface WeightedTerms {
  terms: string[];
  weight: number;
}

type RawMatch = { id: number; raw: number };

/** An excerpt with markers → the excerpt and the ranges that matched. */
export function parseMarked(marked: string): { snippet: string; highlights: Array<[number, number]> } {
  let snippet = '';
  const highlights: Array<[number, number]> = [];
  let start = -1;
  for (const ch of marked) {
    if (ch === MATCH_START) start = snippet.length;
    else if (ch === MATCH_END) {
      if (start >= 0 && snippet.length > start) highlights.push([start, snippet.length]);
      start = -1;
    } else snippet += ch;
  }
  return { snippet, highlights };
}

export class TextIndex {
  constructor(private readonly engine: TextIndexEngine) {}

  get description(): string {
    return this.engine.description;
  }

  get vocabulary(): TextVocabulary {
    return this.engine.vocabulary;
  }

  /**
   * A last word no photo has as a whole word is taken as the start of one (search as you type: "reykja"); a word
   * the library knows is taken as typed, so "red" does not also mean "reddish" — and no costly prefix expansion runs.
   */
  private async prefixLast(terms: string[]): Promise<boolean> {
    const last = terms.at(-1);
    return last !== undefined && last.length >= 2 && !(await this.engine.hasTerm(last));
  }

  /** Photos with every term, then photos with some of them, each tier in the engine's rank order. */
  private async tiers(terms: string[], limit: number, prefixLast: boolean) {
    const all = await this.engine.match(terms, 'all', limit, prefixLast);
    const any = terms.length > 1 && all.length < limit ? await this.engine.match(terms, 'any', limit, prefixLast) : [];
    return { all, any };
  }

  /**
   * Photos with every term first, then photos with some of them, each tier in the engine's rank order. Each
   * alternative (the query with a word replaced by a related one) is searched too, its relative scores scaled by its
   * weight (< 1), and a photo keeps its best score: found by the words typed, or, less surely, by a related word.
   * Neither engine weighs single terms of one query, so the OR of weighted alternatives is combined here.
   */
  async search(terms: string[], limit: number, alternatives: readonly WeightedTerms[] = []): Promise<TextMatch[]> {
    if (terms.length === 0) return [];
    const best = new Map<number, Omit<TextMatch, 'rank'> & { order: number }>();
    const consider = (tiers: { all: RawMatch[]; any: RawMatch[] }, weight: number, alternative: number | null) => {
      for (const [rows, allTerms] of [[tiers.all, true], [tiers.any, false]] as const) {
        const top = Math.max(...rows.map((r) => r.raw), Number.MIN_VALUE);
        for (const row of rows) {
          const score = (allTerms ? 1 : 0) + (weight * Math.max(row.raw, 0)) / top;
          const seen = best.get(row.id);
          if (seen && seen.score >= score) continue;
          best.set(row.id, { id: row.id, score, allTerms, alternative, order: seen?.order ?? best.size });
        }
      }
    };
    consider(await this.tiers(terms, limit, await this.prefixLast(terms)), 1, null);
    for (const [i, alternative] of alternatives.entries()) {
      if (alternative.terms.length > 0) consider(await this.tiers(alternative.terms, limit, false), alternative.weight, i);
    }
    return [...best.values()]
      .sort((a, b) => b.score - a.score || a.order - b.order)
      .slice(0, limit)
      .map(({ order: _order, ...match }, i) => ({ ...match, rank: i + 1 }));
  }

  /** For each photo, the fields that matched (by the query's words or the related ones) with an excerpt and ranges. */
  async matchedFields(terms: string[], ids: number[], relatedTerms: readonly string[] = []): Promise<Map<number, MatchedField[]>> {
    const out = new Map<number, MatchedField[]>();
    if (terms.length === 0 || ids.length === 0) return out;
    // Related words go first: only the last term may be matched as a prefix, and it is the last word typed.
    const marked = await this.engine.markedSnippets([...relatedTerms.filter((t) => !terms.includes(t)), ...terms], ids, await this.prefixLast(terms));
    const order = new Map(FIELD_OF_COLUMN.map((field, i) => [field, i]));
    for (const [id, fields] of marked) {
      const matched = fields
        .map(({ field, marked: text }) => ({ field, ...parseMarked(text) }))
        .filter((f) => f.highlights.length > 0)
        .sort((a, b) => (order.get(a.field) ?? 0) - (order.get(b.field) ?? 0));
      if (matched.length > 0) out.set(id, matched);
    }
    return out;
  }

  sizeBytes(): Promise<number> {
    return this.engine.sizeBytes();
  }

  documentCount(): Promise<number> {
    return this.engine.documentCount();
  }
}

export function openTextIndex(database: CatalogDatabase): TextIndex {
  return new TextIndex(database.dialect === 'postgres' ? new PostgresTextIndex(database.db) : new SqliteTextIndex(database.db));
}
