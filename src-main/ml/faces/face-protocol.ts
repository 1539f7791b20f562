// The messages between the face pool (main thread) and its worker threads, typed once for both sides.
import type { DetectInput, FaceDetection } from './face-detector';

export type FaceRequest = { id: number; op: 'detect'; input: DetectInput };

export type FaceReply =
  | { id: number; ok: true; detection: FaceDetection }
  | { id: number; ok: false; error: { name: string; message: string } };
