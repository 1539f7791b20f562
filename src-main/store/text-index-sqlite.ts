// The text index on SQLite: FTS5 over text_documents (external content, kept in step by triggers), ranked by bm25
// with per-column weights; the unstemmed text_terms table gives the vocabulary through fts5vocab.
import { type Kysely, sql } from 'kysely';
import type { CatalogSchema } from './schema';
import { FIELD_OF_COLUMN, MATCH_END, MATCH_START, type TermCount, type TextIndexEngine, type TextVocabulary } from './text-index-engine';
import { TEXT_FIELDS } from './text-index-migrations';

/** bm25 weights in column order (title, keywords, people, description, ocr, file, folder, caption): people's words first. */
const COLUMN_WEIGHTS = [10, 10, 10, 5, 3, 2, 2, 1];
const SNIPPET_TOKENS = 12;

/** Terms hold only letters, digits and marks, so quoting each makes it a plain phrase, never an operator. */
function ftsQuery(terms: string[], mode: 'all' | 'any', prefixLast: boolean): string {
  const quoted = terms.map((t, i) => (prefixLast && i === terms.length - 1 && t.length >= 2 ? `"${t}"*` : `"${t}"`));
  return quoted.join(mode === 'all' ? ' ' : ' OR ');
}

export class SqliteTextIndex implements TextIndexEngine {
  readonly description = 'SQLite FTS5 (porter unicode61, bm25)';
  readonly vocabulary: TextVocabulary;

  constructor(private readonly db: Kysely<CatalogSchema>) {
    this.vocabulary = {
      terms: async (prefix, limit) => {
        const start = prefix.normalize('NFKC').toLowerCase();
        const rows = await sql<TermCount>`
          select term, doc as count from text_terms_vocab
          where term >= ${start} and term < ${`${start}\u{10FFFF}`}
          order by doc desc, term limit ${limit}`.execute(this.db);
        return rows.rows.map((r) => ({ term: r.term, count: Number(r.count) }));
      },
      allTerms: async () => {
        const rows = await sql<TermCount>`select term, doc as count from text_terms_vocab order by term`.execute(this.db);
        return rows.rows.map((r) => ({ term: r.term, count: Number(r.count) }));
      },
    };
  }

  async hasTerm(term: string): Promise<boolean> {
    const rows = await sql`select rowid from text_index where text_index match ${ftsQuery([term], 'all', false)} limit 1`.execute(this.db);
    return rows.rows.length > 0;
  }

  async match(terms: string[], mode: 'all' | 'any', limit: number, prefixLast: boolean) {
    const weights = sql.raw(COLUMN_WEIGHTS.join(', '));
    const rows = await sql<{ id: number; rank: number }>`
      select rowid as id, bm25(text_index, ${weights}) as rank from text_index
      where text_index match ${ftsQuery(terms, mode, prefixLast)} order by rank, rowid limit ${limit}`.execute(this.db);
    // bm25 is lower-is-better and negative: its negation is a score where higher is better.
    return rows.rows.map((r) => ({ id: Number(r.id), raw: -Number(r.rank) }));
  }

  async markedSnippets(terms: string[], ids: number[], prefixLast: boolean) {
    const columns = TEXT_FIELDS.map((_, i) => `snippet(text_index, ${i}, char(2), char(3), '…', ${SNIPPET_TOKENS}) as s${i}`).join(', ');
    const out = new Map<number, Array<{ field: (typeof FIELD_OF_COLUMN)[number]; marked: string }>>();
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      const rows = await sql<Record<string, unknown>>`
        select rowid as id, ${sql.raw(columns)} from text_index
        where text_index match ${ftsQuery(terms, 'any', prefixLast)} and rowid in (${sql.join(batch)})`.execute(this.db);
      for (const row of rows.rows) {
        const fields = FIELD_OF_COLUMN.map((field, c) => ({ field, marked: String(row[`s${c}`] ?? '') })).filter(
          (f) => f.marked.includes(MATCH_START) && f.marked.includes(MATCH_END),
        );
        out.set(Number(row.id), fields);
      }
    }
    return out;
  }

  async sizeBytes(): Promise<number> {
    const row = await sql<{ n: number | null }>`
      select sum(pgsize) as n from dbstat where name = 'text_documents' or name like 'text_index%' or name like 'text_terms%'
        or name like 'sqlite_autoindex_text_documents%'`.execute(this.db);
    return Number(row.rows[0]?.n ?? 0);
  }

  async documentCount(): Promise<number> {
    const row = await sql<{ n: number }>`select count(*) as n from text_documents`.execute(this.db);
    return Number(row.rows[0]?.n ?? 0);
  }
}
