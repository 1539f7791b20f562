// PostgreSQL for the tests: `npm test` starts a local server and sets GLIMPSE_TEST_POSTGRES_URL; running vitest by
// hand needs the same variable, and its absence is an error rather than a silent skip. Each suite gets its own database.
import pg from 'pg';

export function requirePostgresUrl(): string {
  const url = process.env.GLIMPSE_TEST_POSTGRES_URL;
  if (!url) {
    throw new Error(
      'GLIMPSE_TEST_POSTGRES_URL is not set: run the suite with `npm test` (it starts PostgreSQL), or point it at a server where the user may CREATE DATABASE',
    );
  }
  return url;
}

async function asAdmin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: requirePostgresUrl() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one suite, dropped (with its connections) by `drop`. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  await asAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(requirePostgresUrl());
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropDatabase(name) };
}

/**
 * FORCE ends the suite's own connections, but a non-superuser may not end an autovacuum worker that happens to be in
 * the database at that moment (PostgreSQL < 18: "must be a member of the role whose process is being terminated"):
 * such a worker is done in moments, so the drop is tried again.
 */
async function dropDatabase(name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } catch (error) {
      if ((error as { code?: string }).code !== '42501' || attempt === 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
