// Search: results of the query in the top bar with a score badge each, the score breakdown on demand, folder and
// date filters, and relevance sliders (temperature, cut-off) that re-rank the answer live without a new query.
import { useEffect } from 'react';
import { Search, WarningDiamond } from 'pixelarticons/react';
import type { PhotoSummary } from '../../src-preload/api';
import { plural } from '../actions/photo-actions';
import { PersonChips } from '../components/PersonChips';
import { PhotoTile } from '../components/PhotoTile';
import { ScoreBadge, ScoreBreakdown, percent } from '../components/ScoreBadge';
import { SearchWordsNotice } from '../components/SearchWordsNotice';
import { useRovingTiles } from '../components/roving-grid';
import { ErrorState, Spinner, StateCard } from '../components/states';
import { useDeepSearch } from '../stores/deep-search';
import { useEngine } from '../stores/engine';
import { useNavigation } from '../stores/navigation';
import { SEARCH_MAX_LIMIT, useSearch, visibleHits } from '../stores/search';
import { DeepSearchResults } from './DeepSearchResults';

/** Below this best calibrated score nothing is likely what was described: say so instead of a wall of 1% results. */
export const STRONG_MATCH = 0.1;


const EXAMPLES = ['red', 'a yellow flower', 'blue sky', 'green forest', 'sunset'];

