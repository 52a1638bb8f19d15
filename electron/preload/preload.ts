// The preload of Shoebox's window: exposes `window.shoebox` = { call, onJobEvent, pickFolder, showInFolder }
// through contextBridge, nothing else (no ipcRenderer, no Node). It runs sandboxed, where
// Electron evaluates it as a classic CommonJS script whose require() knows only 'electron'; the
// package.json beside it makes tsc emit CommonJS although the project is ESM. Types only come
// from the rest of the project (`import type`, erased at compile time).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiInput, ApiName, ApiOutput } from '../common/api-types.js';
import type { JobEvent } from '../common/job-events.js';
import type { ApiReply, IPC as CHANNELS, ShoeboxBridge } from '../common/bridge-contract.js';

// Repeated because the sandbox cannot load bridge-contract.js; the type turns any drift into a compile error.
const IPC: typeof CHANNELS = { api: 'shoebox:api', pickFolder: 'shoebox:pick-folder', showInFolder: 'shoebox:show-in-folder', jobEvent: 'shoebox:job-event' };

const bridge: ShoeboxBridge = {
  // The envelope is passed on as is; the renderer's client unwraps it (and checks its shape).
  call<N extends ApiName>(name: N, input: ApiInput<N>): Promise<ApiReply<ApiOutput<N>>> {
    return ipcRenderer.invoke(IPC.api, name, input) as Promise<ApiReply<ApiOutput<N>>>;
  },

  onJobEvent(listener: (event: JobEvent) => void): () => void {
    // The IPC event object stays here: the page gets the job event only.
    const handler = (_event: IpcRendererEvent, jobEvent: JobEvent): void => listener(jobEvent);
    ipcRenderer.on(IPC.jobEvent, handler);
    return () => {
      ipcRenderer.removeListener(IPC.jobEvent, handler);
    };
  },

  async pickFolder(): Promise<string | null> {
    const picked: unknown = await ipcRenderer.invoke(IPC.pickFolder);
    return typeof picked === 'string' ? picked : null;
  },

  // The envelope is passed on as is, like call's.
  showInFolder(photoId: number): Promise<ApiReply<null>> {
    return ipcRenderer.invoke(IPC.showInFolder, photoId) as Promise<ApiReply<null>>;
  },
};

contextBridge.exposeInMainWorld('shoebox', bridge);
