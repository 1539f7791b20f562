// @vitest-environment jsdom
// What a person sees in each view, rendered against a scripted client: empty states that say what to do, results
// with score badges and an on-demand breakdown, the context menu's desktop-only entries, folder progress with
// failure reasons, the exact remedy for a missing model, and the delete confirmation.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FolderInfo, JobStatus, ModelInfo, SearchResponse } from '../../src-preload/api';
import { setClient } from '../../src-renderer/client/client';
import { ContextMenu } from '../../src-renderer/components/ContextMenu';
import { DeleteDialog } from '../../src-renderer/components/DeleteDialog';
import { useEngine } from '../../src-renderer/stores/engine';
import { useLibrary } from '../../src-renderer/stores/library';
import { useNavigation } from '../../src-renderer/stores/navigation';
import { useSearch } from '../../src-renderer/stores/search';
import { useSimilar } from '../../src-renderer/stores/similar';
import { useToasts } from '../../src-renderer/stores/toasts';
import { FoldersView } from '../../src-renderer/views/FoldersView';
import { LibraryView } from '../../src-renderer/views/LibraryView';
import { SearchView } from '../../src-renderer/views/SearchView';
import { SettingsView } from '../../src-renderer/views/SettingsView';
import { SimilarView } from '../../src-renderer/views/SimilarView';
import { Viewer } from '../../src-renderer/views/Viewer';
import { hit, photo, scriptedClient } from './scripted-client';

const ranking = { globalWeight: 0.7, localWeight: 0.3, temperature: 1, cutoff: 0 };

// jsdom has no layout: give elements a window-sized box so the virtual grid has a viewport to fill.
beforeEach(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 800 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 });
});

beforeEach(() => {
  useLibrary.setState({ photos: [], slots: [], days: [], visible: [0, 0], total: 0, initialLoading: true, selected: new Set(), error: null });
  useSearch.setState({ query: '', status: 'idle', response: null, error: null, temperature: null, cutoff: null, explain: false });
  useNavigation.setState({ view: 'library', viewer: null, contextMenu: null, pendingDelete: null });
  useEngine.setState({ folders: null, jobs: null, settings: null, models: null, doctor: null, settingsError: null, foldersError: null });
  useSimilar.setState({ source: null, status: 'idle', response: null, error: null });
});
afterEach(cleanup);

