// Utility-process entry (started by electron/main/core-host-client.ts with utilityProcess.fork):
// opens the Shoebox core here, not in Electron's main process, so SQLite commits, decode
// orchestration and search never block the process that draws menus, dialogs and windows, and
// a crash in a native module ends this process, not the app. ONNX inference runs in this
// process's own worker thread (started by the core).
import type { ParentPort } from 'electron/utility';
import { Shoebox } from '../core/shoebox.js';
import { resolveDataDir } from '../core/paths.js';
import { sendEvent, type RpcServerPort } from '../core/workers/rpc.js';
import { serveCoreHost } from './core-host-service.js';
import { HOST_EVENTS } from '../common/core-host-protocol.js';
import { errorMessage } from '../common/error-message.js';

function requireParentPort(): ParentPort {
  const port = (process as NodeJS.Process & { parentPort?: ParentPort | null }).parentPort;
  if (!port) throw new Error('electron/workers/core-host must be started with utilityProcess.fork (see electron/main/core-host-client.ts).');
  return port;
}

// Electron's parent port delivers a MessageEvent; the RPC wants the message itself.
const parentPort = requireParentPort();
const port: RpcServerPort = {
  postMessage: (message) => parentPort.postMessage(message),
  on: (_event, listener) => parentPort.on('message', (event) => listener(event.data)),
};

let core: Shoebox;
try {
  // The main process resolves the data folder (command line, SHOEBOX_DATA_DIR) and passes it on.
  // The app resumes an indexing a crash cut short (one-shot CLI commands do not).
  core = await Shoebox.open({ dataDir: resolveDataDir(), resumeInterrupted: true });
} catch (err) {
  console.error('[core-host] could not open the library:', err);
  sendEvent(port, HOST_EVENTS.startupFailed, errorMessage(err));
  process.exit(1);
}

serveCoreHost(core, port, (exitCode) => process.exit(exitCode));
sendEvent(port, HOST_EVENTS.ready, null);
