// What right-click → Find similar opens: the photo asked about, pinned on the left, and the library's photos most
// like it, best first, each with its similarity score.
import { Images, Sparkles } from 'pixelarticons/react';
import type { PhotoSummary } from '../../src-preload/api';
import { plural } from '../actions/photo-actions';
import { PhotoTile, fileName } from '../components/PhotoTile';
import { useRovingTiles } from '../components/roving-grid';
import { ScoreBadge } from '../components/ScoreBadge';
import { ErrorState, LoadingState, StateCard } from '../components/states';
import { formatDate } from '../format';
import { useNavigation } from '../stores/navigation';
import { shownImageUrl } from '../stores/rotations';
import { useSimilar } from '../stores/similar';

export function SimilarView() {
  const { source, status, response, error, find } = useSimilar();
  const openViewer = useNavigation((s) => s.openViewer);
  const openContextMenu = useNavigation((s) => s.openContextMenu);
  const show = useNavigation((s) => s.show);
  const roving = useRovingTiles();
  const hits = response?.hits ?? [];
  const photos = hits.map((hit) => hit.photo);
  const open = (photo: PhotoSummary) => openViewer(photos, photos.findIndex((p) => p.id === photo.id));
  const menu = (photo: PhotoSummary, x: number, y: number) => openContextMenu({ x, y, photo, list: photos });

  if (!source) {
    return (
      <section className="view">
        <StateCard
          icon={<Sparkles className="icon" aria-hidden="true" />}
          title="Pick a photo first"
          actions={<button type="button" className="btn primary" onClick={() => show('library')}>Go to the library</button>}
        >
          <p>Right-click any photo and choose Find similar.</p>
        </StateCard>
      </section>
    );
  }

  let body;
  if (status === 'loading') body = <LoadingState label="Looking for similar photos…" />;
  else if (status === 'error' && error) body = <ErrorState error={error} actions={<button type="button" className="btn" onClick={() => void find(source)}>Try again</button>} />;
  else if (hits.length === 0) {
    body = (
      <StateCard icon={<Images className="icon" aria-hidden="true" />} title="No similar photos yet">
        <p>Nothing else in the library looks like this one — or the rest is still being indexed.</p>
      </StateCard>
    );
  }

  return (
    <section className="view" aria-labelledby="similar-title">
      <div className="view-header">
        <h2 id="similar-title" style={{ margin: 0 }}>Similar</h2>
        <span className="sub">
          {status === 'done' ? `${plural(hits.length, 'photo')} like ${fileName(source.path)}` : ''}
        </span>
      </div>
      <div className="similar-layout">
        <aside className="pinned panel" aria-label="Source photo" data-testid="similar-source">
          <span className="badge accent">Source</span>
          <img src={shownImageUrl(source.id, 'view')} alt={fileName(source.path)} />
          <strong className="mono">{fileName(source.path)}</strong>
          <span className="path">{source.path}</span>
          <span className="muted">{formatDate(source.takenAt ?? source.addedAt)}</span>
          <button type="button" className="btn" onClick={() => openViewer([source, ...photos], 0)}>
            Open
          </button>
        </aside>
        {body ?? (
          <div className="scroll grid-scroll">
            <div className="tiles" data-testid="similar-results" onKeyDown={roving.onKeyDown} onFocus={roving.onFocus}>
              {hits.map((hit, i) => (
                <PhotoTile key={hit.photo.id} photo={hit.photo} onOpen={open} onContextMenu={menu} tabStop={roving.isTabStop(hit.photo.id, i, photos.map((p) => p.id))}>
                  <span className="score">
                    <ScoreBadge score={hit.score} />
                  </span>
                </PhotoTile>
              ))}
            </div>
          </div>
        )}
      </div>
    </section>
  );
}
