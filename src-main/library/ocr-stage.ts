// Pass-2 stage "ocr": the text printed in a photo (a sign, a menu, a receipt), read by PP-OCR in a worker and
// stored with its boxes, so the photo is found by those words. Reads the viewer picture: already upright, decodable
// for every format, and larger than the ~960 px the detector is given.
import type { OcrLine } from '../../src-preload/api';
import type { PhotoWordsStore } from '../store/photo-words';
import type { OcrReader } from '../ml/ocr/ocr-reader';
import type { PipelineStage } from './pipeline-stage';

export const OCR_STAGE = 'ocr';

/**
 * The recognizer often drops the space between a word and a number ("TOMATO4.50"); the index would then know
 * only "tomato4". Letters next to digits are split for the index, the lines keep what was read.
 */
export function ocrIndexText(lines: Array<{ text: string }>): string {
  return lines.map((l) => l.text.replace(/(\p{L})(?=\p{N})|(\p{N})(?=\p{L})/gu, '$1$2 ')).join('\n');
}

export function ocrStage(reader: OcrReader, store: PhotoWordsStore): PipelineStage {
  return {
    name: OCR_STAGE,
    pass: 2,
    version: reader.modelId,
    async run(image) {
      const source = image.view_path ?? image.path;
      const { lines, longSide } = await reader.read(source);
      // Boxes are stored in the photo's own pixels: scale from the picture read by the ratio of long sides.
      const photoLongSide = Math.max(image.width ?? 0, image.height ?? 0);
      const ratio = image.view_path && photoLongSide > 0 && longSide > 0 ? photoLongSide / longSide : 1;
      const scaled: OcrLine[] = lines.map((line) => ({ ...line, box: line.box.map((v) => Math.round(v * ratio)) as OcrLine['box'] }));
      // Written with the stage's done mark: a kill before it leaves no text read, so nothing read is read again.
      if (scaled.length === 0) return { status: 'skipped', write: (trx) => store.within(trx).clearOcr(image.id).then(() => true) };
      const read = { lines: scaled, model: reader.modelId, text: ocrIndexText(scaled) };
      return { status: 'done', write: (trx) => store.within(trx).saveOcr(image.id, read).then(() => true) };
    },
  };
}
