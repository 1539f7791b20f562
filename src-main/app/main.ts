// The Electron main process, kept thin: open the engine, one secure window, the Api on IPC, images by id through
// glimpse://, the menu and the desktop-shell actions. Everything else lives in the layers below.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, screen, session, shell } from 'electron';
import type { OpenDialogOptions } from 'electron';
import { IMAGE_PROTOCOL, IPC_EVENT_CHANNEL, IPC_MENU_CHANNEL, type MenuCommand } from '../../src-preload/api';
import type { Api } from '../api/api-types';
import { openApi } from '../api';
import { loadConfig } from '../config';
import { sendConsoleToStderr } from '../console-to-stderr';
import { buildMenuTemplate } from './app-menu';
import { allowedExternalLink } from './external-links';
import { answerImageRequest, readImageFile } from './image-protocol';
import { registerIpc } from './ipc';
import { type AppOrigins, isTrustedSender as isTrustedRendererUrl, secureSession } from './web-security';
import { DEFAULT_SIZE, loadWindowState, saveWindowState, visibleBounds } from './window-state';

const here = path.dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererIndex = path.join(here, '../renderer/index.html');
const rendererFileUrl = pathToFileURL(rendererIndex).toString();
const isMac = process.platform === 'darwin';

protocol.registerSchemesAsPrivileged([
  { scheme: IMAGE_PROTOCOL, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

const origins: AppOrigins = { rendererFileUrl, rendererDir: path.dirname(rendererIndex), devServerUrl };
const isTrustedSender = (url: string) => isTrustedRendererUrl(url, origins);

function lockDownContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isTrustedSender(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    // No new windows; the details panel's map link (and nothing else) opens in the system browser.
    contents.setWindowOpenHandler(({ url }) => {
      const external = allowedExternalLink(url);
      if (external) void shell.openExternal(external);
      return { action: 'deny' };
    });
  });
  // No remote content: only the app's own files, its image protocol, devtools and (in development) the dev server.
  secureSession(session.defaultSession, origins);
}

function createWindow(api: Api): BrowserWindow {
  const stateFile = path.join(app.getPath('userData'), 'window-state.json');
  const saved = loadWindowState(stateFile);
  const bounds = visibleBounds(saved, screen.getAllDisplays().map((display) => display.workArea));
  const win = new BrowserWindow({
    ...(bounds ?? DEFAULT_SIZE),
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Glimpse',
    backgroundColor: '#14121f',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // Middle-click would otherwise open links in new windows, bypassing the window-open handler's intent.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (saved?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  const persist = () => {
    if (win.isDestroyed()) return;
    saveWindowState(stateFile, { ...win.getNormalBounds(), maximized: win.isMaximized() });
  };
  win.on('close', persist);

  const unsubscribe = api.subscribe((event) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, event);
  });
  win.on('closed', unsubscribe);

  const send = (command: MenuCommand) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_MENU_CHANNEL, command);
  };
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(send, isMac)));

  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(rendererIndex);
  return win;
}

async function start(): Promise<void> {
  sendConsoleToStderr();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  lockDownContents();
  // The desktop app follows its folders while it runs; notices (device choice, missing model) go to the app's log.
  const api = await openApi(loadConfig(), { indexing: { watch: true, command: 'the Glimpse app' } });
  api.subscribe((event) => {
    if (event.type === 'notice') console.log(`glimpse ${event.level}: ${event.message}`);
  });
  let win: BrowserWindow | null = null;

  protocol.handle(IMAGE_PROTOCOL, (request) =>
    answerImageRequest(api, request.url, readImageFile),
  );
  registerIpc(ipcMain, api, {
    isTrustedSender,
    shell: {
      pickFolders: async () => {
        const options: OpenDialogOptions = {
          title: 'Add folders to Glimpse',
          properties: ['openDirectory', 'multiSelections', 'createDirectory'],
        };
        const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
        return result.canceled ? [] : result.filePaths;
      },
      pickExportFolder: async () => {
        const options: OpenDialogOptions = { title: 'Export copies to', buttonLabel: 'Export here', properties: ['openDirectory', 'createDirectory'] };
        const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      showInFolder: (file) => shell.showItemInFolder(file),
      openPath: (file) => shell.openPath(file),
    },
  });

  win = createWindow(api);
  app.on('second-instance', () => {
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = createWindow(api);
  });
  app.on('window-all-closed', () => {
    if (!isMac) app.quit();
  });
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    closed = true;
    void api.close().finally(() => app.quit());
  });
}

start().catch((error: unknown) => {
  dialog.showErrorBox('Glimpse could not start', (error as Error).message);
  app.exit(1);
});
