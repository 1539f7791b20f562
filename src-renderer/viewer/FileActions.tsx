// The viewer's buttons for the photo's file, as fileActionsFor decides them: Show in folder and Open with the
// system viewer in the desktop app, Download original (the untouched file, whatever rotation is shown) in a browser.
import { Download, ExternalLink, Folder } from 'pixelarticons/react';
import type { PhotoSummary } from '../../src-preload/api';
import { runShellAction } from '../actions/photo-actions';
import { getClient } from '../client/client';
import { fileName } from '../components/PhotoTile';
import { fileActionsFor } from './file-actions';

export function FileActions({ photo }: { photo: PhotoSummary }) {
  const client = getClient();
  return (
    <>
      {fileActionsFor(client).map((action) =>
        action === 'downloadOriginal' ? (
          <a key={action} className="btn icon-only" href={client.imageUrl(photo.id, 'original')} download={fileName(photo.path)} aria-label="Download original" title="Download original">
            <Download className="icon small" aria-hidden="true" />
          </a>
        ) : action === 'showInFolder' ? (
          <button key={action} type="button" className="btn icon-only" aria-label="Show in folder" title="Show in folder" onClick={() => void runShellAction('showInFolder', photo)}>
            <Folder className="icon small" aria-hidden="true" />
          </button>
        ) : (
          <button key={action} type="button" className="btn icon-only" aria-label="Open with system viewer" title="Open with system viewer (the default app)" onClick={() => void runShellAction('openWithSystemViewer', photo)}>
            <ExternalLink className="icon small" aria-hidden="true" />
          </button>
        ),
      )}
    </>
  );
}
