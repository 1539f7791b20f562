// Pass-1 stage "words": stores the titles, descriptions, keywords and names people already wrote about a photo, so
// it is found by them with no model at all. Cheap (a metadata read), so it runs before the photo counts as indexed.
import type { PhotoWordsStore } from '../store/photo-words';
import { readImportedWords } from './imported-words';
import type { PipelineStage } from './pipeline-stage';

export const IMPORTED_WORDS_STAGE = 'words';

export function importedWordsStage(store: PhotoWordsStore): PipelineStage {
  return {
    name: IMPORTED_WORDS_STAGE,
    pass: 1,
    version: 'words-1',
    async run(image) {
      const { words, found } = await readImportedWords(image.path);
      if (!found && words.problem === null) {
        // The file may have lost its words since the last read (edited in place): nothing stale stays searchable.
        await store.clearImported(image.id);
        return 'skipped';
      }
      await store.saveImported(image.id, words);
      return 'done';
    },
  };
}
