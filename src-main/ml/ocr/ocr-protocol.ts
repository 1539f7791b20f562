// Messages between the OCR reader and its worker thread: one request per image, answered by id.
export interface OcrWorkerOptions {
  /** Longest side the picture is scaled down to before detection (detection runs at whatever size it is given). */
  maxSide: number;
  /** Lines the recognizer is less sure of than this are dropped. */
  minScore: number;
  threads: number;
}

export type OcrRequest = { id: number; op: 'read'; path: string } | { id: number; op: 'close' };

export interface OcrWorkerLine {
  text: string;
  box: [number, number, number, number];
  score: number;
}

export type OcrReply =
  /** `longSide`: the read picture's longest side in pixels, before scaling down (boxes are in those pixels). */
  | { id: number; ok: true; lines: OcrWorkerLine[]; longSide: number; ms: number }
  | { id: number; ok: false; error: { name: string; message: string } };
