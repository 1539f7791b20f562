// The window's IPC surface, exercised without the Electron binary through a fake ipcMain: calls reach the Api
// only from the Glimpse page and only when well-formed; shell actions work by photo id, never by a given path.
import { describe, expect, it } from 'vitest';
import { IPC_INVOKE_CHANNEL, IPC_SHELL_CHANNEL } from '../../src-preload/api';
import { registerIpc, type IpcEventLike, type IpcMainLike, type ShellActions } from '../../src-main/app/ipc';
import { createRecordingApi } from '../transport/recording-api';

const PAGE = 'file:///opt/glimpse/resources/app.asar/out/renderer/index.html';

class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke(channel, ...args) would resolve to in a page at `url`. */
  async invoke(channel: string, url: string, ...args: unknown[]) {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ senderFrame: { url } }, ...args);
  }
}

function setup() {
  const ipc = new FakeIpcMain();
  const api = createRecordingApi({ 'gallery.page': (input) => ({ ok: true, value: { echo: input } }) });
  const shellCalls: string[] = [];
  const shell: ShellActions = {
    pickFolders: async () => ['/home/me/Pictures'],
    pickExportFolder: async () => '/media/stick/For Grandma',
    showInFolder: (file) => void shellCalls.push(`show ${file}`),
    openPath: async (file) => {
      shellCalls.push(`open ${file}`);
      return '';
    },
  };
  const dispose = registerIpc(ipc, api, { isTrustedSender: (url) => url === PAGE, shell });
  return { ipc, api, shellCalls, dispose };
}

describe('Api over IPC', () => {
  it('forwards a well-formed call from the Glimpse page and returns the Api’s Result', async () => {
    const { ipc, api } = setup();
    const result = await ipc.invoke(IPC_INVOKE_CHANNEL, PAGE, 'gallery.page', { page: 3 });
    expect(result).toEqual({ ok: true, value: { echo: { page: 3 } } });
    expect(api.calls).toEqual([{ operation: 'gallery.page', input: { page: 3 } }]);
  });

  it('rejects malformed arguments with INVALID_INPUT naming the problem, without calling the Api', async () => {
    const { ipc, api } = setup();
    const malformed: unknown[][] = [
      [],
      [42, {}],
      [{ operation: 'gallery.page' }],
      ['gallery.page', {}, 'extra'],
      ['../../etc/passwd', {}],
      ['constructor', {}],
      ['gallery.page;rm -rf', {}],
    ];
    for (const args of malformed) {
      const result = (await ipc.invoke(IPC_INVOKE_CHANNEL, PAGE, ...args)) as { ok: boolean; error: { code: string; message: string } };
      expect(result.ok, JSON.stringify(args)).toBe(false);
      expect(result.error.code).toBe('INVALID_INPUT');
      expect(result.error.message).toMatch(/Malformed Api call/);
    }
    expect(api.calls).toHaveLength(0);
  });

  it('leaves input validation to the Api and passes its refusal back unchanged', async () => {
    const { ipc } = setup();
    const result = await ipc.invoke(IPC_INVOKE_CHANNEL, PAGE, 'photos.nuke', { all: true });
    expect(result).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'Unknown operation "photos.nuke"' } });
  });

  it('refuses calls from any other page or frame', async () => {
    const { ipc, api } = setup();
    for (const url of ['https://evil.example/', 'file:///tmp/other.html', `${PAGE}.evil`]) {
      const result = (await ipc.invoke(IPC_INVOKE_CHANNEL, url, 'gallery.page', {})) as { error: { code: string } };
      expect(result.error.code, url).toBe('PERMISSION_DENIED');
    }
    const handler = ipc.handlers.get(IPC_INVOKE_CHANNEL)!;
    expect(await handler({ senderFrame: null }, 'gallery.page', {})).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    expect(api.calls).toHaveLength(0);
  });

  it('removes its handlers when disposed, so a new window can register again', async () => {
    const { ipc, dispose, api } = setup();
    dispose();
    expect(ipc.handlers.size).toBe(0);
    registerIpc(ipc, api, { isTrustedSender: () => true, shell: { pickFolders: async () => [], pickExportFolder: async () => null, showInFolder: () => {}, openPath: async () => '' } });
    expect([...ipc.handlers.keys()].sort()).toEqual([IPC_INVOKE_CHANNEL, IPC_SHELL_CHANNEL].sort());
  });
});

