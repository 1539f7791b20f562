// "Export a copy…" from anywhere (selection bar, right-click menu, viewer): the desktop app asks the OS for a folder,
// browser mode asks for a path on the computer running Glimpse; then the engine copies and the toasts say what happened.
import { create } from 'zustand';
import type { PhotoSummary } from '../../src-preload/api';
import { getClient } from '../client/client';
import { useToasts } from '../stores/toasts';

const LAST_FOLDER_KEY = 'glimpse.exportFolder';

interface ExportState {
  /** Photos waiting for a folder to be typed (browser mode). */
  pending: PhotoSummary[] | null;
  ask(photos: PhotoSummary[]): void;
  cancel(): void;
}

export const useExport = create<ExportState>((set) => ({
  pending: null,
  ask: (photos) => set({ pending: photos.length ? photos : null }),
  cancel: () => set({ pending: null }),
}));

export function lastExportFolder(): string {
  try {
    return localStorage.getItem(LAST_FOLDER_KEY) ?? '';
  } catch {
    return '';
  }
}

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** Copies the photos' originals into `folder`; resolves to whether the engine took the folder. */
export async function exportPhotos(photos: PhotoSummary[], folder: string): Promise<boolean> {
  const toast = useToasts.getState().push;
  const result = await getClient().invoke('photos.export', { ids: photos.map((photo) => photo.id), folder });
  if (!result.ok) {
    toast('error', `Could not export: ${result.error.message}`);
    return false;
  }
  try {
    localStorage.setItem(LAST_FOLDER_KEY, result.value.folder);
  } catch {
    // A browser without storage only forgets the folder for next time.
  }
  const { exported, failed } = result.value;
  const renamed = exported.filter((entry) => fileName(entry.to) !== fileName(entry.from)).length;
  const parts = [`Exported ${exported.length} ${exported.length === 1 ? 'copy' : 'copies'} to ${result.value.folder}`];
  if (renamed) parts.push(`${renamed} renamed because the name was taken`);
  if (failed.length) parts.push(`${failed.length} failed`);
  toast(failed.length ? 'warn' : 'info', parts.join(' · '));
  for (const failure of failed.slice(0, 3)) toast('error', `${failure.path ? fileName(failure.path) : `Photo #${failure.id}`}: ${failure.error}`);
  return true;
}

/** Starts an export: the native picker where there is one, else the dialog with a path field. */
export async function startExport(photos: PhotoSummary[]): Promise<void> {
  if (photos.length === 0) return;
  const shell = getClient().shell;
  if (!shell) return useExport.getState().ask(photos);
  const folder = await shell.pickExportFolder();
  if (folder) await exportPhotos(photos, folder);
}
