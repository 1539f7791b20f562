// The text index on PostgreSQL: a weighted tsvector generated from text_documents, a GIN index, ts_rank_cd for
// the order and ts_headline for excerpts; ts_stat over the unstemmed words gives the vocabulary.
import { type Kysely, sql } from 'kysely';
import type { TextField } from '../../src-preload/api';
import type { CatalogSchema } from './schema';
import { FIELD_OF_COLUMN, MATCH_END, MATCH_START, type TermCount, type TextIndexEngine, type TextVocabulary } from './text-index-engine';
import { TEXT_FIELDS } from './text-index-migrations';

/** ts_rank_cd weights for classes {D, C, B, A}: caption, printed/path words, descriptions, what people named. */
const CLASS_WEIGHTS = '{0.1, 0.3, 0.5, 1.0}';
const HEADLINE_OPTIONS = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, MaxWords=18, MinWords=6, MaxFragments=2, FragmentDelimiter=" … "`;
const ALL_WORDS = `concat_ws(' ', ${TEXT_FIELDS.join(', ')})`;

/** Terms hold only letters, digits and marks, so they are plain operands of to_tsquery, never operators. */
function tsQuery(terms: string[], mode: 'all' | 'any', prefixLast: boolean): string {
  const operands = terms.map((t, i) => (prefixLast && i === terms.length - 1 && t.length >= 2 ? `${t}:*` : t));
  return operands.join(mode === 'all' ? ' & ' : ' | ');
}

const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class PostgresTextIndex implements TextIndexEngine {
  readonly description = 'PostgreSQL tsvector (english, GIN, ts_rank_cd)';
  readonly vocabulary: TextVocabulary;

  constructor(private readonly db: Kysely<CatalogSchema>) {
    const stat = sql.raw(`ts_stat('select to_tsvector(''simple'', ${ALL_WORDS.replace(/'/g, "''")}) from text_documents')`);
    this.vocabulary = {
      terms: async (prefix, limit) => {
        const rows = await sql<TermCount>`
          select word as term, ndoc as count from ${stat}
          where word like ${likePrefix(prefix.normalize('NFKC').toLowerCase())} order by ndoc desc, word limit ${limit}`.execute(this.db);
        return rows.rows.map((r) => ({ term: r.term, count: Number(r.count) }));
      },
      allTerms: async () => {
        const rows = await sql<TermCount>`select word as term, ndoc as count from ${stat} order by word`.execute(this.db);
        return rows.rows.map((r) => ({ term: r.term, count: Number(r.count) }));
      },
    };
  }

  async hasTerm(term: string): Promise<boolean> {
    const rows = await sql`select 1 from text_documents where document @@ to_tsquery('english', ${tsQuery([term], 'all', false)}) limit 1`.execute(this.db);
    return rows.rows.length > 0;
  }

  async match(terms: string[], mode: 'all' | 'any', limit: number, prefixLast: boolean) {
    const rows = await sql<{ id: number; rank: number }>`
      select image_id as id, ts_rank_cd(${CLASS_WEIGHTS}::float4[], document, q, 1) as rank
      from text_documents, to_tsquery('english', ${tsQuery(terms, mode, prefixLast)}) q
      where document @@ q order by rank desc, image_id limit ${limit}`.execute(this.db);
    return rows.rows.map((r) => ({ id: Number(r.id), raw: Number(r.rank) }));
  }

  async markedSnippets(terms: string[], ids: number[], prefixLast: boolean) {
    const headlines = TEXT_FIELDS.map(
      (f, i) =>
        `case when to_tsvector('english', coalesce(${f}, '')) @@ q then ts_headline('english', ${f}, q, '${HEADLINE_OPTIONS}') end as s${i}`,
    ).join(', ');
    const out = new Map<number, Array<{ field: TextField; marked: string }>>();
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      const rows = await sql<Record<string, unknown>>`
        select image_id as id, ${sql.raw(headlines)} from text_documents, to_tsquery('english', ${tsQuery(terms, 'any', prefixLast)}) q
        where image_id in (${sql.join(batch)}) and document @@ q`.execute(this.db);
      for (const row of rows.rows) {
        const fields = FIELD_OF_COLUMN.map((field, c) => ({ field, marked: String(row[`s${c}`] ?? '') })).filter((f) => f.marked.includes(MATCH_START));
        out.set(Number(row.id), fields);
      }
    }
    return out;
  }

  async sizeBytes(): Promise<number> {
    const row = await sql<{ n: number }>`select pg_total_relation_size('text_documents') as n`.execute(this.db);
    return Number(row.rows[0]?.n ?? 0);
  }

  async documentCount(): Promise<number> {
    const row = await sql<{ n: number }>`select count(*) as n from text_documents`.execute(this.db);
    return Number(row.rows[0]?.n ?? 0);
  }
}
