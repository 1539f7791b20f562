// Browser mode's page learns its access token once, from the page the terminal's link opened; it keeps it for this
// tab only (sessionStorage, so a reload can ask for the page again) and takes it out of the address bar and the DOM,
// where a screenshot, a shared link or the history would otherwise carry it.
export const SESSION_TOKEN_KEY = 'glimpse-token';

export interface PageCredentials {
  token: string;
  pageKey: string;
}

export function takePageCredentials(win: Window): PageCredentials | null {
  const doc = win.document;
  const tokenMeta = doc.querySelector<HTMLMetaElement>('meta[name="glimpse-token"]');
  const keyMeta = doc.querySelector<HTMLMetaElement>('meta[name="glimpse-page-key"]');
  const token = tokenMeta?.content ?? '';
  const pageKey = keyMeta?.content ?? '';
  tokenMeta?.remove();
  keyMeta?.remove();
  const address = new URL(win.location.href);
  if (address.searchParams.has('token')) {
    address.searchParams.delete('token');
    win.history.replaceState(win.history.state, '', `${address.pathname}${address.search}${address.hash}`);
  }
  if (!token || !pageKey) return null;
  try {
    win.sessionStorage.setItem(SESSION_TOKEN_KEY, token);
  } catch {
    // Storage can be disabled; the page still works until it is reloaded.
  }
  return { token, pageKey };
}
