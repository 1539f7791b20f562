// Tells a catalog server that went away (restarted, network dropped) from a query that failed on its own merits, so the
// indexer waits and tries again instead of marking photos failed because the database was gone for a moment.

/** Socket errors that mean the server could not be reached or the connection broke. */
const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** SQLSTATEs of a server that is shutting down or starting up (class 57P), or of a broken connection (class 08). */
function isServerStateAway(code: string): boolean {
  return code === '57P01' || code === '57P02' || code === '57P03' || code.startsWith('08');
}

/** What pg says, without a code, when a connection dies under it or cannot be made in time. */
const CONNECTION_MESSAGES = [/^Connection terminated/i, /timeout exceeded when trying to connect/i, /is not queryable/i];

export function isCatalogServerAway(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || isServerStateAway(code))) return true;
  const message = error instanceof Error ? error.message : '';
  return CONNECTION_MESSAGES.some((pattern) => pattern.test(message));
}

/** The cause in a few words, for a notice like "PostgreSQL at host:5432/db went away: connection lost (ECONNRESET)". */
export function catalogAwayCause(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return `unreachable (${code})`;
  }
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return `connection lost (${code})`;
  if (code === '57P01' || code === '57P02') return `the server is shutting down (${code}: ${message})`;
  if (code === '57P03') return `the server is starting up (${code}: ${message})`;
  return `connection lost (${typeof code === 'string' ? `${code}: ` : ''}${message})`;
}
