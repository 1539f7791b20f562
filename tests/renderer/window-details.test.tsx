// @vitest-environment jsdom
// Small behaviours a person notices, each against a scripted client: the shortcut keys (Ctrl/Cmd+Backspace, ?), the
// delete dialog's safe default, the camera name without its make twice, the missing-model banner with its download
// progress (bytes, rate, time left), and the "no strong match" line.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelInfo, SearchResponse } from '../../src-preload/api';
import { setClient } from '../../src-renderer/client/client';
import { DeleteDialog } from '../../src-renderer/components/DeleteDialog';
import { completionParts } from '../../src-renderer/components/FolderPathField';
import { ModelBanner } from '../../src-renderer/components/ModelBanner';
import { cameraName } from '../../src-renderer/components/PhotoInfo';
import { commandForKey } from '../../src-renderer/shortcuts';
import { downloadPace, useEngine } from '../../src-renderer/stores/engine';
import { useNavigation } from '../../src-renderer/stores/navigation';
import { useSearch } from '../../src-renderer/stores/search';
import { SearchView } from '../../src-renderer/views/SearchView';
import { hit, photo, scriptedClient } from './scripted-client';

const body = () => document.body;

beforeEach(() => {
  useNavigation.setState({ view: 'library', viewer: null, contextMenu: null, pendingDelete: null, shortcutsOpen: false });
  useEngine.setState({ models: null, downloadSamples: [], notices: [] });
});
afterEach(cleanup);

describe('shortcut keys', () => {
  const key = (k: string, mods: Partial<KeyboardEvent> = {}) => commandForKey({ key: k, ctrlKey: false, metaKey: false, altKey: false, target: body(), ...mods });

  it('deletes with Delete, Ctrl+Backspace or Cmd+Backspace, opens the list with ?, zooms with Ctrl +/−', () => {
    expect(key('Delete')).toBe('delete-selection');
    expect(key('Backspace', { ctrlKey: true })).toBe('delete-selection');
    expect(key('Backspace', { metaKey: true })).toBe('delete-selection');
    expect(key('Backspace')).toBeNull();
    expect(key('?')).toBe('show-shortcuts');
    expect(key('=', { ctrlKey: true })).toBe('zoom-in');
    expect(key('-', { metaKey: true })).toBe('zoom-out');
  });

  it('leaves keys to a text field being typed in', () => {
    const input = document.createElement('input');
    expect(commandForKey({ key: 'Backspace', ctrlKey: true, metaKey: false, altKey: false, target: input })).toBeNull();
    expect(commandForKey({ key: '?', ctrlKey: false, metaKey: false, altKey: false, target: input })).toBeNull();
  });
});

describe('the delete dialog', () => {
  it('puts focus on Cancel, so a stray Enter keeps the photos, and says they can come back', () => {
    setClient(scriptedClient({}));
    useNavigation.getState().askDelete([photo(8, null, 'cat.jpg')]);
    render(<DeleteDialog />);
    expect(document.activeElement?.textContent).toBe('Cancel');
    expect(screen.getByRole('alertdialog').textContent).toContain('Recently deleted for 30 days');
  });
});

describe('the info panel', () => {
  it('drops the make when the model already names it', () => {
    expect(cameraName('Canon', 'Canon EOS 5D Mark II')).toBe('Canon EOS 5D Mark II');
    expect(cameraName('NIKON CORPORATION', 'NIKON D750')).toBe('NIKON D750');
    expect(cameraName('Fujifilm', 'X-T4')).toBe('Fujifilm X-T4');
    expect(cameraName(null, 'iPhone 15')).toBe('iPhone 15');
    expect(cameraName('Apple', null)).toBe('Apple');
  });
});

describe('folder path completion', () => {
  it('completes the last name under its parent folder', () => {
    expect(completionParts('/home/ann/Pic')).toEqual({ parent: '/home/ann/', prefix: 'Pic' });
    expect(completionParts('/home/ann/')).toEqual({ parent: '/home/ann/', prefix: '' });
    expect(completionParts('C:\\Users\\ann\\Pi')).toEqual({ parent: 'C:\\Users\\ann\\', prefix: 'Pi' });
    expect(completionParts('')).toEqual({ parent: '', prefix: '' });
  });
});

