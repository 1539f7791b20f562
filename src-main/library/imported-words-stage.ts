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
    // words-2: XML entities decoded and line breaks made one kind; a library read before is read again, once.
    version: 'words-2',
    async run(image) {
      const { words, found } = await readImportedWords(image.path);
      // Written with the stage's done mark, so words are never searchable for a photo whose stage is still to do.
      if (!found && words.problem === null) {
        // The file may have lost its words since the last read (edited in place): nothing stale stays searchable.
        return { status: 'skipped', write: (trx) => store.within(trx).clearImported(image.id).then(() => true) };
      }
      return { status: 'done', write: (trx) => store.within(trx).saveImported(image.id, words).then(() => true) };
    },
  };
}
