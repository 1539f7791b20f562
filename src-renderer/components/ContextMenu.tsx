// The right-click menu on a photo, drawn by the renderer so it is the same in the desktop window and in a browser;
// desktop-only entries appear only where the shell can do them. Arrow keys move, Escape closes.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Copy, Download, ExternalLink, Folder, Open, Sparkles, Trash } from 'pixelarticons/react';
import { copyPath, findSimilar, runShellAction } from '../actions/photo-actions';
import { getClient } from '../client/client';
import { startExport } from '../export/export-photos';
import { fileActionsFor } from '../viewer/file-actions';
import { fileName } from './PhotoTile';
import { useNavigation } from '../stores/navigation';

export function ContextMenu() {
  const menu = useNavigation((state) => state.contextMenu);
  const close = useNavigation((state) => state.closeContextMenu);
  const ref = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState<{ left: number; top: number } | null>(null);

  useLayoutEffect(() => {
    if (!menu || !ref.current) return setPosition(null);
    const { width, height } = ref.current.getBoundingClientRect();
    setPosition({
      left: Math.max(4, Math.min(menu.x, window.innerWidth - width - 8)),
      top: Math.max(4, Math.min(menu.y, window.innerHeight - height - 8)),
    });
  }, [menu]);

  // Focus moves in once the menu is placed (a hidden element cannot take it), and goes back to the photo's tile when
  // the menu closes without opening something else.
  useEffect(() => {
    if (!menu || !position) return;
    ref.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [menu, position]);
  useEffect(() => {
    if (!menu) return;
    const id = menu.photo.id;
    return () => {
      const lost = document.activeElement === document.body || document.activeElement === null || !document.activeElement.isConnected;
      if (lost) document.querySelector<HTMLElement>(`.main button.tile[data-photo-id="${id}"]`)?.focus();
    };
  }, [menu]);

  useEffect(() => {
    if (!menu) return;
    const dismiss = (event: Event) => {
      if (ref.current && event.target instanceof Node && ref.current.contains(event.target)) return;
      close();
    };
    window.addEventListener('mousedown', dismiss);
    window.addEventListener('blur', close);
    window.addEventListener('resize', close);
    return () => {
      window.removeEventListener('mousedown', dismiss);
      window.removeEventListener('blur', close);
      window.removeEventListener('resize', close);
    };
  }, [menu, close]);

  if (!menu) return null;
  const { photo, list } = menu;
  const client = getClient();
  const run = (action: () => void) => () => {
    close();
    action();
  };

  const keyDown = (event: KeyboardEvent) => {
    const items = Array.from(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      items[event.key === 'Home' ? 0 : items.length - 1]?.focus();
    } else if (event.key === 'Tab') {
      event.preventDefault();
      close();
    }
  };

  return (
    <div
      ref={ref}
      className="context-menu panel"
      role="menu"
      aria-label="Photo actions"
      style={position ?? { left: menu.x, top: menu.y, visibility: 'hidden' }}
      onKeyDown={keyDown}
      onContextMenu={(event) => event.preventDefault()}
    >
      <button role="menuitem" type="button" onClick={run(() => useNavigation.getState().openViewer(list, Math.max(0, list.findIndex((p) => p.id === photo.id))))}>
        <Open className="icon" aria-hidden="true" /> Open
      </button>
      <button role="menuitem" type="button" onClick={run(() => findSimilar(photo))}>
        <Sparkles className="icon" aria-hidden="true" /> Find similar
      </button>
      <hr />
      {fileActionsFor(client).map((action) =>
        action === 'downloadOriginal' ? (
          <a key={action} role="menuitem" href={client.imageUrl(photo.id, 'original')} download={fileName(photo.path)} onClick={() => close()}>
            <Download className="icon" aria-hidden="true" /> Download original
          </a>
        ) : action === 'showInFolder' ? (
          <button key={action} role="menuitem" type="button" onClick={run(() => void runShellAction('showInFolder', photo))}>
            <Folder className="icon" aria-hidden="true" /> Show in folder
          </button>
        ) : (
          <button key={action} role="menuitem" type="button" onClick={run(() => void runShellAction('openWithSystemViewer', photo))}>
            <ExternalLink className="icon" aria-hidden="true" /> Open with system viewer
          </button>
        ),
      )}
      <button role="menuitem" type="button" onClick={run(() => void copyPath(photo))}>
        <Copy className="icon" aria-hidden="true" /> Copy path
      </button>
      <button role="menuitem" type="button" onClick={run(() => void startExport([photo]))}>
        <Download className="icon" aria-hidden="true" /> Export a copy…
      </button>
      <hr />
      <button role="menuitem" type="button" className="danger" onClick={run(() => useNavigation.getState().askDelete([photo]))}>
        <Trash className="icon" aria-hidden="true" /> Delete…
      </button>
    </div>
  );
}
