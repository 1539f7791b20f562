// Duplicates: groups of identical and near-identical photos (the engine's search.duplicates), each with "Keep this"
// to remove the rest — through the usual confirmation, with Undo and Recently deleted behind it.
import { useEffect, useState } from 'react';
import { Copy } from 'pixelarticons/react';
import type { ApiError, DuplicateGroup, PhotoSummary } from '../../src-preload/api';
import { plural } from '../actions/photo-actions';
import { getClient } from '../client/client';
import { fileName, PhotoTile } from '../components/PhotoTile';
import { ErrorState, LoadingState, StateCard } from '../components/states';
import { useLibrary } from '../stores/library';
import { useNavigation } from '../stores/navigation';

export function DuplicatesView() {
  const view = useNavigation((state) => state.view);
  const askDelete = useNavigation((state) => state.askDelete);
  const openViewer = useNavigation((state) => state.openViewer);
  const openContextMenu = useNavigation((state) => state.openContextMenu);
  // The library's size changes after a removal: asking again then keeps the groups true.
  const libraryTotal = useLibrary((state) => state.total);
  const [groups, setGroups] = useState<DuplicateGroup[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (view !== 'duplicates') return;
    let cancelled = false;
    void getClient()
      .invoke('search.duplicates', {})
      .then((result) => {
        if (cancelled) return;
        if (result.ok) {
          setGroups(result.value);
          setError(null);
        } else setError(result.error);
      });
    return () => {
      cancelled = true;
    };
  }, [view, libraryTotal]);

  let body;
  if (error) body = <ErrorState error={error} />;
  else if (!groups) body = <LoadingState label="Comparing your photos…" />;
  else if (groups.length === 0) {
    body = (
      <StateCard icon={<Copy className="icon" aria-hidden="true" />} title="No duplicates">
        <p>No two photos in the library are the same or nearly the same.</p>
      </StateCard>
    );
  }

  const keep = (group: DuplicateGroup, kept: PhotoSummary) => askDelete(group.photos.filter((photo) => photo.id !== kept.id));
  return (
    <section className="view" aria-labelledby="duplicates-title">
      <div className="view-header">
        <h2 id="duplicates-title" style={{ margin: 0 }}>Duplicates</h2>
        <span className="sub">{groups?.length ? plural(groups.length, 'group') : ''}</span>
      </div>
      {body ?? (
        <div className="scroll grid-scroll">
          <div className="duplicate-groups" data-testid="duplicate-groups">
            {groups!.map((group) => (
              <section key={group.photos.map((p) => p.id).join('-')} className="duplicate-group panel pad" aria-label={`${group.kind === 'exact' ? 'Identical' : 'Nearly identical'}: ${group.photos.map((p) => fileName(p.path)).join(', ')}`}>
                <h3>
                  {group.kind === 'exact' ? 'Identical' : `Nearly identical · ${Math.round(group.similarity * 100)}% alike`} · {plural(group.photos.length, 'photo')}
                </h3>
                <div className="tiles">
                  {group.photos.map((photo) => (
                    <div key={photo.id} className="result">
                      <PhotoTile
                        photo={photo}
                        onOpen={() => openViewer(group.photos, group.photos.indexOf(photo))}
                        onContextMenu={(p, x, y) => openContextMenu({ x, y, photo: p, list: group.photos })}
                      />
                      <span className="mono muted deleted-meta name" title={photo.path}>{fileName(photo.path)}</span>
                      {group.photos.length > 1 ? (
                        <button type="button" className="btn" aria-label={`Keep ${fileName(photo.path)}, remove the others`} onClick={() => keep(group, photo)}>
                          Keep this
                        </button>
                      ) : null}
                    </div>
                  ))}
                </div>
                {group.copies.length ? (
                  <details className="disclosure">
                    <summary>{plural(group.copies.length, 'identical file')} on disk, indexed once</summary>
                    {group.copies.map((copy) => (
                      <p key={copy} className="mono">{copy}</p>
                    ))}
                  </details>
                ) : null}
              </section>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}
