// Recent and pinned searches, kept in the catalog on this machine only: the search box's history, the sidebar's
// pinned searches, and a clear button that forgets them. One row per query text, most recent first.
import { type Kysely, sql } from 'kysely';
import type { SearchHistoryEntry } from '../../src-preload/api';
import type { CatalogDatabase } from './database';

interface SearchHistoryTable {
  query: string;
  uses: number;
  last_used_at: string;
  pinned: number;
}

type HistoryDb = Kysely<{ search_history: SearchHistoryTable }>;

/** Unpinned entries beyond this are forgotten, oldest first: history is for going back, not an archive. */
export const MAX_RECENT_SEARCHES = 200;

function toEntry(row: SearchHistoryTable): SearchHistoryEntry {
  return { query: row.query, uses: Number(row.uses), lastUsedAt: row.last_used_at, pinned: Number(row.pinned) === 1 };
}

/** What one `record` changed: enough to take it back when the search turns out to be another (see `withdraw`). */
export interface RecordedSearch {
  query: string;
  /** The entry as it was before, or null when the record made it. */
  before: { uses: number; lastUsedAt: string } | null;
}

export class SearchHistoryStore {
  private readonly db: HistoryDb;

  constructor(database: CatalogDatabase) {
    this.db = database.db as unknown as HistoryDb;
  }

  /** Pinned searches first (in the order they were pinned or last used), then the most recent. */
  async list(limit = MAX_RECENT_SEARCHES): Promise<SearchHistoryEntry[]> {
    const rows = await this.db
      .selectFrom('search_history')
      .selectAll()
      .orderBy('pinned', 'desc')
      .orderBy('last_used_at', 'desc')
      .orderBy('query')
      .limit(limit)
      .execute();
    return rows.map(toEntry);
  }

  async record(query: string, at = new Date()): Promise<RecordedSearch> {
    const when = at.toISOString();
    const existing = await this.db.selectFrom('search_history').select(['uses', 'last_used_at']).where('query', '=', query).executeTakeFirst();
    await this.db
      .insertInto('search_history')
      .values({ query, uses: 1, last_used_at: when, pinned: 0 })
      .onConflict((conflict) => conflict.column('query').doUpdateSet({ uses: sql`search_history.uses + 1`, last_used_at: when }))
      .execute();
    const stale = await this.db
      .selectFrom('search_history')
      .select('query')
      .where('pinned', '=', 0)
      .orderBy('last_used_at', 'desc')
      .offset(MAX_RECENT_SEARCHES)
      .limit(1000)
      .execute();
    if (stale.length) await this.db.deleteFrom('search_history').where('query', 'in', stale.map((row) => row.query)).execute();
    return { query, before: existing ? { uses: Number(existing.uses), lastUsedAt: existing.last_used_at } : null };
  }

  /**
   * Takes one record back: the entry gets its count and time from before, or goes when the record made it — unless
   * it was pinned since, which keeps it (with no uses).
   */
  async withdraw(recorded: RecordedSearch): Promise<void> {
    const entry = this.db.updateTable('search_history').where('query', '=', recorded.query);
    if (recorded.before) {
      await entry.set({ uses: recorded.before.uses, last_used_at: recorded.before.lastUsedAt }).execute();
      return;
    }
    await this.db.deleteFrom('search_history').where('query', '=', recorded.query).where('pinned', '=', 0).execute();
    await entry.set({ uses: 0 }).execute();
  }

  /** Pins (or unpins) a search; pinning one never run before records it. */
  async pin(query: string, pinned: boolean): Promise<void> {
    await this.db
      .insertInto('search_history')
      .values({ query, uses: 0, last_used_at: new Date().toISOString(), pinned: pinned ? 1 : 0 })
      .onConflict((conflict) => conflict.column('query').doUpdateSet({ pinned: pinned ? 1 : 0 }))
      .execute();
  }

  async remove(query: string): Promise<void> {
    await this.db.deleteFrom('search_history').where('query', '=', query).execute();
  }

  /** Forgets the recent searches; pinned ones stay unless `includingPinned`. */
  async clear(includingPinned: boolean): Promise<number> {
    let query = this.db.deleteFrom('search_history');
    if (!includingPinned) query = query.where('pinned', '=', 0);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
