// @vitest-environment jsdom
// The renderer's stores against a scripted client: the Library pages in and forgets deleted photos, Search asks the
// engine without a cut-off and applies the live one, and deleting removes a photo from every view at once.
import { waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { GalleryRequest } from '../../src-preload/api';
import { deletePhotos } from '../../src-renderer/actions/photo-actions';
import { setClient } from '../../src-renderer/client/client';
import { connectEngineEvents } from '../../src-renderer/client/engine-events';
import { photoDay } from '../../src-renderer/library/grid-rows';
import { LIBRARY_PAGE_SIZE, useLibrary } from '../../src-renderer/stores/library';
import { useNavigation } from '../../src-renderer/stores/navigation';
import { useDeepSearch } from '../../src-renderer/stores/deep-search';
import { useSearch, visibleHits } from '../../src-renderer/stores/search';
import { useEngine } from '../../src-renderer/stores/engine';
import { useToasts } from '../../src-renderer/stores/toasts';
import { hit, photo, scriptedClient } from './scripted-client';

const library = Array.from({ length: LIBRARY_PAGE_SIZE + 50 }, (_, i) => photo(i + 1, new Date(Date.UTC(2024, 0, 1) - i * 3_600_000).toISOString()));

function galleryAnswer(input: GalleryRequest) {
  const page = input.page ?? 1;
  const size = input.pageSize ?? 50;
  return { ok: true as const, value: { items: library.slice((page - 1) * size, page * size), total: library.length, page, pageSize: size } };
}

/** The day counts the catalog would give for `library` (one photo an hour, so a new day every 24). */
function daysAnswer() {
  const days: { day: string; count: number }[] = [];
  for (const p of library) {
    const day = photoDay(p);
    if (days.at(-1)?.day === day) days.at(-1)!.count++;
    else days.push({ day, count: 1 });
  }
  return { ok: true as const, value: days };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

beforeEach(() => {
  useLibrary.setState({ photos: [], slots: [], days: [], visible: [0, 0], total: 0, initialLoading: true, selected: new Set(), error: null });
  useSearch.setState({ query: '', status: 'idle', response: null, temperature: null, cutoff: null });
  useNavigation.setState({ view: 'library', viewer: null, contextMenu: null, pendingDelete: null });
  useToasts.setState({ toasts: [] });
});

describe('library store', () => {
  it('loads the day counts and the first page, then the pages a jump lands on, in their slots', async () => {
    const client = scriptedClient({ 'gallery.page': galleryAnswer, 'gallery.days': daysAnswer });
    setClient(client);
    await useLibrary.getState().reload();
    expect(useLibrary.getState().photos).toHaveLength(LIBRARY_PAGE_SIZE);
    expect(useLibrary.getState().total).toBe(library.length);
    expect(useLibrary.getState().days.reduce((n, d) => n + d.count, 0)).toBe(library.length);
    await useLibrary.getState().ensureLoaded(library.length - 5, library.length - 1);
    expect(useLibrary.getState().slots.at(-1)?.id).toBe(library.at(-1)!.id);
    expect(useLibrary.getState().photos.map((p) => p.id)).toEqual(library.map((p) => p.id));
    expect(client.calls.filter((c) => c.operation === 'gallery.page').map((c) => c.input)).toEqual([
      { page: 1, pageSize: LIBRARY_PAGE_SIZE, sort: 'taken', order: 'desc' },
      { page: 2, pageSize: LIBRARY_PAGE_SIZE, sort: 'taken', order: 'desc' },
    ]);
  });

  it('selects a shift-click range and forgets removed photos, selection included', async () => {
    setClient(scriptedClient({ 'gallery.page': galleryAnswer, 'gallery.days': daysAnswer }));
    await useLibrary.getState().reload();
    useLibrary.getState().toggle(3);
    useLibrary.getState().selectRange(6);
    expect([...useLibrary.getState().selected].sort((a, b) => a - b)).toEqual([3, 4, 5, 6]);
    useLibrary.getState().forget([4, 5]);
    expect([...useLibrary.getState().selected].sort((a, b) => a - b)).toEqual([3, 6]);
    expect(useLibrary.getState().photos.some((p) => p.id === 4)).toBe(false);
    expect(useLibrary.getState().total).toBe(library.length - 2);
    expect(useLibrary.getState().days.reduce((n, d) => n + d.count, 0)).toBe(library.length - 2);
  });

  it('asks for every photo’s shape with the days, and a removed photo takes its shape with it', async () => {
    const shaped = () => ({ ok: true as const, value: daysAnswer().value.map((day, d) => ({ ...day, aspects: Array.from({ length: day.count }, (_, i) => d * 100 + i + 1) })) });
    const client = scriptedClient({ 'gallery.page': galleryAnswer, 'gallery.days': shaped });
    setClient(client);
    await useLibrary.getState().reload();
    expect(client.calls.find((c) => c.operation === 'gallery.days')?.input).toEqual({ aspects: true });
    const [first, second] = useLibrary.getState().days;
    // Photo 2 is the second of the first day; photo first.count + 1 the first of the second day.
    useLibrary.getState().forget([2, first.count + 1]);
    const [firstAfter, secondAfter] = useLibrary.getState().days;
    expect(firstAfter.aspects).toEqual(first.aspects!.filter((_, i) => i !== 1));
    expect(secondAfter.aspects).toEqual(second.aspects!.slice(1));
    expect(firstAfter.aspects).toHaveLength(firstAfter.count);
  });

  it('keeps the engine’s error to show instead of an empty grid', async () => {
    setClient(scriptedClient({ 'gallery.page': () => ({ ok: false, error: { code: 'BACKEND_UNAVAILABLE', message: 'catalog is locked' } }) }));
    await useLibrary.getState().reload();
    expect(useLibrary.getState().error?.message).toBe('catalog is locked');
    expect(useLibrary.getState().initialLoading).toBe(false);
  });
});

describe('search store', () => {
  const hits = [hit(photo(1, null), sigmoid(2)), hit(photo(2, null), sigmoid(0)), hit(photo(3, null), sigmoid(-4))];
  const answers = {
    'search.query': () => ({ ok: true as const, value: { query: 'red', hits, candidates: 3, ranking: { globalWeight: 0.7, localWeight: 0.3, temperature: 1, cutoff: 0 }, model: 'm', tookMs: 3 } }),
    'settings.get': () => ({ ok: true as const, value: { ranking: { globalWeight: 0.7, localWeight: 0.3, temperature: 1, cutoff: 0.1 } } as never }),
  };

  it('asks without a cut-off and starts the live cut-off at the saved one', async () => {
    const client = scriptedClient(answers);
    setClient(client);
    useSearch.getState().setQuery('  red ');
    useSearch.getState().setFilters({ folderId: 4, from: '2024-01-01' });
    await useSearch.getState().run();
    expect(client.calls[0]).toEqual({ operation: 'search.query', input: { query: 'red', limit: 200, ranking: { cutoff: 0 }, folderId: 4, from: '2024-01-01' } });
    expect(useSearch.getState().cutoff).toBe(0.1);
    expect(visibleHits(useSearch.getState()).map((h) => h.photo.id)).toEqual([1, 2]);
    useSearch.getState().setCutoff(0);
    expect(visibleHits(useSearch.getState()).map((h) => h.photo.id)).toEqual([1, 2, 3]);
    useSearch.getState().setTemperature(3);
    useSearch.getState().setCutoff(0.5);
    expect(visibleHits(useSearch.getState()).map((h) => h.photo.id)).toEqual([1, 2]);
  });

  it('shows the engine’s error (a missing model) rather than “no results”', async () => {
    setClient(scriptedClient({ 'search.query': () => ({ ok: false, error: { code: 'MODEL_MISSING', message: 'Model Xenova/siglip is not in /models: run glimpse models download' } }) }));
    useSearch.getState().setQuery('red');
    await useSearch.getState().run();
    expect(useSearch.getState().status).toBe('error');
    expect(useSearch.getState().error?.code).toBe('MODEL_MISSING');
  });

  it('sends a deep search the same people filter as a plain one, and has a submitted one remembered', async () => {
    const deepAnswer = { query: 'red', hits: [], fusion: 'rrf', terms: ['red'], expansions: [], textCandidates: 0, vectorCandidates: 0, model: 'm', notes: [], tookMs: 1 };
    const client = scriptedClient({ 'search.deep': () => ({ ok: true as const, value: deepAnswer as never }), 'history.list': () => ({ ok: true as const, value: [] }) });
    setClient(client);
    useDeepSearch.getState().setEnabled(true);
    try {
      useSearch.getState().setQuery('red');
      useSearch.getState().setFilters({ folderId: null, from: '', to: '', personIds: [7, 9] });
      await useSearch.getState().run({ remember: true });
      await useSearch.getState().run();
      const deep = client.calls.filter((c) => c.operation === 'search.deep').map((c) => c.input as Record<string, unknown>);
      expect(deep.map((input) => [input.personIds, input.remember])).toEqual([
        [[7, 9], true],
        [[7, 9], undefined],
      ]);
      expect(client.calls.some((c) => c.operation === 'history.list')).toBe(true);
    } finally {
      useDeepSearch.getState().setEnabled(false);
      useSearch.getState().setFilters({ personIds: [] });
    }
  });
});

describe('deleting', () => {
  it('removes the photo from the library, the search results and the viewer, and says so', async () => {
    const client = scriptedClient({
      'gallery.page': galleryAnswer,
      'gallery.days': daysAnswer,
      'photos.delete': () => ({ ok: true, value: { removed: 1, trashed: 0, failed: [] } }),
    });
    setClient(client);
    await useLibrary.getState().reload();
    const target = useLibrary.getState().photos[0];
    useSearch.setState({ response: { query: 'x', hits: [hit(target, 0.9), hit(photo(999, null), 0.5)], candidates: 2, ranking: { globalWeight: 0.7, localWeight: 0.3, temperature: 1, cutoff: 0 }, model: 'm', tookMs: 1 } });
    useNavigation.getState().openViewer([target, library[1]], 0);
    expect(await deletePhotos([target], false)).toBe(true);
    expect(client.calls.at(-1)).toEqual({ operation: 'photos.delete', input: { ids: [target.id], moveToTrash: false } });
    expect(useLibrary.getState().photos.some((p) => p.id === target.id)).toBe(false);
    expect(useSearch.getState().response!.hits.map((h) => h.photo.id)).toEqual([999]);
    expect(useNavigation.getState().viewer!.photos.map((p) => p.id)).toEqual([library[1].id]);
    expect(useToasts.getState().toasts.at(-1)?.message).toBe('Removed 1 photo');
  });

  it('offers Undo, which restores the removed photo from Recently deleted', async () => {
    const client = scriptedClient({
      'gallery.page': galleryAnswer,
      'gallery.days': daysAnswer,
      'photos.delete': () => ({ ok: true, value: { removed: 1, trashed: 0, failed: [] } }),
      'photos.deleted': () => ({
        ok: true,
        value: [{ id: 41, path: library[0].path, takenAt: null, width: 1, height: 1, deletedAt: '', expiresAt: '', inTrash: false, thumbnail: null }],
      }),
      'photos.restore': () => ({ ok: true, value: { restored: 1, failed: [] } }),
    });
    setClient(client);
    await useLibrary.getState().reload();
    await deletePhotos([library[0]], false);
    const toast = useToasts.getState().toasts.at(-1)!;
    expect(toast.action?.label).toBe('Undo');
    toast.action!.run();
    await waitFor(() => expect(client.calls.some((c) => c.operation === 'photos.restore')).toBe(true));
    expect(client.calls.find((c) => c.operation === 'photos.restore')?.input).toEqual({ ids: [41] });
    await waitFor(() => expect(useToasts.getState().toasts.at(-1)?.message).toMatch(/^Restored 1 photo/));
  });

  it('offers no Undo for files moved to the trash, and says where they went', async () => {
    setClient(scriptedClient({ 'gallery.page': galleryAnswer, 'gallery.days': daysAnswer, 'photos.delete': () => ({ ok: true, value: { removed: 1, trashed: 1, failed: [] } }) }));
    await useLibrary.getState().reload();
    await deletePhotos([library[0]], true);
    expect(useToasts.getState().toasts.at(-1)).toMatchObject({ message: 'Removed 1 photo (1 moved to the trash: restore it from there)' });
    expect(useToasts.getState().toasts.at(-1)?.action).toBeUndefined();
  });

  it('keeps the photo and shows the reason when the engine refuses', async () => {
    setClient(scriptedClient({ 'gallery.page': galleryAnswer, 'gallery.days': daysAnswer, 'photos.delete': () => ({ ok: false, error: { code: 'PERMISSION_DENIED', message: 'read-only folder' } }) }));
    await useLibrary.getState().reload();
    const target = useLibrary.getState().photos[0];
    expect(await deletePhotos([target], true)).toBe(false);
    expect(useLibrary.getState().photos[0].id).toBe(target.id);
    expect(useToasts.getState().toasts.at(-1)).toMatchObject({ level: 'error', message: 'Could not delete: read-only folder' });
  });
});

describe('engine events', () => {
  it('routes progress to the indexing panel, removals to every view and notices to toasts', async () => {
    const client = scriptedClient({ 'gallery.page': galleryAnswer, 'gallery.days': daysAnswer });
    setClient(client);
    await useLibrary.getState().reload();
    const stop = connectEngineEvents(client);
    const progress = { total: 10, done: 4, failed: 1, pending: 5, rate: 2, etaSeconds: 3 };
    client.emit({ type: 'progress', status: { paused: false, overall: progress, background: progress, folders: [] } });
    expect(useEngine.getState().jobs?.overall.done).toBe(4);
    client.emit({ type: 'library', added: [], updated: [], removed: [1, 2] });
    expect(useLibrary.getState().photos.some((p) => p.id === 1 || p.id === 2)).toBe(false);
    client.emit({ type: 'notice', level: 'warn', message: 'disk almost full' });
    expect(useToasts.getState().toasts.at(-1)).toMatchObject({ level: 'warn', message: 'disk almost full' });
    client.emit({ type: 'notice', level: 'warn', message: 'The folder went away. Details:\n  line two\n  line three' });
    expect(useToasts.getState().toasts.at(-1)?.message).toBe('The folder went away.');
    const toastsBefore = useToasts.getState().toasts.length;
    client.emit({ type: 'notice', level: 'info', message: 'm runs on cpu: CUDA provider could not load libcudart.so.12 …' });
    expect(useToasts.getState().toasts).toHaveLength(toastsBefore);
    expect(useEngine.getState().notices.at(-1)?.message).toContain('CUDA provider');
    stop();
  });
});
