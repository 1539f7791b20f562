// Favourites: the photos marked with ♥ (in the viewer with F, or for a selection), newest first.
import { useEffect } from 'react';
import { Heart } from 'pixelarticons/react';
import type { PhotoSummary } from '../../src-preload/api';
import { plural } from '../actions/photo-actions';
import { PhotoTile } from '../components/PhotoTile';
import { useRovingTiles } from '../components/roving-grid';
import { ErrorState, LoadingState, StateCard } from '../components/states';
import { useFavourites } from '../stores/favourites';
import { useNavigation } from '../stores/navigation';

export function FavouritesView() {
  const view = useNavigation((state) => state.view);
  const openViewer = useNavigation((state) => state.openViewer);
  const openContextMenu = useNavigation((state) => state.openContextMenu);
  const { photos, error, revision, load } = useFavourites();
  const roving = useRovingTiles();

  useEffect(() => {
    if (view === 'favourites') void load();
  }, [view, revision, load]);

  const list = photos ?? [];
  const open = (photo: PhotoSummary) => openViewer(list, list.findIndex((p) => p.id === photo.id));
  let body;
  if (error && !photos) body = <ErrorState error={error} actions={<button type="button" className="btn" onClick={() => void load()}>Try again</button>} />;
  else if (!photos) body = <LoadingState label="Loading favourites…" />;
  else if (photos.length === 0) {
    body = (
      <StateCard icon={<Heart className="icon" aria-hidden="true" />} title="No favourites yet">
        <p>Open a photo and press F (or the ♥ button) to keep it here.</p>
      </StateCard>
    );
  }
  return (
    <section className="view" aria-labelledby="favourites-title">
      <div className="view-header">
        <h2 id="favourites-title" style={{ margin: 0 }}>Favourites</h2>
        <span className="sub">{photos?.length ? plural(photos.length, 'photo') : ''}</span>
      </div>
      {body ?? (
        <div className="scroll grid-scroll">
          <div className="tiles" data-testid="favourite-photos" onKeyDown={roving.onKeyDown} onFocus={roving.onFocus}>
            {list.map((photo, i) => (
              <PhotoTile
                key={photo.id}
                photo={photo}
                onOpen={open}
                onContextMenu={(p, x, y) => openContextMenu({ x, y, photo: p, list })}
                tabStop={roving.isTabStop(photo.id, i, list.map((p) => p.id))}
              />
            ))}
          </div>
        </div>
      )}
    </section>
  );
}
