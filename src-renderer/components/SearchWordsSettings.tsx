// Settings for the words around a query: related words (WordNet expansion), spelling correction, and remembering
// searches on this computer, with a button that forgets them.
import { TextCursor } from 'pixelarticons/react';
import type { WordsSettings } from '../../src-preload/api';
import { useEngine } from '../stores/engine';
import { useSearchHistory } from '../stores/search-history';
import { useToasts } from '../stores/toasts';

const OPTIONS: Array<{ key: keyof WordsSettings; label: string }> = [
  { key: 'expand', label: 'Also search related words (crimson → red, dog → puppy)' },
  { key: 'correctSpelling', label: 'Correct spelling when a search finds nothing' },
  { key: 'rememberSearches', label: 'Remember my searches on this computer' },
];

export function SearchWordsSettings({ words }: { words: WordsSettings }) {
  const updateSettings = useEngine((state) => state.updateSettings);
  const clear = useSearchHistory((state) => state.clear);
  const toast = useToasts((state) => state.push);
  return (
    <section className="panel pad stack" aria-labelledby="words-title">
      <h2 id="words-title" className="row">
        <TextCursor className="icon" aria-hidden="true" /> Search words
      </h2>
      {OPTIONS.map(({ key, label }) => (
        <label key={key} className="checkbox">
          <input
            type="checkbox"
            checked={words[key]}
            onChange={async (event) => {
              const error = await updateSettings({ words: { [key]: event.target.checked } });
              if (error) toast('error', error.message);
            }}
          />
          {label}
        </label>
      ))}
      <div className="row">
        <button
          type="button"
          className="btn"
          onClick={async () => {
            await clear(true);
            toast('info', 'Search history cleared');
          }}
        >
          Clear search history
        </button>
      </div>
    </section>
  );
}
