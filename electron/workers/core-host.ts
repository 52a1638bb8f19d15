// Utility-process entry (started by electron/main/core-host-client.ts with utilityProcess.fork):
// opens the Shoebox core here, not in Electron's main process, so SQLite commits, decode
// orchestration and search never block the process that draws menus, dialogs and windows, and
// a crash in a native module ends this process, not the app. ONNX inference runs in this
// process's own worker thread (started by the core).
import type { ParentPort } from 'electron/utility';
import { Shoebox } from '../core/shoebox.js';
import { resolveDataDir } from '../core/paths.js';
import { CoreHostService } from './core-host-service.js';
import { isHostRequest, type HostMessage } from '../common/core-host-protocol.js';

function requireParentPort(): ParentPort {
  const port = (process as NodeJS.Process & { parentPort?: ParentPort | null }).parentPort;
  if (!port) throw new Error('electron/workers/core-host must be started with utilityProcess.fork (see electron/main/core-host-client.ts).');
  return port;
}

const port = requireParentPort();
const send = (message: HostMessage): void => port.postMessage(message);

let core: Shoebox;
try {
  // The main process resolves the data folder (command line, SHOEBOX_DATA_DIR) and passes it on.
  core = await Shoebox.open({ dataDir: resolveDataDir() });
} catch (err) {
  const reason = err instanceof Error ? err.message : String(err);
  console.error('[core-host] could not open the library:', err);
  send({ type: 'startup-failed', message: reason });
  process.exit(1);
}

const service = new CoreHostService(core, send);
port.on('message', (event) => {
  service.handle(event.data).then(
    (state) => {
      if (state === 'closed') process.exit(0);
    },
    (err: unknown) => {
      // handle() answers API errors itself; this is the host failing (a reply that cannot be
      // posted, a core that fails to close). A failed close still ends the process, so the main
      // process is not left waiting for its kill timeout.
      console.error('[core-host] a request from the main process failed:', err);
      if (isHostRequest(event.data) && event.data.type === 'close') process.exit(1);
    },
  );
});
send({ type: 'ready' });