describe('Library', () => {
  it('invites the person to add a folder when the library is empty', async () => {
    setClient(scriptedClient({ 'gallery.page': () => ({ ok: true, value: { items: [], total: 0, page: 1, pageSize: 200 } }), 'gallery.days': () => ({ ok: true, value: [] }) }));
    render(<LibraryView />);
    await act(() => useLibrary.getState().reload());
    expect(screen.getByRole('heading', { name: 'No photos yet' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Add a folder/ }));
    expect(useNavigation.getState().view).toBe('folders');
  });

  it('shows photos under their day, and Ctrl-click selects instead of opening', async () => {
    const items = [photo(1, '2024-06-02T10:00:00'), photo(2, '2024-06-02T09:00:00'), photo(3, '2024-05-30T09:00:00')];
    const days = [{ day: '2024-06-02', count: 2 }, { day: '2024-05-30', count: 1 }];
    setClient(scriptedClient({ 'gallery.page': () => ({ ok: true, value: { items, total: 3, page: 1, pageSize: 200 } }), 'gallery.days': () => ({ ok: true, value: days }) }));
    render(<LibraryView />);
    await act(() => useLibrary.getState().reload());
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toHaveLength(2);
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual(['Library', expect.stringMatching(/June 2024/), expect.stringMatching(/May 2024/)]);
    fireEvent.click(screen.getByRole('button', { name: 'photo-2.jpg' }), { ctrlKey: true });
    expect([...useLibrary.getState().selected]).toEqual([2]);
    expect(screen.getByRole('toolbar', { name: 'Selection' }).textContent).toContain('1 photo selected');
    fireEvent.click(within(screen.getByRole('toolbar', { name: 'Selection' })).getByRole('button', { name: /Delete/ }));
    expect(useNavigation.getState().pendingDelete?.map((p) => p.id)).toEqual([2]);
    fireEvent.click(screen.getByRole('button', { name: 'photo-3.jpg' }));
    expect(useNavigation.getState().viewer?.index).toBe(2);
  });

  it('shows the engine’s error with a retry', async () => {
    setClient(scriptedClient({ 'gallery.page': () => ({ ok: false, error: { code: 'BACKEND_UNAVAILABLE', message: 'Glimpse’s server did not answer' } }) }));
    render(<LibraryView />);
    await act(() => useLibrary.getState().reload());
    expect(screen.getByRole('alert').textContent).toContain('Glimpse’s server did not answer');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});

describe('Search', () => {
  const response: SearchResponse = {
    query: 'red',
    hits: [hit(photo(1, null, 'red.jpg'), 0.92, 0.31, 0.4), hit(photo(2, null, 'pink.jpg'), 0.41, 0.2, null), hit(photo(3, null, 'gray.jpg'), 0.004)],
    candidates: 3,
    ranking,
    model: 'glimpse-fixtures/siglip-colour',
    tookMs: 4,
  };

  it('shows results best first with score badges, and the breakdown on demand', () => {
    setClient(scriptedClient({ 'folders.list': () => ({ ok: true, value: [] }) }));
    useSearch.setState({ query: 'red', status: 'done', response, temperature: 1, cutoff: 0.01 });
    render(<SearchView />);
    const tiles = within(screen.getByTestId('search-results')).getAllByRole('button');
    expect(tiles.map((t) => t.getAttribute('aria-label'))).toEqual(['red.jpg', 'pink.jpg']);
    expect(tiles[0].textContent).toContain('92%');
    expect(screen.getByTestId('search-summary').textContent).toContain('2 results for “red”');
    expect(screen.queryByLabelText('Score breakdown')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Explain scores' }));
    const breakdowns = screen.getAllByLabelText('Score breakdown');
    expect(breakdowns[0].textContent).toContain('0.310');
    expect(breakdowns[1].textContent).toContain('pending');
    expect(breakdowns[1].textContent).toContain('ranked on the whole photo only');
  });

  it('re-ranks live when the cut-off slider moves, and explains an empty answer', () => {
    setClient(scriptedClient({ 'folders.list': () => ({ ok: true, value: [] }) }));
    useSearch.setState({ query: 'red', status: 'done', response, temperature: 1, cutoff: 0.01 });
    render(<SearchView />);
    fireEvent.change(screen.getByRole('slider', { name: 'Relevance cut-off' }), { target: { value: '0.95' } });
    expect(screen.getByRole('heading', { name: 'Nothing matched “red”' })).toBeTruthy();
    expect(screen.getByText(/3 photos scored below the cut-off/)).toBeTruthy();
    fireEvent.change(screen.getByRole('slider', { name: 'Relevance cut-off' }), { target: { value: '0' } });
    expect(within(screen.getByTestId('search-results')).getAllByRole('button')).toHaveLength(3);
  });

  it('has no deep-search or suggestion controls, because the engine offers no such operation yet', () => {
    setClient(scriptedClient({ 'folders.list': () => ({ ok: true, value: [] }) }));
    render(<SearchView />);
    expect(screen.queryByText(/deep search/i)).toBeNull();
    expect(screen.queryByText(/did you mean/i)).toBeNull();
  });

  it('sends a missing model to Settings with the engine’s own message', () => {
    setClient(scriptedClient({ 'folders.list': () => ({ ok: true, value: [] }) }));
    useSearch.setState({ query: 'red', status: 'error', error: { code: 'MODEL_MISSING', message: 'Model X is not in /m: run `glimpse models download X`' } });
    render(<SearchView />);
    expect(screen.getByRole('heading', { name: 'Search is unavailable' })).toBeTruthy();
    expect(screen.getByText(/run `glimpse models download X`/)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Open model settings' }));
    expect(useNavigation.getState().view).toBe('settings');
  });
});

describe('context menu', () => {
  const target = photo(5, null, 'dog.jpg');

  it('offers Find similar in every mode and desktop-only actions only in the desktop app', async () => {
    setClient(scriptedClient({ 'search.similar': () => ({ ok: true, value: { source: { id: 5, path: target.path }, hits: [], tookMs: 1 } }) }));
    useNavigation.getState().openContextMenu({ x: 10, y: 10, photo: target, list: [target] });
    const { unmount } = render(<ContextMenu />);
    const labels = screen.getAllByRole('menuitem').map((item) => item.textContent?.trim());
    expect(labels).toEqual(['Open', 'Find similar', 'Download original', 'Copy path', 'Export a copy…', 'Delete…']);
    // In a browser the untouched file comes down as a download, named as it is on disk.
    const download = screen.getByRole('menuitem', { name: 'Download original' });
    expect(download.getAttribute('href')).toBe('/media/original/5');
    expect(download.getAttribute('download')).toBe('dog.jpg');
    fireEvent.click(screen.getByRole('menuitem', { name: 'Find similar' }));
    expect(useNavigation.getState().view).toBe('similar');
    await waitFor(() => expect(useSimilar.getState().status).toBe('done'));
    expect(useSimilar.getState().source?.id).toBe(5);
    unmount();

    const shellCalls: string[] = [];
    setClient(
      scriptedClient({}, {
        mode: 'desktop',
        shell: {
          pickFolders: async () => [],
          pickExportFolder: async () => null,
          showInFolder: async (id) => (shellCalls.push(`show ${id}`), { ok: true, value: null }),
          openWithSystemViewer: async (id) => (shellCalls.push(`open ${id}`), { ok: true, value: null }),
          pathForFile: () => '',
          onMenuCommand: () => () => {},
        },
      }),
    );
    useNavigation.getState().openContextMenu({ x: 10, y: 10, photo: target, list: [target] });
    render(<ContextMenu />);
    expect(screen.getAllByRole('menuitem').map((item) => item.textContent?.trim())).toEqual([
      'Open', 'Find similar', 'Show in folder', 'Open with system viewer', 'Copy path', 'Export a copy…', 'Delete…',
    ]);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Show in folder' }));
    await waitFor(() => expect(shellCalls).toEqual(['show 5']));
  });

  it('closes on Escape and moves with the arrow keys', () => {
    setClient(scriptedClient({}));
    useNavigation.getState().openContextMenu({ x: 10, y: 10, photo: target, list: [target] });
    render(<ContextMenu />);
    const menu = screen.getByRole('menu');
    expect(document.activeElement?.textContent?.trim()).toBe('Open');
    fireEvent.keyDown(menu, { key: 'ArrowDown' });
    expect(document.activeElement?.textContent?.trim()).toBe('Find similar');
    fireEvent.keyDown(menu, { key: 'Escape' });
    expect(useNavigation.getState().contextMenu).toBeNull();
  });
});

describe('delete confirmation', () => {
  it('asks first, and moves files to the trash only when ticked', async () => {
    const client = scriptedClient({ 'photos.delete': () => ({ ok: true, value: { removed: 1, trashed: 1, failed: [] } }) });
    setClient(client);
    useNavigation.getState().askDelete([photo(8, null, 'cat.jpg')]);
    render(<DeleteDialog />);
    expect(screen.getByRole('alertdialog').textContent).toContain('Delete cat.jpg?');
    fireEvent.click(screen.getByRole('checkbox'));
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(useNavigation.getState().pendingDelete).toBeNull());
    expect(client.calls).toEqual([{ operation: 'photos.delete', input: { ids: [8], moveToTrash: true } }]);
  });
});

describe('Folders', () => {
  const folder: FolderInfo = { id: 1, path: '/photos/holiday', addedAt: '2024-01-01', total: 10, ready: 6, pending: 3, failed: 1, duplicates: 0, managed: false };
  const jobs: JobStatus = {
    paused: false,
    overall: { total: 10, done: 6, failed: 1, pending: 3, rate: 2.5, etaSeconds: 80 },
    background: { total: 0, done: 0, failed: 0, pending: 0, rate: 0, etaSeconds: null },
    folders: [{ folderId: 1, path: '/photos/holiday', total: 10, done: 6, failed: 1, pending: 3, rate: 2.5, etaSeconds: 80, failures: [{ path: '/photos/holiday/broken.jpg', error: 'Truncated JPEG: the file ends before the image data' }] }],
  };

  it('shows live progress with rate, ETA and the reason each photo failed; pauses indexing', async () => {
    const client = scriptedClient({
      'folders.list': () => ({ ok: true, value: [folder] }),
      'jobs.status': () => ({ ok: true, value: jobs }),
      'jobs.pause': () => ({ ok: true, value: { ...jobs, paused: true } }),
    });
    setClient(client);
    render(<FoldersView />);
    await screen.findByText('/photos/holiday');
    const progress = screen.getByTestId('folder-progress').textContent!;
    expect(progress).toContain('6 / 10 done');
    expect(progress).toContain('1 failed');
    expect(progress).toContain('2.5/s');
    expect(progress).toContain('ETA 1 min 20 s');
    expect(screen.getByText('Truncated JPEG: the file ends before the image data')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Pause indexing/ }));
    await screen.findByRole('button', { name: /Resume indexing/ });
    act(() => useEngine.getState().setJobs({ ...jobs, paused: false, folders: [{ ...jobs.folders[0], done: 9, pending: 0 }] }));
    expect(screen.getByTestId('folder-progress').textContent).toContain('9 / 10 done');
  });

  it('adds a typed path and shows the engine’s refusal', async () => {
    const client = scriptedClient({
      'folders.list': () => ({ ok: true, value: [] }),
      'jobs.status': () => ({ ok: true, value: jobs }),
      'folders.add': () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'Folder /nope does not exist' } }),
    });
    setClient(client);
    render(<FoldersView />);
    await screen.findByRole('heading', { name: 'No folders yet' });
    expect(screen.queryByRole('button', { name: 'Browse…' })).toBeNull();
    fireEvent.change(screen.getByRole('combobox', { name: 'Folder path' }), { target: { value: '/nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add folder' }));
    await waitFor(() => expect(useToasts.getState().toasts.at(-1)).toMatchObject({ level: 'error', message: 'Folder /nope does not exist' }));
    expect(client.calls.find((c) => c.operation === 'folders.add')?.input).toEqual({ path: '/nope' });
  });
});

