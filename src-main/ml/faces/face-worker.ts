// Entry of a face worker thread: one Human instance, loaded once and reused, so detection never blocks the thread
// that answers the window. Started only through face-pool.ts (via worker-host.ts).
import { parentPort } from 'node:worker_threads';
import { detectFaces, type FaceEngine } from './face-detector';
import type { FaceReply, FaceRequest } from './face-protocol';
import { FaceDescriber } from './faceres-onnx';
import { humanModelsFolder, openHuman, tfjsWeightDecoder } from './human-setup';

if (!parentPort) throw new Error('face-worker must be started as a worker thread (see face-pool.ts)');
const port = parentPort;
const engine: Promise<FaceEngine> = openHuman().then(async (human) => ({ human, describer: await FaceDescriber.open(humanModelsFolder(), tfjsWeightDecoder(human.tf)) }));

async function answer(request: FaceRequest): Promise<FaceReply> {
  return { id: request.id, ok: true, detection: await detectFaces(await engine, request.input) };
}

port.on('message', (request: FaceRequest) => {
  answer(request).then(
    (reply) => {
      const transfer = reply.ok ? reply.detection.faces.flatMap((f) => [f.descriptor.buffer as ArrayBuffer, f.thumbnail.buffer as ArrayBuffer]) : [];
      port.postMessage(reply, transfer);
    },
    (error: unknown) => {
      const failure = error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
      port.postMessage({ id: request.id, ok: false, error: failure } satisfies FaceReply);
    },
  );
});