describe('desktop shell actions over IPC', () => {
  it('resolves a photo id to its file through the Api before showing or opening it', async () => {
    const { ipc, api, shellCalls } = setup();
    expect(await ipc.invoke(IPC_SHELL_CHANNEL, PAGE, { action: 'showInFolder', id: 1 })).toEqual({ ok: true, value: null });
    expect(await ipc.invoke(IPC_SHELL_CHANNEL, PAGE, { action: 'openWithSystemViewer', id: 1 })).toEqual({ ok: true, value: null });
    expect(shellCalls).toEqual([`show ${api.photoFile}`, `open ${api.photoFile}`]);
    expect(api.imageRequests).toEqual([
      { id: 1, size: 'original' },
      { id: 1, size: 'original' },
    ]);
  });

  it('answers NOT_FOUND for an unknown photo and opens nothing', async () => {
    const { ipc, shellCalls } = setup();
    const result = await ipc.invoke(IPC_SHELL_CHANNEL, PAGE, { action: 'showInFolder', id: 404 });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'No photo with id 404 in the library' } });
    expect(shellCalls).toEqual([]);
  });

  it('refuses paths, extra fields, unknown actions and missing arguments', async () => {
    const { ipc, shellCalls, api } = setup();
    const malformed: unknown[][] = [
      [{ action: 'showInFolder', id: '/etc/passwd' }],
      [{ action: 'showInFolder', path: '/etc/passwd' }],
      [{ action: 'openWithSystemViewer', id: 1, path: '/bin/sh' }],
      [{ action: 'openExternal', url: 'https://evil.example' }],
      [{ action: 'showInFolder', id: -1 }],
      [{ action: 'showInFolder', id: 1.5 }],
      [],
      [{ action: 'pickFolders' }, 'extra'],
      [{ action: 'pickExportFolder', path: '/etc' }],
    ];
    for (const args of malformed) {
      const result = (await ipc.invoke(IPC_SHELL_CHANNEL, PAGE, ...args)) as { ok: boolean; error: { code: string } };
      expect(result.ok, JSON.stringify(args)).toBe(false);
      expect(result.error.code).toBe('INVALID_INPUT');
    }
    expect(shellCalls).toEqual([]);
    expect(api.imageRequests).toEqual([]);
  });

  it('returns the folders chosen in the native picker', async () => {
    const { ipc } = setup();
    expect(await ipc.invoke(IPC_SHELL_CHANNEL, PAGE, { action: 'pickFolders' })).toEqual({ ok: true, value: ['/home/me/Pictures'] });
  });

  it('returns the one folder chosen to export into', async () => {
    const { ipc } = setup();
    expect(await ipc.invoke(IPC_SHELL_CHANNEL, PAGE, { action: 'pickExportFolder' })).toEqual({ ok: true, value: '/media/stick/For Grandma' });
  });

  it('reports the system viewer’s own error message', async () => {
    const ipc = new FakeIpcMain();
    const api = createRecordingApi();
    registerIpc(ipc, api, {
      isTrustedSender: () => true,
      shell: { pickFolders: async () => [], pickExportFolder: async () => null, showInFolder: () => {}, openPath: async () => 'No application is associated with this file' },
    });
    const result = await ipc.invoke(IPC_SHELL_CHANNEL, PAGE, { action: 'openWithSystemViewer', id: 1 });
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringContaining('No application is associated') } });
  });
});
