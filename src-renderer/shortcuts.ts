// Keyboard shortcuts, owned by the renderer so they work the same in the desktop window and in a browser; the
// desktop menu shows the same keys and sends the same commands.
import type { MenuCommand, PhotoSummary } from '../src-preload/api';
import { getClient } from './client/client';
import { useEngine } from './stores/engine';
import { useLibrary } from './stores/library';
import { useNavigation } from './stores/navigation';
import { useSearch } from './stores/search';
import { useSimilar } from './stores/similar';
import { useToasts } from './stores/toasts';

/** What a key can ask for: the desktop menu's commands plus the window's own. */
export type ShortcutCommand = MenuCommand | 'show-shortcuts' | 'zoom-in' | 'zoom-out';

/** The photo behind the focused tile, when a tile has focus. */
function focusedPhoto(): PhotoSummary | null {
  const tile = document.activeElement instanceof HTMLElement ? document.activeElement.closest<HTMLElement>('button.tile') : null;
  const id = Number(tile?.dataset.photoId);
  if (!id) return null;
  const everywhere = [
    ...useLibrary.getState().photos,
    ...(useSearch.getState().response?.hits.map((hit) => hit.photo) ?? []),
    ...(useSimilar.getState().response?.hits.map((hit) => hit.photo) ?? []),
  ];
  return everywhere.find((photo) => photo.id === id) ?? null;
}

export async function runCommand(command: ShortcutCommand): Promise<void> {
  const nav = useNavigation.getState();
  switch (command) {
    case 'show-shortcuts':
      nav.setShortcutsOpen(true);
      return;
    case 'zoom-in':
    case 'zoom-out':
      nav.zoomGrid(command === 'zoom-in' ? 1 : -1);
      return;
    case 'view:library':
    case 'view:search':
    case 'view:folders':
    case 'view:settings':
      nav.closeViewer();
      nav.show(command.slice('view:'.length) as 'library');
      return;
    case 'focus-search':
      nav.closeViewer();
      nav.focusSearch();
      return;
    case 'add-folder': {
      const shell = getClient().shell;
      if (!shell) {
        nav.requestFolderPath();
        return;
      }
      for (const folder of await shell.pickFolders()) {
        const error = await useEngine.getState().addFolder(folder);
        useToasts.getState().push(error ? 'error' : 'info', error ? error.message : `Added ${folder}`);
      }
      return;
    }
    case 'select-all':
      if (nav.view === 'library') useLibrary.getState().selectAll();
      return;
    case 'delete-selection': {
      const { photos, selected } = useLibrary.getState();
      if (nav.view === 'library' && selected.size) return nav.askDelete(photos.filter((photo) => selected.has(photo.id)));
      const focused = focusedPhoto();
      if (focused) nav.askDelete([focused]);
    }
  }
}

function typingInto(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** Maps a key press to a command, or null when it is not a shortcut (or belongs to a text field). */
export function commandForKey(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): ShortcutCommand | null {
  const mod = event.ctrlKey || event.metaKey;
  if (mod && !event.altKey) {
    const byKey: Record<string, ShortcutCommand> = { '1': 'view:library', '2': 'view:search', '3': 'view:folders', ',': 'view:settings', f: 'focus-search', o: 'add-folder' };
    if (byKey[event.key]) return byKey[event.key];
    if (typingInto(event.target)) return null;
    if (event.key === 'a') return 'select-all';
    if (event.key === 'Backspace') return 'delete-selection';
    if (event.key === '+' || event.key === '=') return 'zoom-in';
    if (event.key === '-') return 'zoom-out';
    return null;
  }
  if (typingInto(event.target)) return null;
  if (event.key === '/') return 'focus-search';
  if (event.key === '?') return 'show-shortcuts';
  if (event.key === 'Delete') return 'delete-selection';
  return null;
}

export function installShortcuts(win: Window): () => void {
  const onKey = (event: KeyboardEvent) => {
    const nav = useNavigation.getState();
    if (nav.viewer || nav.pendingDelete || nav.contextMenu || nav.shortcutsOpen) return;
    if (event.key === 'Escape' && useLibrary.getState().selected.size) {
      useLibrary.getState().clearSelection();
      return;
    }
    const command = commandForKey(event);
    if (!command) return;
    event.preventDefault();
    void runCommand(command);
  };
  win.addEventListener('keydown', onKey);
  const stopMenu = getClient().shell?.onMenuCommand((command) => void runCommand(command));
  return () => {
    win.removeEventListener('keydown', onKey);
    stopMenu?.();
  };
}
