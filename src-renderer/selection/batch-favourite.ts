// ♥ for a whole selection at once, with an Undo in the toast that puts back exactly what each photo was before (some
// may already have been favourites), as the delete toast's Undo does.
import type { PhotoSummary } from '../../src-preload/api';
import { markFavourite, plural } from '../actions/photo-actions';
import { getClient } from '../client/client';
import { useToasts } from '../stores/toasts';

/** Marks (or unmarks) every photo; resolves to whether the engine did it. */
export async function favouriteSelection(photos: PhotoSummary[], favourite: boolean): Promise<boolean> {
  if (photos.length === 0) return false;
  const before = await getClient().invoke('gallery.favourites', undefined);
  const wereFavourites = new Set(before.ok ? before.value.map((photo) => photo.id) : []);
  if (!(await markFavourite(photos, favourite))) return false;
  // Only the photos this changed are changed back; without the earlier list nothing can be undone safely.
  const changed = photos.filter((photo) => wereFavourites.has(photo.id) !== favourite);
  const message = favourite ? `Added ${plural(photos.length, 'photo')} to Favourites` : `Removed ${plural(photos.length, 'photo')} from Favourites`;
  const undo = before.ok && changed.length ? { label: 'Undo', run: () => void markFavourite(changed, !favourite) } : undefined;
  useToasts.getState().push('info', message, undo);
  return true;
}