describe('the missing-model banner', () => {
  const model: ModelInfo = {
    id: 'Xenova/siglip-base-patch16-224', role: 'embedding', present: false, active: true, dir: '/m/x', sizeBytes: 800 * 1024 * 1024, device: null,
    remedy: 'run `glimpse models download Xenova/siglip-base-patch16-224` while online', download: null, fetchError: 'Model x could not be downloaded: getaddrinfo ENOTFOUND huggingface.co', retryAt: null,
  };

  it('says search is unavailable, why, how big the model is, and how to install it by hand', async () => {
    setClient(scriptedClient({ 'models.list': () => ({ ok: true, value: [model] }) }));
    render(<ModelBanner />);
    const banner = await screen.findByTestId('model-banner');
    expect(banner.textContent).toContain('Search is unavailable');
    expect(banner.textContent).toContain('(800 MB)');
    expect(banner.textContent).toContain('The last download failed');
    expect(banner.textContent).toContain('getaddrinfo ENOTFOUND');
    expect(banner.textContent).toContain('glimpse models download Xenova/siglip-base-patch16-224');
    expect(screen.getByRole('button', { name: 'Download (800 MB)' })).toBeTruthy();
  });

  it('shows the download’s bytes, rate and time left, and goes away once the model is there', async () => {
    setClient(scriptedClient({ 'models.list': () => ({ ok: true, value: [model] }) }));
    render(<ModelBanner />);
    await screen.findByTestId('model-banner');
    const total = 800 * 1024 * 1024;
    const now = Date.now();
    act(() => useEngine.setState({ models: [{ ...model, download: { receivedBytes: 200 * 1024 * 1024, totalBytes: total } }], downloadSamples: [{ at: now - 4000, bytes: 160 * 1024 * 1024 }, { at: now, bytes: 200 * 1024 * 1024 }] }));
    expect(screen.getByTestId('model-download-stats').textContent).toBe('200 MB of 800 MB · 10 MB/s · 1 min 0 s left');
    expect(screen.queryByRole('button', { name: /Download/ })).toBeNull();
    act(() => useEngine.getState().setModel({ ...model, present: true, download: null }));
    expect(screen.queryByTestId('model-banner')).toBeNull();
  });

  it('tells the rate from the last samples only', () => {
    expect(downloadPace([{ at: 0, bytes: 0 }, { at: 2000, bytes: 2000 }], 10_000)).toEqual({ rate: 1000, etaSeconds: 8 });
    expect(downloadPace([{ at: 0, bytes: 0 }], 10_000)).toEqual({ rate: 0, etaSeconds: null });
  });
});

describe('search results', () => {
  it('says plainly when nothing matches strongly, instead of a wall of 1% results', () => {
    setClient(scriptedClient({ 'folders.list': () => ({ ok: true, value: [] }) }));
    const weak: SearchResponse = {
      query: 'giraffe', hits: [hit(photo(1, null), 0.04), hit(photo(2, null), 0.01)], candidates: 2,
      ranking: { globalWeight: 0.7, localWeight: 0.3, temperature: 1, cutoff: 0 }, model: 'm', tookMs: 2,
    };
    useSearch.setState({ query: 'giraffe', status: 'done', response: weak, temperature: 1, cutoff: 0, error: null });
    render(<SearchView />);
    expect(screen.getByTestId('weak-match').textContent).toContain('No strong match for “giraffe”');
    expect(screen.getByTestId('search-summary').textContent).toBe('2 results for “giraffe”');
    fireEvent.keyDown(screen.getAllByRole('button', { name: /photo-1/ })[0], { key: 'ArrowRight' });
    expect(screen.getAllByRole('button', { name: /photo-/ }).filter((tile) => tile.tabIndex === 0)).toHaveLength(1);
  });
});
