// Routes the engine's event stream into the stores: progress to the indexing panel, library changes to the grid
// (batched, since an import sends many), notices to toasts.
import type { GlimpseEvent } from '../../src-preload/api';
import { forgetEverywhere } from '../actions/photo-actions';
import { useEngine } from '../stores/engine';
import { useLibrary } from '../stores/library';
import { useToasts } from '../stores/toasts';
import type { GlimpseClient } from './client';

const LIBRARY_REFRESH_MS = 700;
const TOAST_CHARACTERS = 160;

function firstSentence(message: string): string {
  const line = message.split('\n')[0];
  const end = line.search(/[.!?](\s|$)/);
  const sentence = end > 0 ? line.slice(0, end + 1) : line;
  return sentence.length > TOAST_CHARACTERS ? `${sentence.slice(0, TOAST_CHARACTERS - 1)}…` : sentence;
}

export function connectEngineEvents(client: GlimpseClient): () => void {
  let refresh: ReturnType<typeof setTimeout> | null = null;
  const scheduleRefresh = () => {
    if (refresh) return;
    refresh = setTimeout(() => {
      refresh = null;
      void useLibrary.getState().reload();
      void useEngine.getState().loadFolders();
    }, LIBRARY_REFRESH_MS);
  };

  const unsubscribe = client.subscribe((event: GlimpseEvent) => {
    switch (event.type) {
      case 'progress':
        useEngine.getState().setJobs(event.status);
        break;
      case 'folders':
        useEngine.getState().setFolders(event.folders);
        break;
      case 'library':
        if (event.removed.length) forgetEverywhere(event.removed);
        if (event.added.length || event.updated.length) scheduleRefresh();
        break;
      case 'model':
        useEngine.getState().setModel(event.model);
        break;
      case 'notice': {
        // Everything is kept for Settings → Details; only what a person must act on becomes a toast, in one line, and
        // not what the missing-model banner already says.
        const engine = useEngine.getState();
        engine.addNotice(event.level, event.message);
        const missing = engine.models?.find((m) => m.active && !m.present);
        if (event.level === 'info' || (missing && event.message.includes(missing.id))) break;
        useToasts.getState().push(event.level, firstSentence(event.message));
        break;
      }
    }
  });
  return () => {
    unsubscribe();
    if (refresh) clearTimeout(refresh);
  };
}
