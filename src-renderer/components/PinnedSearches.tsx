// Pinned searches in the sidebar: one click runs a search a person keeps coming back to.
import { useEffect } from 'react';
import { Bookmark } from 'pixelarticons/react';
import { useNavigation } from '../stores/navigation';
import { useSearch } from '../stores/search';
import { useSearchHistory } from '../stores/search-history';
import '../styles/search-words.css';

export function PinnedSearches() {
  const entries = useSearchHistory((state) => state.entries);
  const load = useSearchHistory((state) => state.load);
  const setQuery = useSearch((state) => state.setQuery);
  const run = useSearch((state) => state.run);
  const show = useNavigation((state) => state.show);
  useEffect(() => {
    void load();
  }, [load]);
  const pinned = entries.filter((entry) => entry.pinned);
  if (pinned.length === 0) return null;
  return (
    <div className="pinned-searches" role="group" aria-label="Pinned searches">
      <span className="label faint">Pinned searches</span>
      {pinned.map((entry) => (
        <button
          key={entry.query}
          type="button"
          className="nav-item"
          onClick={() => {
            setQuery(entry.query);
            show('search');
            void run({ remember: true });
          }}
        >
          <Bookmark className="icon small" aria-hidden="true" />
          <span className="pinned-query">{entry.query}</span>
        </button>
      ))}
    </div>
  );
}
