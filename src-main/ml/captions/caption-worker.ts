// Entry of the captioner's worker thread: owns one SmolvlmSession (loaded once, reused for every photo) so that
// seconds of generation never run on the thread answering the window. Started only through captioner.ts.
import { parentPort, workerData } from 'node:worker_threads';
import type { CaptionWorkerReply, CaptionWorkerRequest } from './caption-protocol';
import { SmolvlmSession, type SmolvlmSessionOptions } from './smolvlm-session';

if (!parentPort) throw new Error('caption-worker must be started as a worker thread (see captioner.ts)');
const port = parentPort;
const session = SmolvlmSession.open(workerData as SmolvlmSessionOptions);
// A failed load is answered per request; it must not also end the thread as an unhandled rejection.
session.catch(() => undefined);

async function answer(message: CaptionWorkerRequest): Promise<CaptionWorkerReply> {
  const s = await session;
  if (message.op === 'close') {
    await s.dispose();
    return { id: message.id, ok: true, caption: '', ms: 0 };
  }
  const started = performance.now();
  const caption = await s.caption(message.request);
  return { id: message.id, ok: true, caption, ms: performance.now() - started };
}

port.on('message', (message: CaptionWorkerRequest) => {
  answer(message).then(
    (reply) => port.postMessage(reply),
    (error: unknown) => {
      const failure = error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
      port.postMessage({ id: message.id, ok: false, error: failure } satisfies CaptionWorkerReply);
    },
  );
});