describe('Settings', () => {
  it('lists a missing model with its exact remedy, the device and the data location', async () => {
    const model: ModelInfo = {
      id: 'Xenova/siglip-base-patch16-224', role: 'embedding', present: false, active: true, dir: '/data/models/Xenova/siglip-base-patch16-224',
      sizeBytes: null, device: null, remedy: 'Run `npx glimpse models download Xenova/siglip-base-patch16-224` or copy the files into /data/models', download: null,
    };
    setClient(scriptedClient({
      'settings.get': () => ({ ok: true, value: { ranking, nearDuplicateThreshold: 0.95, indexing: { concurrency: 2, workers: 1, threadsPerWorker: 2, paused: false }, model: model.id, words: { expand: true, correctSpelling: true, rememberSearches: true }, faces: { enabled: true } } }),
      'models.list': () => ({ ok: true, value: [model] }),
      'system.doctor': () => ({ ok: true, value: { version: '0.1.0', node: '20.20.0', platform: 'linux', dataDir: '/data', modelsDir: '/data/models', catalog: 'sqlite', vectors: 'embedded', device: 'cpu', checks: [{ name: 'CUDA', ok: false, detail: 'provider not installed: npm run setup:gpu' }], models: [model] } }),
    }));
    render(<SettingsView />);
    const row = await screen.findByTestId('model-row');
    expect(row.textContent).toContain('missing');
    expect(row.textContent).toContain('Run `npx glimpse models download Xenova/siglip-base-patch16-224`');
    expect(screen.getByText('CPU')).toBeTruthy();
    expect(screen.getByText('provider not installed: npm run setup:gpu')).toBeTruthy();
    expect(screen.getByText('/data/models')).toBeTruthy();
  });
});

