// The folder path field with completion: as a path is typed, the subfolders of its parent (from folders.browse on
// the computer running Glimpse) are offered in a list — arrows to choose, Tab or Enter to take one.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { getClient } from '../client/client';

const TYPE_PAUSE_MS = 120;
const SHOWN = 12;

/** The folder whose subfolders complete `typed`, and the start of the name being typed. */
export function completionParts(typed: string): { parent: string; prefix: string } {
  const cut = Math.max(typed.lastIndexOf('/'), typed.lastIndexOf('\\'));
  if (cut < 0) return { parent: '', prefix: typed };
  return { parent: typed.slice(0, cut + 1), prefix: typed.slice(cut + 1) };
}

function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

export function FolderPathField({ value, onChange, inputRef, placeholder }: { value: string; onChange(value: string): void; inputRef?: Ref<HTMLInputElement>; placeholder: string }) {
  const listId = useId();
  const [options, setOptions] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const asked = useRef(0);

  useEffect(() => {
    if (!open) return;
    const { parent, prefix } = completionParts(value);
    const serial = ++asked.current;
    const timer = setTimeout(async () => {
      const result = await getClient().invoke('folders.browse', { path: parent });
      if (serial !== asked.current) return;
      if (!result.ok) {
        setOptions([]);
        setProblem(parent ? result.error.message : null);
        return;
      }
      setProblem(null);
      const wanted = prefix.toLowerCase();
      setOptions(result.value.folders.filter((folder) => baseName(folder).toLowerCase().startsWith(wanted)).slice(0, SHOWN));
      setActive(-1);
    }, TYPE_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [value, open]);

  const take = (folder: string) => {
    onChange(folder.endsWith('/') || folder.endsWith('\\') ? folder : `${folder}${folder.includes('\\') && !folder.includes('/') ? '\\' : '/'}`);
    setActive(-1);
  };

  const keyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (!open || options.length === 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (current + step + options.length) % options.length);
    } else if ((event.key === 'Tab' && !event.shiftKey && (active >= 0 || options.length === 1)) || (event.key === 'Enter' && active >= 0)) {
      event.preventDefault();
      take(options[Math.max(0, active)]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setOpen(false);
    }
  };

  const showList = open && options.length > 0;
  return (
    <div className="path-field">
      <input
        ref={inputRef}
        type="text"
        role="combobox"
        aria-label="Folder path"
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={showList && active >= 0 ? `${listId}-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        value={value}
        onChange={(event) => {
          setOpen(true);
          onChange(event.target.value);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={keyDown}
      />
      {showList ? (
        <ul id={listId} className="path-options panel" role="listbox" aria-label="Folders">
          {options.map((folder, i) => (
            <li
              key={folder}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(event) => {
                event.preventDefault();
                take(folder);
              }}
            >
              <span className="mono">{folder}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {problem && open ? <span className="path-problem" role="status">{problem}</span> : null}
    </div>
  );
}
