// The words around a search's results: "Showing results for sunset — search instead for sunst", "Did you mean …?",
// the related words the search also used as chips a person can remove, and pinning the search to the sidebar.
import { Bookmark, Close } from 'pixelarticons/react';
import type { SearchResponse } from '../../src-preload/api';
import { useSearch } from '../stores/search';
import { useSearchHistory } from '../stores/search-history';
import { useSearchWords } from '../stores/search-words';
import '../styles/search-words.css';

/** `response`: deep search's answer, whose related words the text side used; else the normal search's. */
export function SearchWordsNotice(props: { response?: Pick<SearchResponse, 'spelling' | 'expansions'> }) {
  const normal = useSearch((state) => state.response);
  const response = props.response ?? normal;
  const typed = useSearch((state) => state.query).trim();
  const setQuery = useSearch((state) => state.setQuery);
  const run = useSearch((state) => state.run);
  const words = useSearchWords();
  const history = useSearchHistory();
  if (!response || !typed) return null;
  const { spelling } = response;
  const expansions = (response.expansions ?? []).filter((expansion) => expansion.relation !== 'prompt');
  const pinned = history.entries.some((entry) => entry.pinned && entry.query === typed);
  const searchFor = (text: string) => {
    setQuery(text);
    void run({ remember: true });
  };

  return (
    <div className="search-words" aria-label="About this search">
      {spelling?.applied ? (
        <p className="spelling" data-testid="showing-results-for">
          Showing results for <strong>{spelling.corrected}</strong> — search instead for{' '}
          <button
            type="button"
            className="link"
            onClick={() => {
              words.searchExactly(spelling.original);
              searchFor(spelling.original);
            }}
          >
            {spelling.original}
          </button>
        </p>
      ) : spelling ? (
        <p className="spelling" data-testid="did-you-mean">
          Did you mean{' '}
          <button type="button" className="link" onClick={() => searchFor(spelling.corrected)}>
            {spelling.corrected}
          </button>
          ?
        </p>
      ) : null}
      <div className="row expansion-row">
        {expansions.length ? (
          <>
            <span className="faint">Also searching</span>
            <ul className="expansion-chips" data-testid="expansion-chips">
              {expansions.map((expansion) => (
                <li key={expansion.term} className="expansion-chip" title={`${expansion.relation} of “${expansion.word}” · weight ${expansion.weight.toFixed(2)}`}>
                  {expansion.term}
                  <button
                    type="button"
                    aria-label={`Leave out “${expansion.term}”`}
                    onClick={() => {
                      words.removeExpansion(typed, expansion.term);
                      void run();
                    }}
                  >
                    <Close className="icon small" aria-hidden="true" />
                  </button>
                </li>
              ))}
            </ul>
            <button
              type="button"
              className="btn ghost"
              onClick={() => {
                words.setExpand(typed, false);
                void run();
              }}
            >
              Only my words
            </button>
          </>
        ) : words.forQuery === typed && words.expand === false ? (
          <button
            type="button"
            className="btn ghost"
            onClick={() => {
              words.setExpand(typed, true);
              void run();
            }}
          >
            Also search related words
          </button>
        ) : null}
        <div className="grow" />
        <button type="button" className="btn ghost" aria-pressed={pinned} onClick={() => void history.pin(typed, !pinned)}>
          <Bookmark className="icon small" aria-hidden="true" /> {pinned ? 'Pinned' : 'Pin search'}
        </button>
      </div>
    </div>
  );
}
