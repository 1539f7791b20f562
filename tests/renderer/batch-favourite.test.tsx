// @vitest-environment jsdom
// ♥ for a selection from the selection bar: every selected photo marked (or unmarked) in one call, and the toast's
// Undo puts back only the photos that call changed — one that was already a favourite stays one.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setClient } from '../../src-renderer/client/client';
import { SelectionBar } from '../../src-renderer/selection/SelectionBar';
import { useToasts } from '../../src-renderer/stores/toasts';
import { photo, scriptedClient } from './scripted-client';

const photos = [photo(1, null, 'a.jpg'), photo(2, null, 'b.jpg'), photo(3, null, 'c.jpg')];

function favouritesClient(initial: number[]) {
  const favourites = new Set(initial);
  const client = scriptedClient({
    'gallery.favourites': () => ({ ok: true, value: photos.filter((p) => favourites.has(p.id)) }),
    'photos.favourite': ({ ids, favourite }: { ids: number[]; favourite: boolean }) => {
      for (const id of ids) {
        if (favourite) favourites.add(id);
        else favourites.delete(id);
      }
      return { ok: true, value: { ids } };
    },
  });
  return { client, favourites };
}

beforeEach(() => useToasts.setState({ toasts: [] }));
afterEach(cleanup);

describe('batch favourite from the selection bar', () => {
  it('marks every selected photo, and Undo unmarks only those it marked', async () => {
    const { client, favourites } = favouritesClient([2]);
    setClient(client);
    let cleared = 0;
    render(<SelectionBar count={3} selectedPhotos={() => photos} onClear={() => cleared++} />);
    expect(screen.getByRole('toolbar', { name: 'Selection' }).textContent).toContain('3 photos selected');
    fireEvent.click(screen.getByRole('button', { name: 'Favourite' }));
    await waitFor(() => expect(cleared).toBe(1));
    expect([...favourites].sort()).toEqual([1, 2, 3]);
    const toast = useToasts.getState().toasts[0];
    expect(toast.message).toBe('Added 3 photos to Favourites');
    toast.action!.run();
    await waitFor(() => expect([...favourites]).toEqual([2]));
  });

  it('unmarks every selected photo, and Undo marks back only those that were favourites', async () => {
    const { client, favourites } = favouritesClient([1, 3]);
    setClient(client);
    render(<SelectionBar count={3} selectedPhotos={() => photos} onClear={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Unfavourite' }));
    await waitFor(() => expect(useToasts.getState().toasts.map((t) => t.message)).toEqual(['Removed 3 photos from Favourites']));
    expect(favourites.size).toBe(0);
    useToasts.getState().toasts[0].action!.run();
    await waitFor(() => expect([...favourites].sort()).toEqual([1, 3]));
    expect(client.calls.at(-1)).toEqual({ operation: 'photos.favourite', input: { ids: [1, 3], favourite: true } });
  });

  it('offers no Undo when nothing changed, and says why it failed', async () => {
    const { client } = favouritesClient([1, 2, 3]);
    setClient(client);
    render(<SelectionBar count={3} selectedPhotos={() => photos} onClear={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Favourite' }));
    await waitFor(() => expect(useToasts.getState().toasts).toHaveLength(1));
    expect(useToasts.getState().toasts[0].action).toBeUndefined();

    cleanup();
    useToasts.setState({ toasts: [] });
    setClient(scriptedClient({ 'gallery.favourites': () => ({ ok: true, value: [] }), 'photos.favourite': () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'There is no photo with id 3 in the library' } }) }));
    render(<SelectionBar count={3} selectedPhotos={() => photos} onClear={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Favourite' }));
    await waitFor(() => expect(useToasts.getState().toasts.map((t) => t.message)).toEqual(['Could not add to favourites: There is no photo with id 3 in the library']));
  });
});
