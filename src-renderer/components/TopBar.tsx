// The search bar, always in reach: typing and Enter (or a pause while on the Search view) runs the query.
import { useEffect, useRef } from 'react';
import { Close, Search } from 'pixelarticons/react';
import { getClient } from '../client/client';
import { useNavigation } from '../stores/navigation';
import { isLatestSearch, useSearch } from '../stores/search';
import { DeepSearchToggle } from './DeepSearchToggle';
import { SearchSuggestions } from './SearchSuggestions';

const TYPE_PAUSE_MS = 350;
/** What the Api accepts (search.query's schema): the box stops there and says so. */
export const MAX_QUERY_LENGTH = 500;

export function TopBar() {
  const query = useSearch((state) => state.query);
  const setQuery = useSearch((state) => state.setQuery);
  const run = useSearch((state) => state.run);
  const view = useNavigation((state) => state.view);
  const show = useNavigation((state) => state.show);
  const focusRequest = useNavigation((state) => state.searchFocusRequest);
  const input = useRef<HTMLInputElement>(null);
  const typed = useRef(false);

  useEffect(() => {
    if (focusRequest) input.current?.focus();
  }, [focusRequest]);

  useEffect(() => {
    if (!typed.current || view !== 'search') return;
    // Enter or a picked suggestion has already run it (and opened this view): searching it again wastes a search.
    const timer = setTimeout(() => {
      if (!isLatestSearch(query)) void run();
    }, TYPE_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [query, view, run]);

  return (
    <header className="topbar panel">
      <form
        className="searchbox"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          show('search');
          void run({ remember: true });
        }}
      >
        <Search className="icon" aria-hidden="true" />
        <input
          ref={input}
          // A text field, not type=search: the browser's own clear (×) would sit beside the app's.
          type="text"
          role="searchbox"
          inputMode="search"
          enterKeyHint="search"
          aria-label="Search photos"
          placeholder="Describe a photo — “red bike at dusk”, “snowy mountains”…"
          value={query}
          maxLength={MAX_QUERY_LENGTH}
          aria-describedby={query.length >= MAX_QUERY_LENGTH ? 'query-limit' : undefined}
          onChange={(event) => {
            typed.current = true;
            setQuery(event.target.value);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape') input.current?.blur();
          }}
        />
        {query ? (
          <button
            type="button"
            className="btn ghost icon-only"
            aria-label="Clear search"
            onClick={() => {
              setQuery('');
              input.current?.focus();
            }}
          >
            <Close className="icon small" aria-hidden="true" />
          </button>
        ) : (
          <kbd aria-hidden="true">/</kbd>
        )}
        <SearchSuggestions input={input} />
        {query.length >= MAX_QUERY_LENGTH ? (
          <span id="query-limit" className="query-limit" role="status">
            {MAX_QUERY_LENGTH} characters at most
          </span>
        ) : null}
      </form>
      <DeepSearchToggle />
      <span className="mode-tag label" title={getClient().mode === 'browser' ? 'Served by `glimpse serve` on this computer' : 'Desktop app'}>
        {getClient().mode === 'browser' ? 'Browser mode' : 'Desktop'}
      </span>
    </header>
  );
}
