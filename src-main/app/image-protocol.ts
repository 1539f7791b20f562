// The glimpse:// protocol: the window's <img> tags name a size and a photo id (glimpse://thumb/42), never a path,
// and the Api decides which file that is. Kept free of Electron so the refusal rules are unit-tested.
import fs from 'node:fs';
import { Readable } from 'node:stream';
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

/**
 * The bytes of a file the Api named, streamed from disk (not through a file:// fetch, which the window's request
 * filter keeps to the app's own files); 404 when it went away in between.
 */
export async function readImageFile(file: string, contentType: string): Promise<Response> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch {
    return new Response('the image file is gone', { status: 404 });
  }
  const body = Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
  return new Response(body, { headers: { 'content-type': contentType } });
}

/** Answers one protocol request; `readFile` is readImageFile in the app. */
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
