// Cross-site request forgery: a page on another port of 127.0.0.1 is "same-site" to the browser, so SameSite rules do
// not help. A request that changes state must come from Glimpse's own origin, as the browser reports it.
import type { IncomingMessage } from 'node:http';

/**
 * Why a request does not come from the server's own page, or null when it does (or comes from a program that is no
 * browser: a browser always sends Origin on POST and Sec-Fetch-Site on every request).
 */
export function foreignOriginReason(req: IncomingMessage, options: { changesState: boolean }): string | null {
  const own = `http://${req.headers.host ?? ''}`;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== own) {
    return `A request from ${origin} is refused: only Glimpse's own page (${own}) may call its Api`;
  }
  const site = req.headers['sec-fetch-site'];
  if (site === undefined || site === 'same-origin') return null;
  // "none" is the person typing or pasting the address themselves; it never changes state.
  if (site === 'none' && !options.changesState) return null;
  return `A ${site} request is refused: only Glimpse's own page (${own}) may call its Api`;
}

/** The media type of a request body, without parameters, in lower case. */
export function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}
