// The application menu: the usual roles plus Glimpse's views and actions. The renderer owns the shortcuts (they work
// the same in browser mode and never steal Ctrl+A or Delete from a text field), so the menu only shows them.
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../src-preload/api';

export function buildMenuTemplate(send: (command: MenuCommand) => void, isMac: boolean): MenuItemConstructorOptions[] {
  const item = (label: string, accelerator: string, command: MenuCommand): MenuItemConstructorOptions => ({
    label,
    accelerator,
    registerAccelerator: false,
    click: () => send(command),
  });
  return [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: '&File',
      submenu: [
        item('Add Folder…', 'CmdOrCtrl+O', 'add-folder'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        item('Select All Photos', 'CmdOrCtrl+A', 'select-all'),
        item('Delete Selected Photos', isMac ? 'Cmd+Backspace' : 'Delete', 'delete-selection'),
      ],
    },
    {
      label: '&View',
      submenu: [
        item('Library', 'CmdOrCtrl+1', 'view:library'),
        item('Search', 'CmdOrCtrl+2', 'view:search'),
        item('Folders', 'CmdOrCtrl+3', 'view:folders'),
        item('Settings', 'CmdOrCtrl+,', 'view:settings'),
        item('Find…', 'CmdOrCtrl+F', 'focus-search'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
}
