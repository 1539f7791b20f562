// The search box's dropdown: pinned and recent searches, then completions from the library (people, folders, words),
// as the person types. Arrows move, Enter searches the highlighted one, Tab puts it in the box, Esc closes the list.
import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { Bookmark, Clock, Close, Folder, MapPin, TextCursor, User } from 'pixelarticons/react';
import type { Suggestion, SuggestionKind } from '../../src-preload/api';
import { getClient } from '../client/client';
import { useNavigation } from '../stores/navigation';
import { useSearch } from '../stores/search';
import { useSearchHistory } from '../stores/search-history';
import '../styles/search-words.css';

const LIMIT = 8;

const ICONS: Record<SuggestionKind, typeof Clock> = {
  pinned: Bookmark,
  recent: Clock,
  person: User,
  folder: Folder,
  place: MapPin,
  word: TextCursor,
  correction: TextCursor,
};

const KIND_LABELS: Record<SuggestionKind, string> = {
  pinned: 'pinned',
  recent: 'recent',
  person: 'person',
  folder: 'folder',
  place: 'place',
  word: 'in library',
  correction: 'spelling',
};

/** The suggestion's text with the part already typed in normal weight and the completion in bold. */
function Completion({ text, typed }: { text: string; typed: string }) {
  const start = text.toLowerCase().startsWith(typed.toLowerCase()) ? typed.length : 0;
  return (
    <span className="suggestion-text">
      {text.slice(0, start)}
      <strong>{text.slice(start)}</strong>
    </span>
  );
}

export function SearchSuggestions({ input }: { input: RefObject<HTMLInputElement | null> }) {
  const query = useSearch((state) => state.query);
  const setQuery = useSearch((state) => state.setQuery);
  const run = useSearch((state) => state.run);
  const show = useNavigation((state) => state.show);
  const history = useSearchHistory();
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(-1);
  const serial = useRef(0);
  // The key handler is attached once; it reads the list as last rendered from here.
  const list = useRef({ items, active, open });
  useEffect(() => {
    list.current = { items, active, open };
  });

  useEffect(() => {
    if (!open) return;
    const mine = ++serial.current;
    void getClient()
      .invoke('search.suggest', { prefix: query, limit: LIMIT })
      .then((result) => {
        if (mine !== serial.current) return;
        setItems(result.ok ? result.value.suggestions : []);
        setActive(-1);
      });
  }, [query, open, history.entries]);

  useEffect(() => {
    const box = input.current;
    if (!box) return;
    // A highlight belongs to the list it was made in: once the text changes, Enter searches what the box says until
    // the new text's list has come (on a busy machine Enter can arrive first).
    const forget = () => {
      list.current = { ...list.current, active: -1 };
      setActive(-1);
    };
    const accept = (suggestion: Suggestion, search: boolean) => {
      forget();
      setQuery(suggestion.text);
      if (search) {
        setOpen(false);
        show('search');
        void run({ remember: true });
      }
    };
    const onKey = (event: KeyboardEvent) => {
      const { items: shown, active: at, open: isOpen } = list.current;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        if (!isOpen) setOpen(true);
        if (shown.length === 0) return;
        event.preventDefault();
        // -1 is the box itself: moving past either end comes back to what was typed.
        const next = at + (event.key === 'ArrowDown' ? 1 : -1);
        setActive(next >= shown.length ? -1 : next < -1 ? shown.length - 1 : next);
      } else if (event.key === 'Enter' && isOpen && at >= 0 && shown[at]) {
        event.preventDefault();
        event.stopPropagation();
        accept(shown[at], true);
      } else if (event.key === 'Tab' && isOpen && !event.shiftKey && shown.length > 0) {
        const chosen = shown[at >= 0 ? at : 0]!;
        if (chosen.text === box.value) return;
        event.preventDefault();
        accept(chosen, false);
      } else if (event.key === 'Escape' && isOpen) {
        // The first Esc closes the list, keeping the box's text (a search field would clear it) and its focus;
        // a second Esc leaves the box.
        event.preventDefault();
        event.stopPropagation();
        setOpen(false);
      } else if (event.key === 'Enter') {
        setOpen(false);
      }
    };
    const onFocus = () => {
      setOpen(true);
      void useSearchHistory.getState().load();
    };
    const onInput = () => {
      forget();
      onFocus();
    };
    const onBlur = () => setOpen(false);
    box.addEventListener('keydown', onKey);
    box.addEventListener('focus', onFocus);
    box.addEventListener('blur', onBlur);
    box.addEventListener('input', onInput);
    return () => {
      box.removeEventListener('keydown', onKey);
      box.removeEventListener('focus', onFocus);
      box.removeEventListener('blur', onBlur);
      box.removeEventListener('input', onInput);
    };
  }, [input, run, setQuery, show]);

  // Drawn in a portal at the search box's position, so no panel around the box can clip it.
  const [place, setPlace] = useState<CSSProperties | null>(null);
  const visible = open && items.length > 0;
  useLayoutEffect(() => {
    if (!visible) return;
    const measure = () => {
      const box = input.current?.closest('form') ?? input.current;
      if (!box) return;
      const rect = box.getBoundingClientRect();
      setPlace({ position: 'fixed', top: rect.bottom + 6, left: rect.left, width: rect.width });
    };
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [visible, input]);

  if (!visible) return null;
  const hasHistory = items.some((item) => item.kind === 'recent' || item.kind === 'pinned');
  return createPortal(
    // Clicks inside must not blur the box (which would close the list before the click lands).
    <div className="suggestions panel" role="listbox" aria-label="Search suggestions" style={place ?? undefined} onMouseDown={(event) => event.preventDefault()}>
      {items.map((item, index) => {
        const Icon = ICONS[item.kind];
        const isHistory = item.kind === 'recent' || item.kind === 'pinned';
        return (
          <div key={`${item.kind}:${item.text}`} className="suggestion" role="option" aria-selected={index === active} data-kind={item.kind}>
            <button
              type="button"
              className="suggestion-main"
              tabIndex={-1}
              onMouseEnter={() => setActive(index)}
              onClick={() => {
                setQuery(item.text);
                setOpen(false);
                show('search');
                void run({ remember: true });
              }}
            >
              <Icon className="icon small" aria-hidden="true" />
              <Completion text={item.text} typed={query} />
              <span className="suggestion-kind">
                {KIND_LABELS[item.kind]}
                {item.count !== null ? ` · ${item.count.toLocaleString()}` : ''}
              </span>
            </button>
            {isHistory ? (
              <>
                <button
                  type="button"
                  className="btn ghost icon-only"
                  tabIndex={-1}
                  aria-label={item.kind === 'pinned' ? `Unpin “${item.text}”` : `Pin “${item.text}”`}
                  aria-pressed={item.kind === 'pinned'}
                  onClick={() => void history.pin(item.text, item.kind !== 'pinned')}
                >
                  <Bookmark className="icon small" aria-hidden="true" />
                </button>
                <button type="button" className="btn ghost icon-only" tabIndex={-1} aria-label={`Forget “${item.text}”`} onClick={() => void history.remove(item.text)}>
                  <Close className="icon small" aria-hidden="true" />
                </button>
              </>
            ) : null}
          </div>
        );
      })}
      {hasHistory ? (
        <div className="suggestions-footer">
          <span className="faint">Searches stay on this computer.</span>
          <button type="button" className="btn ghost" tabIndex={-1} onClick={() => void history.clear(false)}>
            Clear recent
          </button>
        </div>
      ) : null}
    </div>,
    document.body,
  );
}
