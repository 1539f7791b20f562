// Deep-search results in the Search view: each photo with the words that matched (marked) and, when asked to
// explain, which part found it — the text index, the image model, or both — and the fused score.
import { WarningDiamond } from 'pixelarticons/react';
import type { PhotoSummary } from '../../src-preload/api';
import { plural } from '../actions/photo-actions';
import { MatchedWords } from '../components/MatchedWords';
import { PhotoTile } from '../components/PhotoTile';
import { SearchWordsNotice } from '../components/SearchWordsNotice';
import { ErrorState, Spinner, StateCard } from '../components/states';
import { useDeepSearch } from '../stores/deep-search';
import { useNavigation } from '../stores/navigation';
import { useSearch } from '../stores/search';
import '../styles/deep-search.css';

export function DeepSearchResults() {
  const { status, response, error } = useDeepSearch();
  const explain = useSearch((s) => s.explain);
  const query = useSearch((s) => s.query);
  const openViewer = useNavigation((s) => s.openViewer);
  const openContextMenu = useNavigation((s) => s.openContextMenu);
  const hits = response?.hits ?? [];
  const photos = hits.map((hit) => hit.photo);
  const open = (photo: PhotoSummary) => openViewer(photos, photos.findIndex((p) => p.id === photo.id));
  const menu = (photo: PhotoSummary, x: number, y: number) => openContextMenu({ x, y, photo, list: photos });

  if (status === 'loading' && !response) return <Spinner label="Searching words and pictures…" />;
  if (status === 'error' && error) return <ErrorState error={error} actions={null} />;
  if (status === 'idle' || !response) return null;
  return (
    <div className="scroll">
      <p className="sub" data-testid="deep-summary">
        Deep search: {plural(hits.length, 'result')} for “{response.query}” · {response.textCandidates} by words · {response.vectorCandidates} by picture ·{' '}
        {Math.round(response.tookMs)} ms
      </p>
      <SearchWordsNotice response={response} />
      {response.notes.map((note) => (
        <p key={note} className="deep-notes">
          {note}
        </p>
      ))}
      {hits.length === 0 ? (
        <StateCard icon={<WarningDiamond className="icon" aria-hidden="true" />} title={`Nothing matched “${response.query || query}”`}>
          <p>No photo has these words, and the image model found nothing like them.</p>
        </StateCard>
      ) : (
        <div className="tiles" data-testid="deep-results">
          {hits.map((hit) => (
            <div key={hit.photo.id} className="result" data-testid="deep-hit">
              <PhotoTile photo={hit.photo} onOpen={open} onContextMenu={menu} />
              <MatchedWords fields={hit.text?.fields ?? []} />
              {explain ? (
                <div className="deep-parts">
                  {hit.text ? `words #${hit.text.rank}${hit.text.expansion ? ` via “${hit.text.expansion}”` : ''}` : 'words —'} · {hit.vector ? `picture #${hit.vector.rank} (${Math.round(hit.vector.score * 100)}%)` : 'picture —'} · fused{' '}
                  {hit.score.toFixed(4)}
                </div>
              ) : null}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
