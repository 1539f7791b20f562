// The messages between the embedding pool (main thread) and its workers, typed once for both sides.
import type { ModelDtype } from './model-manifest';
import type { MeasuredCalibration } from './siglip-session';

export type EmbeddingRequest =
  | { id: number; op: 'image'; path: string }
  | { id: number; op: 'crops'; path: string }
  | { id: number; op: 'imageBytes'; bytes: Uint8Array }
  | { id: number; op: 'texts'; texts: string[] }
  | { id: number; op: 'calibrate'; dtype: ModelDtype }
  | { id: number; op: 'close' };

export type EmbeddingReply =
  | { id: number; ok: true; vectors: Float32Array[]; calibration?: MeasuredCalibration }
  | { id: number; ok: false; error: { name: string; message: string } };
