// The application menu: standard roles (so copy/paste, zoom, full screen and the macOS app menu
// behave as people expect), Find (focuses the search field), and Reload / DevTools in development only.
import { app, BrowserWindow, Menu, type BaseWindow, type MenuItemConstructorOptions } from 'electron';
import { FOCUS_SEARCH_EVENT } from '../common/bridge-contract.js';

function focusSearch(window: BaseWindow | undefined): void {
  if (!(window instanceof BrowserWindow)) return;
  // A constant script: it only dispatches a DOM event in our own page.
  void window.webContents.executeJavaScript(`window.dispatchEvent(new Event(${JSON.stringify(FOCUS_SEARCH_EVENT)}))`).catch(() => undefined);
}

export function buildMenu(dev: boolean): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
        { type: 'separator' },
        { label: 'Find', accelerator: 'CmdOrCtrl+F', click: (_item, window) => focusSearch(window) },
      ],
    },
    {
      label: 'View',
      submenu: [
        ...(dev ? [{ role: 'reload' as const }, { role: 'forceReload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }] : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: `About ${app.getName()}`, click: () => app.showAboutPanel() }],
    },
  ];
  return Menu.buildFromTemplate(template);
}
