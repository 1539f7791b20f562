// The list of keyboard shortcuts, opened with ? from anywhere outside a text field: every key the window answers, in
// one place, so none has to be discovered by accident.
import { useEffect, useRef } from 'react';
import { Close } from 'pixelarticons/react';
import { useNavigation } from '../stores/navigation';

const mod = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';

export const SHORTCUTS: { group: string; keys: [string, string][] }[] = [
  {
    group: 'Anywhere',
    keys: [
      ['/', 'Search'],
      [`${mod} F`, 'Search'],
      [`${mod} 1 · 2 · 3`, 'Library · Search · Folders'],
      [`${mod} ,`, 'Settings'],
      [`${mod} O`, 'Add a folder'],
      ['?', 'This list'],
    ],
  },
  {
    group: 'Photo grids',
    keys: [
      ['← → ↑ ↓', 'Move between photos'],
      ['Home · End', 'First · last photo'],
      ['Enter', 'Open'],
      ['Space', 'Select'],
      [`${mod} A`, 'Select all'],
      ['Shift F10 · Menu', 'Photo actions'],
      [`Delete · ${mod} Backspace`, 'Delete the selection'],
      [`${mod} + · ${mod} −`, 'Bigger · smaller tiles'],
      ['Esc', 'Clear the selection'],
    ],
  },
  {
    group: 'Viewer',
    keys: [
      ['← →', 'Previous · next photo'],
      ['+ · − · 0', 'Zoom in · out · fit'],
      ['I', 'Details'],
      ['S', 'Find similar'],
      ['F', 'Favourite ♥'],
      ['R · Shift R', 'Rotate right · left'],
      ['P', 'Slideshow'],
      ['Space', 'Pause · resume the slideshow'],
      ['Delete', 'Delete'],
      ['Esc', 'Close (also ends a slideshow)'],
    ],
  },
];

export function ShortcutHelp() {
  const open = useNavigation((state) => state.shortcutsOpen);
  const setOpen = useNavigation((state) => state.setShortcutsOpen);
  const closeRef = useRef<HTMLButtonElement>(null);
  const returnTo = useRef<Element | null>(null);

  useEffect(() => {
    if (!open) return;
    returnTo.current = document.activeElement;
    closeRef.current?.focus();
    return () => {
      if (returnTo.current instanceof HTMLElement) returnTo.current.focus();
    };
  }, [open]);

  if (!open) return null;
  return (
    <div className="dialog-backdrop" onMouseDown={(event) => event.target === event.currentTarget && setOpen(false)}>
      <div
        className="dialog panel shortcuts"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        onKeyDown={(event) => {
          if (event.key === 'Escape' || event.key === '?') {
            event.preventDefault();
            event.stopPropagation();
            setOpen(false);
          }
        }}
      >
        <div className="row">
          <h2 id="shortcuts-title" style={{ flex: 1, margin: 0 }}>Keyboard shortcuts</h2>
          <button ref={closeRef} type="button" className="btn ghost icon-only" aria-label="Close" onClick={() => setOpen(false)}>
            <Close className="icon small" aria-hidden="true" />
          </button>
        </div>
        <div className="shortcut-groups">
          {SHORTCUTS.map((group) => (
            <section key={group.group}>
              <h3>{group.group}</h3>
              <dl className="kv">
                {group.keys.map(([keys, what]) => (
                  <div key={keys + what} style={{ display: 'contents' }}>
                    <dt>
                      <kbd>{keys}</kbd>
                    </dt>
                    <dd>{what}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}
