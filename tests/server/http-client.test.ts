// The page's side of browser mode against a real server: the token travels in a header, images by the page key,
// and the event stream is read with fetch and comes back by itself when the server drops it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlimpseEvent } from '../../src-preload/api';
import { startServer, type RunningServer } from '../../src-main/server';
import { createHttpClient } from '../../src-renderer/client/http-client';
import { createRecordingApi, type RecordingApi } from '../transport/recording-api';

let api: RecordingApi;
let server: RunningServer;

beforeAll(async () => {
  api = createRecordingApi({ 'folders.list': () => ({ ok: true, value: [] }) });
  server = await startServer(api, { rendererDir: null });
});

afterAll(async () => {
  await server.close();
  await api.close();
});

describe('the browser client', () => {
  it('calls the Api with the token in a header and loads images with the page key', async () => {
    const seen: Headers[] = [];
    const client = createHttpClient({
      baseUrl: server.origin,
      token: server.token,
      pageKey: 'key-from-the-page',
      fetch: (input, init) => {
        seen.push(new Headers(init?.headers));
        return fetch(input, init);
      },
    });
    expect(await client.invoke('folders.list', undefined)).toEqual({ ok: true, value: [] });
    expect(seen[0].get('x-glimpse-token')).toBe(server.token);
    expect(seen[0].get('content-type')).toBe('application/json');
    const image = client.imageUrl(1, 'thumb');
    expect(image).toBe(`${server.origin}/media/thumb/1?key=key-from-the-page`);
    expect(image).not.toContain(server.token);
  });

  it('reads events through fetch and reconnects when the stream is cut', async () => {
    let streams = 0;
    const client = createHttpClient({
      baseUrl: server.origin,
      token: server.token,
      pageKey: 'unused',
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (!String(input).endsWith('/api/events') || ++streams > 1) return response;
        // The first stream is cut after its first chunk, as when a server drops a slow reader or restarts.
        const reader = response.body!.getReader();
        const first = await reader.read();
        await reader.cancel();
        return new Response(first.value, { status: 200, headers: response.headers });
      },
    });
    const received: GlimpseEvent[] = [];
    const unsubscribe = client.subscribe((event) => received.push(event));
    await expect.poll(() => streams).toBe(2);
    await expect.poll(() => api.listenerCount()).toBe(1);
    api.emit({ type: 'notice', level: 'info', message: 'after the reconnect' });
    await expect.poll(() => received).toEqual([{ type: 'notice', level: 'info', message: 'after the reconnect' }]);
    unsubscribe();
    await expect.poll(() => api.listenerCount()).toBe(0);
  });
});
