// Deleting is the one action that can lose something, so it is confirmed, says how many photos, and lets the person
// choose between removing them from the library only and also moving the files to the OS trash.
import { useEffect, useRef, useState } from 'react';
import { deletePhotos, plural } from '../actions/photo-actions';
import { useNavigation } from '../stores/navigation';
import { fileName } from './PhotoTile';

export function DeleteDialog() {
  const photos = useNavigation((state) => state.pendingDelete);
  const cancel = useNavigation((state) => state.cancelDelete);
  const [trash, setTrash] = useState(false);
  const [busy, setBusy] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);

  // The safe choice has focus, so a stray Enter keeps the photos.
  useEffect(() => {
    if (!photos) return;
    const returnTo = document.activeElement;
    cancelRef.current?.focus();
    return () => {
      if (returnTo instanceof HTMLElement && returnTo.isConnected) returnTo.focus();
    };
  }, [photos]);

  if (!photos) return null;
  const confirm = async () => {
    setBusy(true);
    await deletePhotos(photos, trash);
    setBusy(false);
    cancel();
  };
  const what = photos.length === 1 ? fileName(photos[0].path) : plural(photos.length, 'photo');

  return (
    <div className="dialog-backdrop" onMouseDown={(event) => event.target === event.currentTarget && cancel()}>
      <div
        className="dialog panel"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="delete-title"
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            cancel();
          }
        }}
      >
        <h2 id="delete-title">Delete {what}?</h2>
        <p>
          {photos.length === 1 ? 'It' : 'They'} will be removed from Glimpse: from the grid, from search and from similar
          results. You can put {photos.length === 1 ? 'it' : 'them'} back from Recently deleted for 30 days.
        </p>
        <label className="checkbox">
          <input type="checkbox" checked={trash} onChange={(event) => setTrash(event.target.checked)} />
          Also move the {photos.length === 1 ? 'file' : 'files'} to the trash
        </label>
        <div className="actions">
          <button ref={cancelRef} type="button" className="btn" onClick={cancel} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="btn danger" onClick={() => void confirm()} disabled={busy}>
            Delete
          </button>
        </div>
      </div>
    </div>
  );
}
