// The viewer's "Export a copy…" toolbar button, in its own module so the viewer only places it.
import { Download } from 'pixelarticons/react';
import type { PhotoSummary } from '../../src-preload/api';
import { startExport } from './export-photos';

export function ExportCopyButton({ photo }: { photo: PhotoSummary }) {
  return (
    <button type="button" className="btn icon-only" aria-label="Export a copy…" title="Export a copy…" onClick={() => void startExport([photo])}>
      <Download className="icon small" aria-hidden="true" />
    </button>
  );
}
