// The Api's words side: deep search (text index fused with the image model), OCR of a file, the words shown in a
// photo's details, and the two import stages that gather words (metadata at ingest, OCR in the background).
import { stat } from 'node:fs/promises';
import type { PhotoDetails } from '../../src-preload/api';
import type { GlimpseConfig } from '../config';
import { GlimpseError, describeError } from '../errors';
import { importedWordsStage } from '../library/imported-words-stage';
import { ocrStage } from '../library/ocr-stage';
import type { PipelineStage } from '../library/pipeline-stage';
import { OcrReader } from '../ml/ocr/ocr-reader';
import { DeepSearch, type DeepSearchOptions } from '../search/deep-search';
import type { SearchCatalog } from '../search/ports';
import type { CatalogDatabase } from '../store/database';
import { PhotoWordsStore } from '../store/photo-words';
import { openTextIndex, type TextIndex } from '../store/text-index';
import type { Handlers } from './dispatch';
import type { ModelRuntime } from './model-runtime';

export interface DeepSearchParts {
  handlers: Pick<Handlers, 'search.deep' | 'ocr.read'>;
  /** Import stages that run before the embedding stages (pass 1: words from metadata). */
  ingestStages(): PipelineStage[];
  /** Import stages that run after them, under the current settings (pass 2: OCR). */
  backgroundStages(config: GlimpseConfig): PipelineStage[];
  withWords(details: PhotoDetails): Promise<PhotoDetails>;
  textIndex: TextIndex;
  close(): Promise<void>;
}

export function openDeepSearchParts(options: {
  database: CatalogDatabase;
  catalog: SearchCatalog;
  runtime: ModelRuntime;
  config: () => GlimpseConfig;
  expansions?: DeepSearchOptions['expansions'];
  /** Puts a submitted deep search into the search history, like a plain one. */
  remember?: (query: string) => Promise<void>;
}): DeepSearchParts {
  const words = new PhotoWordsStore(options.database.db);
  const textIndex = openTextIndex(options.database);
  const ocr = new OcrReader();
  const deep = new DeepSearch({
    textIndex,
    ...(options.expansions ? { expansions: options.expansions } : {}),
    catalog: options.catalog,
    vectors: async () => {
      const config = options.config();
      const wordsAlone = 'photos were found by their words alone';
      if (!config.embeddings) return { searcher: null, reason: `image embeddings are off: ${wordsAlone}` };
      if (!(await options.runtime.isActiveModelPresent())) {
        return { searcher: null, reason: `the image model ${config.model} is not installed: ${wordsAlone}` };
      }
      try {
        return { searcher: (await options.runtime.ready()).search, reason: null };
      } catch (error) {
        return { searcher: null, reason: `the image model could not be loaded (${describeError(error)}): ${wordsAlone}` };
      }
    },
  });

  const readFile = async (file: string) => {
    const info = await stat(file).catch(() => null);
    if (!info) throw new GlimpseError('NOT_FOUND', `${file} does not exist`, file);
    if (!info.isFile()) throw new GlimpseError('INVALID_INPUT', `${file} is not a file: give an image file`, file);
    try {
      const { lines } = await ocr.read(file);
      return { lines };
    } catch (error) {
      if (error instanceof Error && error.name === 'ImageDecodeError') throw new GlimpseError('UNSUPPORTED_FORMAT', error.message, file);
      throw error;
    }
  };

  return {
    handlers: {
      'search.deep': async (request) => {
        const response = await deep.search(request);
        if (request.remember) await options.remember?.(response.query);
        return response;
      },
      'ocr.read': ({ path }) => readFile(path),
    },
    ingestStages: () => [importedWordsStage(words)],
    backgroundStages: (config) => (config.ocr.enabled ? [ocrStage(ocr, words)] : []),
    withWords: async (details) => ({ ...details, words: await words.get(details.id) }),
    textIndex,
    close: () => ocr.close(),
  };
}
