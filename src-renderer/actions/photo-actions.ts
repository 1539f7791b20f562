// What a person can do to photos from anywhere (grid, search results, viewer, context menu), each touching every
// store that shows photos so a deleted photo vanishes from all views at once.
import type { ImportResult, PhotoSummary, Result } from '../../src-preload/api';
import { getClient } from '../client/client';
import { useFavourites } from '../stores/favourites';
import { useLibrary } from '../stores/library';
import { useNavigation } from '../stores/navigation';
import { useSearch } from '../stores/search';
import { useSimilar } from '../stores/similar';
import { useToasts } from '../stores/toasts';

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function forgetEverywhere(ids: number[]): void {
  useLibrary.getState().forget(ids);
  useSearch.getState().forget(ids);
  useSimilar.getState().forget(ids);
  useNavigation.getState().forgetPhotos(ids);
}

export async function deletePhotos(photos: PhotoSummary[], moveToTrash: boolean): Promise<boolean> {
  const ids = photos.map((photo) => photo.id);
  const result = await getClient().invoke('photos.delete', { ids, moveToTrash });
  const toast = useToasts.getState().push;
  if (!result.ok) {
    toast('error', `Could not delete: ${result.error.message}`);
    return false;
  }
  const { removed, trashed, failed } = result.value;
  const failedPaths = new Set(failed.map((failure) => failure.path));
  const gone = photos.filter((photo) => !failedPaths.has(photo.path));
  forgetEverywhere(gone.map((photo) => photo.id));
  if (moveToTrash) toast('info', `Removed ${plural(removed, 'photo')} (${trashed} moved to the trash: restore ${trashed === 1 ? 'it' : 'them'} from there)`);
  else if (removed) toast('info', `Removed ${plural(removed, 'photo')}`, { label: 'Undo', run: () => void undoDelete(gone.map((photo) => photo.path)) });
  for (const failure of failed) toast('error', `${failure.path}: ${failure.error}`);
  return true;
}

/** Puts back photos just removed (by path: Recently deleted has its own ids). */
export async function undoDelete(paths: string[]): Promise<void> {
  const toast = useToasts.getState().push;
  const client = getClient();
  const deleted = await client.invoke('photos.deleted', undefined);
  if (!deleted.ok) return toast('error', `Could not undo: ${deleted.error.message}`);
  const wanted = new Set(paths);
  const ids = deleted.value.filter((entry) => wanted.has(entry.path)).map((entry) => entry.id);
  if (ids.length === 0) return toast('warn', 'Nothing left to undo: the photos are no longer in Recently deleted');
  await restoreDeleted(ids);
}

export async function restoreDeleted(ids: number[]): Promise<boolean> {
  const toast = useToasts.getState().push;
  const result = await getClient().invoke('photos.restore', { ids });
  if (!result.ok) {
    toast('error', `Could not restore: ${result.error.message}`);
    return false;
  }
  if (result.value.restored) toast('info', `Restored ${plural(result.value.restored, 'photo')}: ${result.value.restored === 1 ? 'it is' : 'they are'} being indexed again`);
  for (const failure of result.value.failed) toast('error', `${failure.path.split(/[\\/]/).pop()}: ${failure.error}`);
  void useLibrary.getState().reload();
  return result.value.failed.length === 0;
}

export async function markFavourite(photos: PhotoSummary[], favourite: boolean): Promise<boolean> {
  const result = await getClient().invoke('photos.favourite', { ids: photos.map((photo) => photo.id), favourite });
  if (!result.ok) {
    useToasts.getState().push('error', `Could not ${favourite ? 'add to' : 'remove from'} favourites: ${result.error.message}`);
    return false;
  }
  useFavourites.getState().changed();
  return true;
}

export function findSimilar(photo: PhotoSummary): void {
  useNavigation.getState().closeViewer();
  useNavigation.getState().show('similar');
  void useSimilar.getState().find(photo);
}

export async function copyPath(photo: PhotoSummary): Promise<void> {
  try {
    await navigator.clipboard.writeText(photo.path);
    useToasts.getState().push('info', 'Path copied');
  } catch (error) {
    useToasts.getState().push('error', `Could not copy the path: ${(error as Error).message}`);
  }
}

export async function runShellAction(action: 'showInFolder' | 'openWithSystemViewer', photo: PhotoSummary): Promise<void> {
  const shell = getClient().shell;
  if (!shell) return;
  const result = await shell[action](photo.id);
  if (!result.ok) useToasts.getState().push('error', result.error.message);
}

export function reportImport(result: Result<ImportResult>): void {
  const toast = useToasts.getState().push;
  if (!result.ok) {
    toast('error', `Import failed: ${result.error.message}`);
    return;
  }
  const { indexed, duplicates, failed } = result.value;
  const parts = [`Imported ${plural(indexed, 'photo')}`];
  if (duplicates) parts.push(`${plural(duplicates, 'duplicate')} skipped`);
  if (failed.length) parts.push(`${failed.length} failed`);
  toast(failed.length ? 'warn' : 'info', parts.join(' · '));
  for (const failure of failed.slice(0, 3)) toast('error', `${failure.path.split(/[\\/]/).pop()}: ${failure.error}`);
  void useLibrary.getState().reload();
}
