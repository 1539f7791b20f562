// @vitest-environment jsdom
// "Export a copy…" as the window offers it: in the desktop app the native picker's folder goes straight to the engine;
// in browser mode a dialog asks for a server path (remembered for next time), keeps one-letter shortcuts out of the
// field, and the toast says how many copies were written, how many were renamed and what failed.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExportResult } from '../../src-preload/api';
import { setClient } from '../../src-renderer/client/client';
import { ContextMenu } from '../../src-renderer/components/ContextMenu';
import { ExportDialog } from '../../src-renderer/export/ExportDialog';
import { useExport } from '../../src-renderer/export/export-photos';
import { useNavigation } from '../../src-renderer/stores/navigation';
import { useToasts } from '../../src-renderer/stores/toasts';
import { photo, scriptedClient } from './scripted-client';

const cat = photo(5, '2024-06-02T10:00:00Z', 'cat.jpg');
const dog = photo(6, '2024-06-02T11:00:00Z', 'dog.jpg');
const answer = (value: ExportResult) => () => ({ ok: true as const, value });

beforeEach(() => {
  localStorage.clear();
  useToasts.setState({ toasts: [] });
  useExport.setState({ pending: null });
  useNavigation.setState({ contextMenu: null, viewer: null });
});
afterEach(cleanup);

describe('Export a copy…', () => {
  it('in the desktop app, exports into the folder chosen in the native picker', async () => {
    const client = scriptedClient(
      { 'photos.export': answer({ folder: '/media/stick', exported: [{ id: 5, from: '/photos/cat.jpg', to: '/media/stick/cat (2).jpg' }], failed: [] }) },
      {
        mode: 'desktop',
        shell: {
          pickFolders: async () => [],
          pickExportFolder: async () => '/media/stick',
          showInFolder: async () => ({ ok: true, value: null }),
          openWithSystemViewer: async () => ({ ok: true, value: null }),
          pathForFile: () => '',
          onMenuCommand: () => () => {},
        },
      },
    );
    setClient(client);
    useNavigation.getState().openContextMenu({ x: 10, y: 10, photo: cat, list: [cat] });
    render(<ContextMenu />);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Export a copy…' }));
    await waitFor(() => expect(client.calls).toEqual([{ operation: 'photos.export', input: { ids: [5], folder: '/media/stick' } }]));
    await waitFor(() => expect(useToasts.getState().toasts.map((t) => t.message)).toEqual(['Exported 1 copy to /media/stick · 1 renamed because the name was taken']));
    expect(useExport.getState().pending).toBeNull();
  });

  it('in browser mode, asks for a server path, remembers it, and reports each failure', async () => {
    const client = scriptedClient({
      'folders.browse': () => ({ ok: true, value: { path: '/srv', parent: '/', folders: [] } }),
      'photos.export': answer({
        folder: '/srv/exports',
        exported: [{ id: 5, from: '/photos/cat.jpg', to: '/srv/exports/cat.jpg' }],
        failed: [{ id: 6, path: '/photos/dog.jpg', error: 'the original is no longer at /photos/dog.jpg' }],
      }),
    });
    setClient(client);
    useExport.getState().ask([cat, dog]);
    render(<ExportDialog />);
    expect(screen.getByRole('heading').textContent).toBe('Export a copy of 2 photos');
    const field = screen.getByRole('combobox', { name: 'Folder path' });
    expect(document.activeElement).toBe(field);
    const seenByWindow: string[] = [];
    const listener = (event: KeyboardEvent) => seenByWindow.push(event.key);
    window.addEventListener('keydown', listener);
    fireEvent.keyDown(field, { key: 's' });
    window.removeEventListener('keydown', listener);
    expect(seenByWindow).toEqual([]);

    fireEvent.change(field, { target: { value: '/srv/exports' } });
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(useExport.getState().pending).toBeNull());
    expect(client.calls.filter((c) => c.operation === 'photos.export')).toEqual([{ operation: 'photos.export', input: { ids: [5, 6], folder: '/srv/exports' } }]);
    expect(useToasts.getState().toasts.map((t) => [t.level, t.message])).toEqual([
      ['warn', 'Exported 1 copy to /srv/exports · 1 failed'],
      ['error', 'dog.jpg: the original is no longer at /photos/dog.jpg'],
    ]);

    useExport.getState().ask([cat]);
    await waitFor(() => expect((screen.getByRole('combobox', { name: 'Folder path' }) as HTMLInputElement).value).toBe('/srv/exports'));
  });

  it('keeps the dialog open with the engine’s reason when the folder is refused', async () => {
    setClient(
      scriptedClient({
        'folders.browse': () => ({ ok: true, value: { path: '/', parent: null, folders: [] } }),
        'photos.export': () => ({ ok: false, error: { code: 'FOLDER_REFUSED', message: '/proc is a system folder; copies cannot be exported there' } }),
      }),
    );
    useExport.getState().ask([cat]);
    render(<ExportDialog />);
    fireEvent.change(screen.getByRole('combobox', { name: 'Folder path' }), { target: { value: '/proc' } });
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(useToasts.getState().toasts.map((t) => t.message)).toEqual(['Could not export: /proc is a system folder; copies cannot be exported there']));
    expect(screen.getByRole('dialog')).toBeTruthy();
  });
});
