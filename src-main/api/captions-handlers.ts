// The captions operations of the Api (status, describe, one photo's caption), kept out of openApi: they turn
// captioning on when asked, put photos back in the describe queue and, for the CLI, wait until they are described.
import type { DescribeRequest, PhotoCaption } from '../../src-preload/api';
import type { UserSettings } from '../config';
import { GlimpseError } from '../errors';
import type { Library } from '../library/library';
import type { StoredCaption } from '../store/captions';
import type { CaptionRuntime } from './caption-stage';
import type { Handlers } from './dispatch';

export interface CaptionHandlerContext {
  captions: CaptionRuntime;
  library: () => Library;
  enabled: () => boolean;
  prompt: () => string;
  updateSettings: (changes: UserSettings) => Promise<unknown>;
  requireIndexing: (operation: string) => void;
  photoExists: (id: number) => Promise<boolean>;
}

const WAIT_POLL_MS = 100;

function toPhotoCaption(stored: StoredCaption): PhotoCaption {
  const { imageId, ...rest } = stored;
  return { id: imageId, ...rest };
}

export function captionHandlers(context: CaptionHandlerContext): Pick<Handlers, 'captions.status' | 'captions.describe' | 'captions.get'> {
  const { captions } = context;

  const describe = async (request: DescribeRequest) => {
    context.requireIndexing('captions.describe');
    if ('ids' in request) {
      for (const id of request.ids) {
        if (!(await context.photoExists(id))) throw new GlimpseError('NOT_FOUND', `There is no photo with id ${id} in the library`, String(id));
      }
    }
    // Asking for captions turns them on, and a new prompt is the prompt from now on (the stage's version follows it).
    const changes: UserSettings['captions'] = {};
    if (!context.enabled()) changes.enabled = true;
    if (request.prompt !== undefined && request.prompt.trim() !== context.prompt()) changes.prompt = request.prompt;
    await captions.requireModel();
    if (Object.keys(changes).length > 0) await context.updateSettings({ captions: changes });
    const scope = 'ids' in request ? { ids: request.ids } : 'all' in request ? { all: true as const } : { missing: true as const };
    const ids = await captions.store.requeue(scope);
    context.library().kick();
    if (request.wait) {
      // Waiting on a paused queue would never end: say so instead of hanging.
      if ((await context.library().jobStatus()).paused && (await captions.store.openCount(ids)) > 0) {
        throw new GlimpseError('LIBRARY_BUSY', `Indexing is paused, so the ${ids.length} photo(s) asked for are queued but not described: resume indexing (Folders → Resume indexing) and they will be`);
      }
      while ((await captions.store.openCount(ids)) > 0) await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
    const photos = (await captions.store.captions(ids)).map(toPhotoCaption);
    return { queued: ids.length, photos, status: await captions.status() };
  };

  return {
    'captions.status': () => captions.status(),
    'captions.describe': describe,
    'captions.get': async ({ id }) => {
      const [stored] = await captions.store.captions([id]);
      if (!stored) throw new GlimpseError('NOT_FOUND', `There is no photo with id ${id} in the library`, String(id));
      return toPhotoCaption(stored);
    },
  };
}
