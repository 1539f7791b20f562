// Entry of an embedding worker thread: owns one SiglipSession (its sessions created once, reused for every request)
// so that model inference never runs on the thread answering the window. Started only through worker-host.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { SiglipSession, type SiglipSessionOptions } from './siglip-session';
import type { EmbeddingReply, EmbeddingRequest } from './embedding-protocol';

if (!parentPort) throw new Error('embedding-worker must be started as a worker thread (see worker-host.ts)');
const port = parentPort;
const session = SiglipSession.open(workerData as SiglipSessionOptions);

async function answer(request: EmbeddingRequest): Promise<EmbeddingReply> {
  const s = await session;
  switch (request.op) {
    case 'image':
      return { id: request.id, ok: true, vectors: [await s.embedImage(request.path)] };
    case 'crops':
      return { id: request.id, ok: true, vectors: await s.embedCrops(request.path) };
    case 'imageBytes':
      return { id: request.id, ok: true, vectors: [await s.embedImage(request.bytes)] };
    case 'texts':
      return { id: request.id, ok: true, vectors: await s.embedTexts(request.texts) };
    case 'calibrate':
      return { id: request.id, ok: true, vectors: [], calibration: await s.measureCalibration(request.dtype) };
    case 'close':
      await s.dispose();
      return { id: request.id, ok: true, vectors: [] };
  }
}

port.on('message', (request: EmbeddingRequest) => {
  answer(request).then(
    (reply) => port.postMessage(reply, reply.ok ? reply.vectors.map((v) => v.buffer as ArrayBuffer) : []),
    (error: unknown) => {
      const failure = error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
      port.postMessage({ id: request.id, ok: false, error: failure } satisfies EmbeddingReply);
    },
  );
});
