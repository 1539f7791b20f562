// A loopback HTTP server answering from a handler, recording every request line and JSON body: what tests point a
// Qdrant store at to see the requests it sends and how it reads the answers of Qdrant's API reference.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback server that answers the way a Qdrant refusing a key, or holding someone else's collection, answers. */
export function answering(handler: (req: http.IncomingMessage) => { status: number; body: unknown }) {
  const requests: string[] = [];
  const bodies: unknown[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (chunks.length > 0) bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      const { status, body } = handler(req);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  return {
    requests,
    bodies,
    async start() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
