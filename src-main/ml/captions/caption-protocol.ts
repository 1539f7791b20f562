// The messages between the captioner (main thread) and its worker, typed once for both sides.
import type { CaptionRequest } from './smolvlm-session';

export type CaptionWorkerRequest = { id: number; op: 'caption'; request: CaptionRequest } | { id: number; op: 'close' };

export type CaptionWorkerReply =
  | { id: number; ok: true; caption: string; ms: number }
  | { id: number; ok: false; error: { name: string; message: string } };
