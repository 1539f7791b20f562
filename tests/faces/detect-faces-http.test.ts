// faces.detect over browser mode's HTTP for a real photo larger than the 1 MB JSON limit: sent as a streamed multipart
// upload (by hand and by the page's HTTP client), answered with the same boxes as for the file itself, within a clear
// size limit, and refused like every other Api call without the token, from another origin, or for a non-image.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetectFacesResponse } from '../../src-preload/api';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig } from '../../src-main/config';
import { startServer, type RunningServer } from '../../src-main/server';
import { createHttpClient } from '../../src-renderer/client/http-client';
import { call } from '../api/unwrap';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { FACES_DIR } from '../fixtures/photos';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-faces-http-'));
const tempRoot = path.join(root, 'uploads');
const bigPhoto = path.join(root, 'lacamoire.png');
const TOKEN = 'faces-http-token-0123456789';
const SMALL_LIMIT = 256 * 1024;
let api: Api;
let server: RunningServer;
let strict: RunningServer;
let fromFile: DetectFacesResponse;

function upload(bytes: Buffer, headers: Record<string, string> = { 'x-glimpse-token': TOKEN }, target = server): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'photo.png');
  return fetch(`${target.origin}/api/faces.detect`, { method: 'POST', headers, body: form });
}

beforeAll(async () => {
  fs.mkdirSync(tempRoot);
  // A real photo kept losslessly as PNG, which makes it several megabytes.
  await sharp(path.join(FACES_DIR, 'test_alex_lacamoire1.jpg')).png().toFile(bigPhoto);
  const env = { ...process.env, GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' };
  api = await openApi(loadConfig({ env, overrides: { dataDir: path.join(root, 'data') } }));
  server = await startServer(api, { token: TOKEN, uploads: { tempRoot } });
  strict = await startServer(api, { token: TOKEN, uploads: { tempRoot, maxFaceImageBytes: SMALL_LIMIT } });
  fromFile = await call(api, 'faces.detect', { path: bigPhoto });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await strict?.close();
  await api?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('faces.detect over HTTP', () => {
  it('answers for a photo over 1 MB sent as multipart, with the faces found in the file itself', async () => {
    const bytes = fs.readFileSync(bigPhoto);
    expect(bytes.length).toBeGreaterThan(1024 * 1024);
    expect(fromFile.faces.length).toBeGreaterThanOrEqual(1);

    const asJson = await fetch(`${server.origin}/api/faces.detect`, {
      method: 'POST',
      headers: { 'x-glimpse-token': TOKEN, 'content-type': 'application/json' },
      body: JSON.stringify({ bytes: bytes.toString('base64') }),
    });
    expect(asJson.status).toBe(400);
    expect(((await asJson.json()) as { error: { message: string } }).error.message).toMatch(/over the 1048576-byte limit: send a large image as multipart\/form-data/);

    const response = await upload(bytes);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, value: fromFile });
    expect(fs.readdirSync(tempRoot)).toEqual([]);
  });

  it('goes through the page’s HTTP client when it is given bytes', async () => {
    const client = createHttpClient({ baseUrl: server.origin, token: TOKEN, pageKey: 'unused' });
    const result = await client.invoke('faces.detect', { bytes: fs.readFileSync(bigPhoto).toString('base64') });
    expect(result).toEqual({ ok: true, value: fromFile });
  });

  it('refuses an image over the limit, naming the limit, and keeps nothing of it', async () => {
    const response = await upload(fs.readFileSync(bigPhoto), { 'x-glimpse-token': TOKEN }, strict);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(new RegExp(`over the ${SMALL_LIMIT}-byte limit for face detection`));
    expect(fs.readdirSync(tempRoot)).toEqual([]);
  });

  it('refuses it as the rest of the Api: no token, another origin, a cross-site request, and names a non-image', async () => {
    const bytes = fs.readFileSync(bigPhoto);
    expect((await upload(bytes, {})).status).toBe(401);
    const hostile: Array<Record<string, string>> = [{ origin: 'http://evil.example' }, { origin: `http://127.0.0.1:${server.port + 1}` }, { 'sec-fetch-site': 'cross-site' }];
    for (const headers of hostile) {
      const response = await upload(bytes, { 'x-glimpse-token': TOKEN, ...headers });
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/only Glimpse's own page/);
    }
    const notImage = await upload(Buffer.from('%PDF-1.4 this is not a picture'));
    expect(notImage.status).toBe(415);
    expect(await notImage.json()).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED_FORMAT', message: expect.stringMatching(/not an image/) } });
    const noFile = await fetch(`${server.origin}/api/faces.detect`, { method: 'POST', headers: { 'x-glimpse-token': TOKEN }, body: new FormData() });
    expect(noFile.status).toBe(400);
    expect(fs.readdirSync(tempRoot)).toEqual([]);
  });
});
