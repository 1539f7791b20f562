// Browser mode's "Export a copy…": there is no native picker, so the folder is typed as a path on the computer running
// Glimpse, with the same completion as adding a folder; the engine makes the folder when its parent exists.
import { useEffect, useRef, useState } from 'react';
import type { PhotoSummary } from '../../src-preload/api';
import { plural } from '../actions/photo-actions';
import { FolderPathField } from '../components/FolderPathField';
import { fileName } from '../components/PhotoTile';
import { exportPhotos, lastExportFolder, useExport } from './export-photos';
import '../styles/selection.css';

export function ExportDialog() {
  const photos = useExport((state) => state.pending);
  return photos ? <ExportForm photos={photos} /> : null;
}

function ExportForm({ photos }: { photos: PhotoSummary[] }) {
  const cancel = useExport((state) => state.cancel);
  const [folder, setFolder] = useState(lastExportFolder);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const returnTo = document.activeElement;
    input.current?.focus();
    return () => {
      if (returnTo instanceof HTMLElement && returnTo.isConnected) returnTo.focus();
    };
  }, []);

  const what = photos.length === 1 ? fileName(photos[0].path) : plural(photos.length, 'photo');
  const submit = async () => {
    if (!folder.trim() || busy) return;
    setBusy(true);
    const done = await exportPhotos(photos, folder.trim());
    setBusy(false);
    if (done) cancel();
  };

  return (
    <div className="dialog-backdrop" onMouseDown={(event) => event.target === event.currentTarget && cancel()}>
      <form
        className="dialog export-dialog panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby="export-title"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
        onKeyDown={(event) => {
          // Typing a path must not reach the viewer's or the window's one-letter shortcuts.
          event.stopPropagation();
          if (event.key === 'Escape' && !event.defaultPrevented) cancel();
        }}
      >
        <h2 id="export-title">Export a copy of {what}</h2>
        <p>
          The original {photos.length === 1 ? 'file is' : 'files are'} copied unchanged. Nothing in the folder is overwritten: a name already taken
          gets a number, like “IMG_0001 (2).jpg”.
        </p>
        <FolderPathField inputRef={input} value={folder} onChange={setFolder} placeholder="Folder on the computer running Glimpse, e.g. /home/you/Exports" />
        <p className="export-hint">A new folder is made if the folder above it exists. In the desktop app your system’s folder picker opens instead.</p>
        <div className="actions">
          <button type="button" className="btn" onClick={cancel} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={!folder.trim() || busy}>
            {busy ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </form>
    </div>
  );
}
