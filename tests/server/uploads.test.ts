// Dropped files reach browser mode as uploads: streamed to disk as they arrive (never held in memory), refused with a
// reason past one request's limits, sent by the page in parts when the drop is larger, and never left in temp.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src-main/server';
import { MAX_UPLOAD_NAME_BYTES } from '../../src-main/server/uploads';
import { createHttpClient, UPLOAD_PART_FILES } from '../../src-renderer/client/http-client';
import { createRecordingApi, type RecordingApi } from '../transport/recording-api';

let api: RecordingApi;
let server: RunningServer;
let tempRoot: string;
const TOKEN = 'upload-token-0123456789';
const auth = { 'x-glimpse-token': TOKEN };
const MAX_FILES = 5;
const MAX_BYTES = 8 * 1024 * 1024;

beforeAll(async () => {
  tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-upload-test-'));
  api = createRecordingApi();
  server = await startServer(api, { token: TOKEN, uploads: { tempRoot, maxFiles: MAX_FILES, maxBytes: MAX_BYTES } });
});

afterAll(async () => {
  await server.close();
  await api.close();
  fs.rmSync(tempRoot, { recursive: true, force: true });
});

beforeEach(() => {
  api.calls.length = 0;
  api.importedContents.length = 0;
});

const importCalls = () => api.calls.filter((call) => call.operation === 'import.files');
/** Every file under the temp root: what an upload left behind. */
const leftInTemp = () => fs.readdirSync(tempRoot, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());

const BOUNDARY = '----glimpse-test-boundary';
const partHead = (name: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/jpeg\r\n\r\n`;
const closing = `\r\n--${BOUNDARY}--\r\n`;

/** An upload written by hand, so a test can stop half way or hold the request open. */
function openUpload(): { request: http.ClientRequest; response: Promise<{ status: number; body: string }> } {
  const request = http.request({
    host: '127.0.0.1',
    port: server.port,
    method: 'POST',
    path: '/api/upload',
    headers: { ...auth, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'transfer-encoding': 'chunked' },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    request.on('error', reject);
  });
  return { request, response };
}

describe('uploads', () => {
  it('writes a file to disk while it is still arriving, and removes it after the import', async () => {
    const { request, response } = openUpload();
    const chunk = Buffer.alloc(1024 * 1024, 7);
    request.write(partHead('big.jpg'));
    request.write(chunk);
    request.write(chunk);
    await expect.poll(() => leftInTemp().map((entry) => fs.statSync(path.join(entry.parentPath, entry.name)).size)[0] ?? 0).toBeGreaterThanOrEqual(1024 * 1024);
    request.end(Buffer.concat([chunk, Buffer.from(closing)]));
    const { status, body } = await response;
    expect(status, body).toBe(200);
    expect(JSON.parse(body)).toEqual({ ok: true, value: { indexed: 1, duplicates: 0, failed: [] } });
    expect(api.importedContents[0]).toHaveLength(3 * 1024 * 1024);
    expect(leftInTemp()).toEqual([]);
  });

  it('removes what it wrote when the browser gives up half way', async () => {
    const { request, response } = openUpload();
    response.catch(() => undefined);
    request.write(partHead('half.jpg'));
    request.write(Buffer.alloc(512 * 1024, 1));
    await expect.poll(() => leftInTemp().length).toBe(1);
    request.destroy();
    await expect.poll(() => fs.readdirSync(tempRoot)).toEqual([]);
    expect(importCalls()).toEqual([]);
  });

  it('caps a 300-byte file name instead of failing with the temp path', async () => {
    const name = `${'é'.repeat(148)}.jpg`;
    expect(Buffer.byteLength(name)).toBe(300);
    const form = new FormData();
    form.append('file', new Blob(['photo with a long name']), name);
    const response = await fetch(`${server.origin}/api/upload`, { method: 'POST', headers: auth, body: form });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    expect(text).not.toContain(tempRoot);
    const imported = path.basename((importCalls()[0].input as { paths: string[] }).paths[0]);
    expect(Buffer.byteLength(imported)).toBeLessThanOrEqual(MAX_UPLOAD_NAME_BYTES);
    expect(imported).toMatch(/^é+\.jpg$/);
    expect(leftInTemp()).toEqual([]);
  });

  it('refuses more files or bytes than one request takes, says to send parts, and keeps nothing', async () => {
    const many = new FormData();
    for (let i = 0; i <= MAX_FILES; i++) many.append('file', new Blob([`photo ${i}`]), `p${i}.jpg`);
    const tooMany = await fetch(`${server.origin}/api/upload`, { method: 'POST', headers: auth, body: many });
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as { error: { message: string } }).error.message).toMatch(/in parts/);

    const { request, response } = openUpload();
    request.write(partHead('huge.jpg'));
    for (let sent = 0; sent <= MAX_BYTES; sent += 1024 * 1024) request.write(Buffer.alloc(1024 * 1024));
    request.end(closing);
    const tooBig = await response;
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatch(/limit/);
    expect(importCalls()).toEqual([]);
    await expect.poll(() => fs.readdirSync(tempRoot)).toEqual([]);
  });
});

describe('the page’s drop import', () => {
  it('sends a drop of more than 10,000 files in parts and adds up what each part imported', { timeout: 120_000 }, async () => {
    const unlimited = await startServer(api, { token: TOKEN, uploads: { tempRoot } });
    try {
      const client = createHttpClient({ baseUrl: unlimited.origin, token: TOKEN, pageKey: 'unused' });
      const files = Array.from({ length: 10_001 }, (_, i) => new File([`photo ${i}`], `IMG_${i}.jpg`));
      const progress: number[] = [];
      const result = await client.uploadFiles(files, (sent) => progress.push(sent));
      expect(result).toEqual({ ok: true, value: { indexed: 10_001, duplicates: 0, failed: [] } });
      expect(importCalls()).toHaveLength(Math.ceil(10_001 / UPLOAD_PART_FILES));
      expect(progress.at(-1)).toBe(10_001);
      expect(new Set(api.importedContents).size).toBe(10_001);
      expect(fs.readdirSync(tempRoot)).toEqual([]);
    } finally {
      await unlimited.close();
    }
  });
});
