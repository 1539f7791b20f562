// The one kind of web page the desktop window may hand to the system browser: the map of a photo's GPS position that
// the details panel links to. Everything else a page tries to open stays denied. Free of Electron for unit tests.

const MAP_HOST = 'www.openstreetmap.org';
const COORDINATE = /^-?\d{1,3}(\.\d+)?$/;
const MAP_VIEW = /^#map=\d{1,2}\/-?\d{1,3}(\.\d+)?\/-?\d{1,3}(\.\d+)?$/;

function inRange(value: string | null, limit: number): boolean {
  return value !== null && COORDINATE.test(value) && Math.abs(Number(value)) <= limit;
}

/**
 * The address to give the system browser when `url` is an OpenStreetMap link to a position, exactly as the details
 * panel writes it (https, that host, default port, no credentials, only mlat/mlon and a #map= view); else null.
 */
export function allowedExternalLink(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.hostname !== MAP_HOST || parsed.port !== '' || parsed.username !== '' || parsed.password !== '') return null;
  if (parsed.pathname !== '/') return null;
  const keys = [...parsed.searchParams.keys()].sort();
  if (keys.join(',') !== 'mlat,mlon') return null;
  if (!inRange(parsed.searchParams.get('mlat'), 90) || !inRange(parsed.searchParams.get('mlon'), 180)) return null;
  if (!MAP_VIEW.test(parsed.hash)) return null;
  return parsed.toString();
}
