// Electron main-process entry (package.json "main": dist/electron/main/main.js). Glue only: one
// instance, one window showing the renderer from app://shoebox/, the core in a utility process
// (core-host-client.ts), IPC and protocols registered, a clean shutdown of the core on quit.
import { app, BrowserWindow, dialog, Menu, nativeTheme, session } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveDataDir } from '../core/paths.js';
import { CoreHost } from './core-host-client.js';
import { registerIpc } from './ipc.js';
import { buildMenu } from './menu.js';
import { APP_ENTRY_URL } from './policy.js';
import { registerPrivilegedSchemes, registerProtocols } from './protocol.js';
import { hardenAllWebContents, hardenSession } from './security.js';
import { errorMessage } from '../common/error-message.js';

// This file is dist/electron/main/main.js (inside app.asar once packaged).
const here = path.dirname(fileURLToPath(import.meta.url));
const RENDERER_ROOT = path.join(here, '..', '..', 'renderer');
const PRELOAD = path.join(here, '..', 'preload', 'preload.js');
const CORE_HOST_ENTRY = path.join(here, '..', 'workers', 'core-host.js');
const dev = !app.isPackaged;

// Both must happen before 'ready'.
registerPrivilegedSchemes();
app.enableSandbox();
hardenAllWebContents();

/** The core host's environment: the data folder chosen here, telemetry off, the bundled models' folder. */
function hostEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  env['SHOEBOX_DATA_DIR'] = resolveDataDir(app.commandLine.getSwitchValue('data-dir') || undefined);
  env['ORT_DISABLE_TELEMETRY'] = '1';
  if (app.isPackaged && !env['SHOEBOX_BUNDLED_MODELS']) env['SHOEBOX_BUNDLED_MODELS'] = path.join(process.resourcesPath, 'models');
  return env;
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: 'Shoebox',
    show: false,
    // Matches the renderer's background, so no white flash before the first paint.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#18181a' : '#f5f5f3',
    // Written out here, not built by a helper, so that the security scan can read them.
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Middle-click would open links in new windows; window.open is refused anyway.
      disableBlinkFeatures: 'Auxclick',
      // Chromium's spell-checker downloads dictionaries on Linux and Windows: no network.
      spellcheck: false,
      safeDialogs: true,
      devTools: dev,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.on('render-process-gone', (_event, details) => console.error(`[main] renderer ${details.reason} (exit code ${details.exitCode})`));
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

function focusOrCreateWindow(): void {
  const [existing] = BrowserWindow.getAllWindows();
  if (!existing) return void createWindow();
  if (existing.isMinimized()) existing.restore();
  existing.focus();
}

async function start(): Promise<void> {
  const host = new CoreHost({ entry: CORE_HOST_ENTRY, env: hostEnvironment() });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Close the core first: running jobs end 'interrupted' and SQLite closes; then quit for real.
    event.preventDefault();
    quitting = true;
    void host.stop().finally(() => app.quit());
  });
  app.on('second-instance', focusOrCreateWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  await app.whenReady();
  hardenSession(session.defaultSession);
  registerProtocols(session.defaultSession, { rendererRoot: RENDERER_ROOT, host });
  registerIpc(host);
  Menu.setApplicationMenu(buildMenu(dev));
  app.on('activate', focusOrCreateWindow);

  host.start().catch((err: unknown) => {
    dialog.showErrorBox('Shoebox could not start its library', errorMessage(err));
  });
  createWindow();
}

if (app.requestSingleInstanceLock()) {
  void start();
} else {
  // Another Shoebox is running: it gets focus through 'second-instance'.
  app.quit();
}