function Filters() {
  const filters = useSearch((state) => state.filters);
  const setFilters = useSearch((state) => state.setFilters);
  const run = useSearch((state) => state.run);
  const folders = useEngine((state) => state.folders);
  const temperature = useSearch((state) => state.temperature);
  const cutoff = useSearch((state) => state.cutoff);
  const setTemperature = useSearch((state) => state.setTemperature);
  const setCutoff = useSearch((state) => state.setCutoff);
  const explain = useSearch((state) => state.explain);
  const setExplain = useSearch((state) => state.setExplain);
  const update = (patch: Parameters<typeof setFilters>[0]) => {
    setFilters(patch);
    void run();
  };
  return (
    <div className="toolbar panel" aria-label="Search filters">
      <label className="field">
        <span>Folder</span>
        <select value={filters.folderId ?? ''} onChange={(event) => update({ folderId: event.target.value ? Number(event.target.value) : null })}>
          <option value="">All folders</option>
          {(folders ?? []).map((folder) => (
            <option key={folder.id} value={folder.id}>
              {folder.path}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>From</span>
        <input type="date" value={filters.from} onChange={(event) => update({ from: event.target.value })} />
      </label>
      <label className="field">
        <span>To</span>
        <input type="date" value={filters.to} onChange={(event) => update({ to: event.target.value })} />
      </label>
      <PersonChips selected={filters.personIds} onChange={(personIds) => update({ personIds })} />
      <div className="grow" />
      <div className="relevance">
        <label className="field">
          <span>Sharpness · {(temperature ?? 1).toFixed(2)}</span>
          <input
            type="range"
            min={0.2}
            max={4}
            step={0.05}
            value={temperature ?? 1}
            disabled={temperature === null}
            onChange={(event) => setTemperature(Number(event.target.value))}
            aria-label="Sharpness"
          />
        </label>
        <label className="field">
          <span>Cut-off · {percent(cutoff ?? 0)}</span>
          <input
            type="range"
            min={0}
            max={0.95}
            step={0.01}
            value={cutoff ?? 0}
            disabled={cutoff === null}
            onChange={(event) => setCutoff(Number(event.target.value))}
            aria-label="Relevance cut-off"
          />
        </label>
      </div>
      <button type="button" className="btn" aria-pressed={explain} onClick={() => setExplain(!explain)}>
        Explain scores
      </button>
    </div>
  );
}

export function SearchView() {
  const state = useSearch();
  const { status, response, error, query, explain, limit } = state;
  const roving = useRovingTiles();
  const hits = visibleHits(state);
  const openViewer = useNavigation((s) => s.openViewer);
  const openContextMenu = useNavigation((s) => s.openContextMenu);
  const loadFolders = useEngine((s) => s.loadFolders);
  const show = useNavigation((s) => s.show);
  const deep = useDeepSearch((s) => s.enabled && s.status !== 'idle');

  useEffect(() => {
    void loadFolders();
  }, [loadFolders]);

  const photos = hits.map((hit) => hit.photo);
  const open = (photo: PhotoSummary) => openViewer(photos, photos.findIndex((p) => p.id === photo.id));
  const menu = (photo: PhotoSummary, x: number, y: number) => openContextMenu({ x, y, photo, list: photos });

  let body;
  if (status === 'idle') {
    body = (
      <StateCard icon={<Search className="icon" aria-hidden="true" />} title="Describe what you are looking for">
        <p>Glimpse compares your words with what is in each photo — no tags needed. Try:</p>
        <div className="chips">
          {EXAMPLES.map((example) => (
            <button
              key={example}
              type="button"
              className="chip"
              onClick={() => {
                state.setQuery(example);
                void state.run();
              }}
            >
              {example}
            </button>
          ))}
        </div>
      </StateCard>
    );
  } else if (status === 'error' && error?.code === 'MODEL_MISSING') {
    body = (
      <StateCard
        icon={<WarningDiamond className="icon" aria-hidden="true" />}
        title="Search is unavailable"
        actions={
          <button type="button" className="btn" onClick={() => show('settings')}>
            Open model settings
          </button>
        }
      >
        <p>Finding photos by description needs the search model, which is not installed yet. Download it from the banner above; your photos stay browsable meanwhile.</p>
        <details className="disclosure">
          <summary>Details</summary>
          <p>{error.message}</p>
        </details>
      </StateCard>
    );
  } else if (status === 'error' && error) {
    body = (
      <ErrorState
        error={error}
        actions={
          <button type="button" className="btn" onClick={() => void state.run()}>
            Try again
          </button>
        }
      />
    );
  } else if (status === 'done' && hits.length === 0) {
    const hidden = response?.hits.length ?? 0;
    body = (
      <StateCard icon={<WarningDiamond className="icon" aria-hidden="true" />} title={`Nothing matched “${response?.query ?? query}”`}>
        <p>
          {hidden
            ? `${plural(hidden, 'photo')} scored below the cut-off. Lower the cut-off or soften the sharpness to see them.`
            : 'Try other words, or check that your folders have finished indexing.'}
        </p>
      </StateCard>
    );
  }

  return (
    <section className="view" aria-labelledby="search-title">
      <div className="view-header">
        <h2 id="search-title" style={{ margin: 0 }}>Search</h2>
        {response && status === 'done' && !deep ? (
          <>
            <span className="sub" data-testid="search-summary">
              {plural(hits.length, 'result')} for “{response.query}”
            </span>
            <details className="disclosure inline">
              <summary>Details</summary>
              <span className="muted">
                {response.candidates} candidates · {Math.round(response.tookMs)} ms · {response.model}
              </span>
            </details>
          </>
        ) : null}
        <div className="grow" />
        {status === 'loading' ? <Spinner label="Searching…" /> : null}
      </div>
      <Filters />
      {status === 'done' && !deep ? <SearchWordsNotice /> : null}
      {deep ? <DeepSearchResults /> : body ?? (
        <div className="scroll grid-scroll">
          {hits[0] && hits[0].score < STRONG_MATCH ? (
            <p className="weak-match" data-testid="weak-match">
              No strong match for “{response?.query}”: these are the closest photos, but none is likely what you described.
            </p>
          ) : null}
          <div className="tiles" data-testid="search-results" onKeyDown={roving.onKeyDown} onFocus={roving.onFocus}>
            {hits.map((hit, i) => (
              <div key={hit.photo.id} className="result">
                <PhotoTile
                  photo={hit.photo}
                  onOpen={open}
                  onContextMenu={menu}
                  tabStop={roving.isTabStop(hit.photo.id, i, photos.map((p) => p.id))}
                >
                  <span className="score">
                    <ScoreBadge score={hit.score} />
                  </span>
                </PhotoTile>
                {explain ? <ScoreBreakdown parts={hit} globalOnly={hit.globalOnly} /> : null}
              </div>
            ))}
          </div>
          {response && response.hits.length >= limit && limit < SEARCH_MAX_LIMIT ? (
            <div className="more">
              <button type="button" className="btn" disabled={status !== 'done'} onClick={() => void state.more()}>
                Show more
              </button>
            </div>
          ) : null}
        </div>
      )}
    </section>
  );
}
