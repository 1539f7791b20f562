// Browser-mode uploads: how much memory a large drop costs the server (the probe saw 446 MB → 1.82 GB for 300 MB when
// uploads were buffered) and how fast it streams to disk. The Api behind it only checks the files arrived, so the
// numbers are the upload path's own.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Api } from '../src-main/api/api-types';
import { startServer } from '../src-main/server';
import type { BenchModule } from './bench-module';
import { round } from './measure';

const UPLOAD_MB = 300;
const FILES = 3;
const BOUNDARY = '----glimpse-bench';

/** Receives the import call and sizes the files, nothing more: what is measured is the server's upload path. */
function sizingApi(received: number[]): Api {
  return {
    async invoke(operation, input) {
      if (operation !== 'import.files') return { ok: false, error: { code: 'INVALID_INPUT', message: operation } } as never;
      const paths = (input as { paths: string[] }).paths;
      for (const file of paths) received.push(fs.statSync(file).size);
      return { ok: true, value: { indexed: paths.length, duplicates: 0, failed: [] } } as never;
    },
    subscribe: () => () => undefined,
    imageFile: async () => null,
    close: async () => undefined,
  };
}

/** Sends FILES files of UPLOAD_MB in total, generated as they are written, so the client holds no copy either. */
function upload(port: number, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/upload',
      headers: { 'x-glimpse-token': token, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'transfer-encoding': 'chunked' },
    });
    request.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    request.on('error', reject);
    const chunk = Buffer.alloc(1024 * 1024, 0x5a);
    const perFile = UPLOAD_MB / FILES;
    let file = 0;
    let written = 0;
    const pump = () => {
      while (file < FILES) {
        if (written === 0) request.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big-${file}.jpg"\r\n\r\n`);
        if (written === perFile) {
          request.write('\r\n');
          file++;
          written = 0;
          continue;
        }
        written++;
        if (!request.write(chunk)) return void request.once('drain', pump);
      }
      request.end(`--${BOUNDARY}--\r\n`);
    };
    pump();
  });
}

export const uploadsBench: BenchModule = {
  name: 'uploads',
  async run() {
    const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-bench-upload-'));
    const received: number[] = [];
    const server = await startServer(sizingApi(received), { uploads: { tempRoot } });
    try {
      globalThis.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
      const started = performance.now();
      const status = await upload(server.port, server.token);
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      return {
        status,
        uploadMB: UPLOAD_MB,
        files: received.length,
        receivedMB: round(received.reduce((sum, size) => sum + size, 0) / 1024 ** 2, 1),
        seconds: round(seconds, 2),
        mbPerSecond: round(UPLOAD_MB / seconds, 1),
        rssBeforeMB: round(before / 1024 ** 2, 1),
        peakRssGrowthMB: round((peak - before) / 1024 ** 2, 1),
        tempLeft: fs.readdirSync(tempRoot).length,
      };
    } finally {
      await server.close();
      fs.rmSync(tempRoot, { recursive: true, force: true });
    }
  },
};
