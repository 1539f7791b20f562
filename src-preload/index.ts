// The bridge between the sandboxed window and main: exactly the GlimpseBridge contract on `window.glimpse`, and
// nothing else — no ipcRenderer, no Node, no arbitrary channels.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  IMAGE_PROTOCOL,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  IPC_MENU_CHANNEL,
  IPC_SHELL_CHANNEL,
  type GlimpseBridge,
  type GlimpseEvent,
  type MenuCommand,
  type Result,
} from './api';

function listen<T>(channel: string, listener: (value: T) => void): () => void {
  const wrapped = (_event: IpcRendererEvent, value: T) => listener(value);
  ipcRenderer.on(channel, wrapped);
  return () => ipcRenderer.removeListener(channel, wrapped);
}

const bridge: GlimpseBridge = {
  invoke: (operation, input) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, operation, input),
  subscribe: (listener) => listen<GlimpseEvent>(IPC_EVENT_CHANNEL, listener),
  imageUrl: (id, size) => `${IMAGE_PROTOCOL}://${size}/${id}`,
  shell: {
    pickFolders: async () => {
      const result = (await ipcRenderer.invoke(IPC_SHELL_CHANNEL, { action: 'pickFolders' })) as Result<string[]>;
      return result.ok ? result.value : [];
    },
    pickExportFolder: async () => {
      const result = (await ipcRenderer.invoke(IPC_SHELL_CHANNEL, { action: 'pickExportFolder' })) as Result<string | null>;
      return result.ok ? result.value : null;
    },
    showInFolder: (id) => ipcRenderer.invoke(IPC_SHELL_CHANNEL, { action: 'showInFolder', id }),
    openWithSystemViewer: (id) => ipcRenderer.invoke(IPC_SHELL_CHANNEL, { action: 'openWithSystemViewer', id }),
    pathForFile: (file) => webUtils.getPathForFile(file),
    onMenuCommand: (listener) => listen<MenuCommand>(IPC_MENU_CHANNEL, listener),
  },
};

contextBridge.exposeInMainWorld('glimpse', bridge);
