// What a browser sees at a Glimpse address without the token (someone who ran `npm start` and typed the address, or
// a reload after the page dropped the token from the address bar): a short page, not a JSON error.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** Where the page keeps the token for this tab, so a reload can ask for the page again with it. */
export const SESSION_TOKEN_KEY = 'glimpse-token';

// A reload lands here without the token: send it again once from this tab's storage. A token already in the address
// means it was refused (the server restarted with a new one), so it is forgotten instead of retried in a loop.
const RETRY_SCRIPT =
  `(function(){var u=new URL(location.href);var s=window.sessionStorage;` +
  `if(u.searchParams.has('token')){s.removeItem('${SESSION_TOKEN_KEY}');return;}` +
  `var t=s.getItem('${SESSION_TOKEN_KEY}');if(t){u.searchParams.set('token',t);location.replace(u.href);}})();`;

const STYLE =
  'body{background:#1b1b2a;color:#f4f0e8;font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:12vh auto;padding:0 1.5rem}' +
  'code{background:#2c2c44;padding:0 .3em}';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const SIGN_IN_CSP =
  `default-src 'none'; script-src ${sha256(RETRY_SCRIPT)}; style-src ${sha256(STYLE)}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Glimpse — open the link from the terminal</title><style>${STYLE}</style></head>
<body><h1>Open Glimpse from its link</h1>
<p>This address needs the access key Glimpse prints when it starts. Look in the terminal where you ran
<code>npm start</code> or <code>glimpse serve</code> for the line “Glimpse is running in browser mode: http://…”, and open that
link.</p>
<p>The key changes every time Glimpse starts, so an old link or bookmark stops working after a restart.</p>
<script>${RETRY_SCRIPT}</script></body></html>
`;

/** Whether the client is a browser asking for a page (rather than a program expecting JSON). */
export function wantsHtml(accept: string | undefined): boolean {
  return typeof accept === 'string' && accept.includes('text/html');
}

export function sendSignInPage(res: ServerResponse): void {
  res.writeHead(401, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': SIGN_IN_CSP,
    'cache-control': 'no-store',
  });
  res.end(PAGE);
}
