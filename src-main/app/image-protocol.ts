// The glimpse:// protocol: the window's <img> tags name a size and a photo id (glimpse://thumb/42), never a path,
// and the Api decides which file that is. Kept free of Electron so the refusal rules are unit-tested.
import type { Api, ImageSize } from '../api/api-types';

const SIZES: readonly ImageSize[] = ['thumb', 'view', 'original'];

export type ImageRequest = { ok: true; size: ImageSize; id: number } | { ok: false; status: number; reason: string };

export function parseImageUrl(raw: string): ImageRequest {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  const size = url.hostname as ImageSize;
  if (!SIZES.includes(size)) return { ok: false, status: 400, reason: `unknown size "${url.hostname}"` };
  const id = url.pathname.replace(/^\//, '');
  if (!/^[1-9][0-9]{0,15}$/.test(id)) return { ok: false, status: 400, reason: 'images are served by photo id only' };
  return { ok: true, size, id: Number(id) };
}

/** Answers one protocol request; `readFile` is Electron's net.fetch of a file:// URL in the app. */
export async function answerImageRequest(
  api: Api,
  rawUrl: string,
  readFile: (path: string, contentType: string) => Promise<Response>,
): Promise<Response> {
  const request = parseImageUrl(rawUrl);
  if (!request.ok) return new Response(request.reason, { status: request.status });
  const file = await api.imageFile(request.id, request.size);
  if (!file) return new Response(`no ${request.size} image for photo ${request.id}`, { status: 404 });
  return readFile(file.path, file.contentType);
}
