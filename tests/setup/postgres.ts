// Where the PostgreSQL contract tests connect: `npm test` starts a local server and sets the URL; running vitest
// by hand needs the same variable, and its absence is an error rather than a silent skip.
export function requirePostgresUrl(): string {
  const url = process.env.GLIMPSE_TEST_POSTGRES_URL;
  if (!url) {
    throw new Error(
      'GLIMPSE_TEST_POSTGRES_URL is not set: run the suite with `npm test` (it starts PostgreSQL), or point it at a server where the user may CREATE DATABASE',
    );
  }
  return url;
}
