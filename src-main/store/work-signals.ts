// Wakes idle indexers of a shared PostgreSQL catalog the moment another process queues work (LISTEN/NOTIFY), instead of
// leaving them asleep until their next poll; SQLite has one indexer per library, which its own kicks already wake.
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { CatalogSchema } from './schema';

const CHANNEL = 'glimpse_work';

export interface WorkSignals {
  /** Tells every process listening on this catalog (this one included) that new work was queued and committed. */
  announce(): Promise<void>;
  /**
   * Calls `onWork` on each announcement, and once after a lost listening connection is back (announcements made while
   * it was away are gone). Resolves when listening; the returned function stops it.
   */
  listen(onWork: () => void): Promise<() => Promise<void>>;
}

export function postgresWorkSignals(connectionString: string, db: Kysely<CatalogSchema>): WorkSignals {
  let sending: Promise<void> | null = null;
  let again = false;
  const send = async (): Promise<void> => {
    do {
      again = false;
      await sql`select pg_notify(${CHANNEL}, '')`.execute(db);
    } while (again);
  };
  return {
    announce() {
      // Announcements that arrive while one is on its way fold into one more: listeners only need to know "look again".
      if (sending) {
        again = true;
        return sending;
      }
      sending = send().finally(() => {
        sending = null;
      });
      return sending;
    },

    async listen(onWork) {
      let stopped = false;
      let client: pg.Client | null = null;
      let retryMs = 1_000;
      let retry: NodeJS.Timeout | null = null;
      // LISTEN holds its own connection for as long as it listens, so it never takes a slot from the query pool.
      const connect = async (): Promise<void> => {
        const next = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
        next.on('notification', () => onWork());
        next.on('error', () => lose(next));
        next.on('end', () => lose(next));
        try {
          await next.connect();
          await next.query(`LISTEN ${CHANNEL}`);
        } catch (error) {
          await next.end().catch(() => {});
          throw error;
        }
        if (stopped) {
          await next.end().catch(() => {});
          return;
        }
        client = next;
        retryMs = 1_000;
      };
      const scheduleRetry = (): void => {
        if (stopped || retry) return;
        retry = setTimeout(() => {
          retry = null;
          connect().then(onWork, () => {
            retryMs = Math.min(30_000, retryMs * 2);
            scheduleRetry();
          });
        }, retryMs);
        retry.unref();
      };
      const lose = (lost: pg.Client): void => {
        if (client !== lost) return;
        client = null;
        void lost.end().catch(() => {});
        scheduleRetry();
      };
      await connect();
      return async () => {
        stopped = true;
        if (retry) clearTimeout(retry);
        const open = client as pg.Client | null;
        client = null;
        await open?.end().catch(() => {});
      };
    },
  };
}
