// IPC registration: one handler serves every operation of the API table (the name is checked
// against the table, the input against its schema in the core host), a folder picker, "show in
// folder" for a photo named by id (show-in-folder.ts), and job events pushed to Shoebox windows.
// Every handler first checks that the sending frame shows our own page; replies are
// {ok, result} | {ok: false, error: {code, message}}, never a stack trace.
import { BrowserWindow, dialog, ipcMain, shell, webContents, type IpcMainInvokeEvent } from 'electron';
import type { CoreHost } from './core-host-client.js';
import { IPC, type ApiReply } from '../common/bridge-contract.js';
import { checkApiCall } from './ipc-guard.js';
import { isTrustedSender } from './policy.js';
import { showPhotoInFolder } from './show-in-folder.js';

function frameUrl(event: IpcMainInvokeEvent): string | null {
  // senderFrame is null once the frame navigated away or was destroyed: such a sender is refused.
  return event.senderFrame?.url ?? null;
}

export function registerIpc(host: CoreHost): void {
  ipcMain.handle(IPC.api, async (event, name: unknown, input: unknown): Promise<ApiReply> => {
    const guard = checkApiCall(frameUrl(event), name);
    if (!guard.ok) return { ok: false, error: guard.error };
    return host.call(guard.name, input);
  });

  ipcMain.handle(IPC.pickFolder, async (event): Promise<string | null> => {
    if (!isTrustedSender(frameUrl(event))) return null;
    const window = BrowserWindow.fromWebContents(event.sender);
    const options = { title: 'Add a folder to the library', properties: ['openDirectory' as const] };
    const picked = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return picked.canceled ? null : (picked.filePaths[0] ?? null);
  });

  ipcMain.handle(IPC.showInFolder, (event, photoId: unknown): Promise<ApiReply<null>> => showPhotoInFolder(frameUrl(event), photoId, host, (path) => shell.showItemInFolder(path)));

  host.onJobEvent((jobEvent) => {
    for (const contents of webContents.getAllWebContents()) {
      if (!contents.isDestroyed() && isTrustedSender(contents.mainFrame.url)) contents.send(IPC.jobEvent, jobEvent);
    }
  });
}
