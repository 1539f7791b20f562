// Recently deleted: photos removed from the library in the last 30 days, each restorable (with how long it has left);
// photos whose files went to the OS trash are listed too, with where to restore them from.
import { useEffect, useState } from 'react';
import { Reload, Trash } from 'pixelarticons/react';
import type { ApiError, DeletedPhoto } from '../../src-preload/api';
import { plural, restoreDeleted } from '../actions/photo-actions';
import { getClient } from '../client/client';
import { fileName } from '../components/PhotoTile';
import { ErrorState, LoadingState, StateCard } from '../components/states';
import { useNavigation } from '../stores/navigation';

function daysLeft(expiresAt: string): string {
  const days = Math.max(0, Math.ceil((new Date(expiresAt).getTime() - Date.now()) / 86_400_000));
  return days <= 1 ? 'last day' : `${days} days left`;
}

export function DeletedView() {
  const view = useNavigation((state) => state.view);
  const [entries, setEntries] = useState<DeletedPhoto[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const [asked, setAsked] = useState(0);
  const load = () => setAsked((n) => n + 1);

  // Fetched each time the view is shown (removals happen elsewhere) and after each restore.
  useEffect(() => {
    if (view !== 'deleted') return;
    let cancelled = false;
    void getClient()
      .invoke('photos.deleted', undefined)
      .then((result) => {
        if (cancelled) return;
        if (result.ok) {
          setEntries(result.value);
          setError(null);
        } else setError(result.error);
      });
    return () => {
      cancelled = true;
    };
  }, [view, asked]);

  const restore = async (ids: number[]) => {
    setBusy(true);
    await restoreDeleted(ids);
    setBusy(false);
    load();
  };

  const restorable = (entries ?? []).filter((entry) => !entry.inTrash);
  let body;
  if (error && !entries) body = <ErrorState error={error} actions={<button type="button" className="btn" onClick={load}>Try again</button>} />;
  else if (!entries) body = <LoadingState label="Looking for recently deleted photos…" />;
  else if (entries.length === 0) {
    body = (
      <StateCard icon={<Trash className="icon" aria-hidden="true" />} title="Nothing recently deleted">
        <p>Photos you remove from the library stay here for 30 days, so you can put them back.</p>
      </StateCard>
    );
  }

  return (
    <section className="view" aria-labelledby="deleted-title">
      <div className="view-header">
        <h2 id="deleted-title" style={{ margin: 0 }}>Recently deleted</h2>
        <span className="sub">{entries?.length ? `${plural(entries.length, 'photo')} · kept for 30 days after removal` : ''}</span>
        <div className="grow" />
        {restorable.length > 1 ? (
          <button type="button" className="btn" disabled={busy} onClick={() => void restore(restorable.map((entry) => entry.id))}>
            <Reload className="icon small" aria-hidden="true" />
            <span>Restore all</span>
          </button>
        ) : null}
      </div>
      {body ?? (
        <div className="scroll grid-scroll">
          <ul className="tiles deleted-list" data-testid="deleted-photos">
            {entries!.map((entry) => (
              <li key={entry.id} className="deleted-item">
                <div className="tile static" aria-hidden="true">
                  {entry.thumbnail ? <img className="loaded" src={entry.thumbnail} alt="" /> : null}
                </div>
                <div className="deleted-meta">
                  <span className="name" title={entry.path}>{fileName(entry.path)}</span>
                  <span className="muted">{entry.inTrash ? 'In the system trash: restore it from there' : daysLeft(entry.expiresAt)}</span>
                </div>
                {entry.inTrash ? null : (
                  <button type="button" className="btn" disabled={busy} aria-label={`Restore ${fileName(entry.path)}`} onClick={() => void restore([entry.id])}>
                    <Reload className="icon small" aria-hidden="true" />
                    <span>Restore</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
