// Browser mode listens on loopback, but any local process or web page could still call it: every request must
// carry the per-run token in a header (the page's own link carries it once, in the URL), and never in a cookie —
// cookies are scoped to a host, not a port, so every other server on 127.0.0.1 would receive it.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-glimpse-token';
/** The cookie older versions set; only ever cleared now. */
export const LEGACY_TOKEN_COOKIE = 'glimpse_token';
export const CLEAR_LEGACY_COOKIE = `${LEGACY_TOKEN_COOKIE}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict`;

export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The token sent in `X-Glimpse-Token` or `Authorization: Bearer`; anything else is no token at all. */
export function headerToken(req: IncomingMessage): string | null {
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string' && header) return header;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length);
  return null;
}

/** Whether the browser still holds the old token cookie; read without decoding, so a malformed one cannot throw. */
export function hasLegacyCookie(req: IncomingMessage): boolean {
  const cookie = req.headers.cookie;
  return typeof cookie === 'string' && new RegExp(`(^|;)\\s*${LEGACY_TOKEN_COOKIE}=`).test(cookie);
}

export function tokenMatches(presented: string | null, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Refuses DNS-rebinding: a page on another origin that resolves to 127.0.0.1 still sends its own Host. */
export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  if (!host) return false;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}
