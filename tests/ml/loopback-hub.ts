// A stand-in for the Hugging Face hub on 127.0.0.1, so download tests never touch the network: `/<repo>/resolve/main/
// <file>` redirects to a CDN path like the real hub (with X-Linked-Etag/-Size), which honours Range requests.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HubFile {
  bytes: Uint8Array;
  /** sha256 announced in X-Linked-Etag (the real hub does this for LFS files); defaults to the true one. */
  announcedSha256?: string | null;
  /** Cut the connection after this many body bytes, on the first `cutTimes` requests for the file. */
  cutAfterBytes?: number;
  cutTimes?: number;
}

export interface HubRequest {
  path: string;
  range: string | null;
}

export interface LoopbackHub {
  url: string;
  requests: HubRequest[];
  close(): Promise<void>;
}

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Serves `files` (keyed "<owner>/<name>/<path>"). */
export async function startLoopbackHub(files: Map<string, HubFile>): Promise<LoopbackHub> {
  const requests: HubRequest[] = [];
  const cuts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ path: url.pathname, range: req.headers.range ?? null });
    const resolve = url.pathname.match(/^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/);
    if (resolve) {
      const key = `${resolve[1]}/${resolve[2]}`;
      const file = files.get(key);
      if (!file) return void res.writeHead(404).end('Entry not found');
      const announced = file.announcedSha256 === undefined ? sha256Hex(file.bytes) : file.announcedSha256;
      const headers: Record<string, string> = { location: `/cdn/${key}`, 'x-linked-size': String(file.bytes.length) };
      if (announced) headers['x-linked-etag'] = `"${announced}"`;
      return void res.writeHead(302, headers).end();
    }
    const cdn = url.pathname.match(/^\/cdn\/(.+)$/);
    const file = cdn ? files.get(cdn[1]) : undefined;
    if (!cdn || !file) return void res.writeHead(404).end();
    const total = file.bytes.length;
    const range = req.headers.range?.match(/^bytes=(\d+)-$/);
    const start = range ? Number(range[1]) : 0;
    if (start >= total && range) return void res.writeHead(416, { 'content-range': `bytes */${total}` }).end();
    const body = file.bytes.subarray(start);
    res.writeHead(range ? 206 : 200, {
      'content-length': String(body.length),
      'accept-ranges': 'bytes',
      ...(range ? { 'content-range': `bytes ${start}-${total - 1}/${total}` } : {}),
    });
    const cutSoFar = cuts.get(cdn[1]) ?? 0;
    if (file.cutAfterBytes !== undefined && cutSoFar < (file.cutTimes ?? 1)) {
      cuts.set(cdn[1], cutSoFar + 1);
      // Send part of the body, let it reach the client, then drop the connection mid-transfer.
      res.write(body.subarray(0, file.cutAfterBytes), () => setTimeout(() => res.socket?.destroy(), 50));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
