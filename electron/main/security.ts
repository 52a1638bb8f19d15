// Hardening of every web page Electron creates. The session: CSP header, permissions denied (but
// our page's clipboard writes and full screen), no network or file requests from pages, no
// spell-checker downloads. Every web contents (ours, or a future popup/webview): no webviews, no
// navigation away from our page, window.open refused, http(s) links handed to the person's browser
// after they confirm. (Window options: main.ts.)
import { app, dialog, shell, type Session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY, externalLinkDecision, isAppUrl, navigationDecision, permissionAllowed } from './policy.js';

/** Schemes a page may not request at all: Shoebox's page makes no network requests and reads no files. */
const BLOCKED_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:']);

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permissionAllowed(permission, details.requestingUrl)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
  session.setSpellCheckerEnabled(false);
  session.webRequest.onBeforeRequest((details, callback) => {
    // Only requests made by a page; the main process's own (net.fetch of a file for app://) pass.
    if (details.webContentsId === undefined) return callback({});
    let scheme: string;
    try {
      scheme = new URL(details.url).protocol;
    } catch {
      return callback({ cancel: true });
    }
    callback({ cancel: BLOCKED_SCHEMES.has(scheme) });
  });
  // The app:// handler sets the same header; this also covers any response the handler does not make.
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url)) return callback({});
    const headers = { ...details.responseHeaders };
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

/** Opens an http(s) link in the person's browser after they agree; a page cannot do it silently. */
async function openExternalAfterConfirm(contents: WebContents, url: string): Promise<void> {
  const decision = externalLinkDecision(url);
  if (decision.action !== 'open-external') return;
  const { response } = await dialog.showMessageBox({
    type: 'question',
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: 'Open this link in your web browser?',
    detail: decision.url,
  });
  if (response === 0 && !contents.isDestroyed()) await shell.openExternal(decision.url);
}

function hardenWebContents(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalAfterConfirm(contents, url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    const decision = navigationDecision(event.url);
    if (decision.action === 'allow') return;
    event.preventDefault();
    if (decision.action === 'open-external') void openExternalAfterConfirm(contents, decision.url);
  });
  // Sub-frames (there are none in Shoebox's page) never navigate anywhere but our own page.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && !isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
}

/** Applies hardenWebContents to every web contents, present and future. Call before any window exists. */
export function hardenAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}