describe('Similar and the viewer', () => {
  it('pins the source photo beside its similar photos', () => {
    setClient(scriptedClient({}));
    const source = photo(1, null, 'source.jpg');
    useSimilar.setState({ source, status: 'done', response: { source: { id: 1, path: source.path }, hits: [hit(photo(2, null, 'twin.jpg'), 0.97)], tookMs: 2 } });
    render(<SimilarView />);
    expect(screen.getByTestId('similar-source').textContent).toContain('source.jpg');
    expect(within(screen.getByTestId('similar-results')).getByRole('button', { name: 'twin.jpg' }).textContent).toContain('97%');
  });

  it('steps through photos with the arrow keys and shows their EXIF', async () => {
    const details = (id: number) => ({
      ...photo(id, '2024-03-03T10:00:00'), hash: 'h', sizeBytes: 2048, mtime: '', format: 'jpeg', error: null, duplicatePaths: [], caption: null, stages: { hash: 'done' as const },
      exif: { cameraMake: 'Fujifilm', cameraModel: `X-T${id}`, lens: null, focalLength: 23, fNumber: 2, exposureTime: 0.004, iso: 200, gpsLatitude: null, gpsLongitude: null, orientation: 1 },
    });
    setClient(scriptedClient({ 'photos.get': (input: { id: number }) => ({ ok: true, value: details(input.id) }) }));
    useNavigation.getState().openViewer([photo(1, null), photo(2, null)], 0);
    render(<Viewer />);
    expect((await screen.findByTestId('exif')).textContent).toContain('Fujifilm X-T1');
    expect(screen.getByTestId('exif').textContent).toContain('23 mm · ƒ/2 · 1/250 s · ISO 200');
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'ArrowRight' });
    await waitFor(() => expect(screen.getByTestId('exif').textContent).toContain('Fujifilm X-T2'));
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(useNavigation.getState().viewer).toBeNull();
  });
});
