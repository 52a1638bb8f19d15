// Electron's client: calls go through the preload's `window.shoebox` bridge; media use the
// shoebox-media:// protocol that the main process serves with the same checks as the HTTP server.
import { abortError, ClientError, type ShoeboxClient } from './client.js';
import { unwrap } from './envelope.js';
import type { ShoeboxBridge } from './bridge.js';

// ipcRenderer.invoke reports a thrown error as "Error invoking remote method 'x': Error: …".
const IPC_PREFIX = /^Error invoking remote method '[^']*': (?:\w*Error: )?/;

export function createIpcClient(bridge: ShoeboxBridge): ShoeboxClient {
  return {
    async call(name, input, options = {}) {
      if (options.signal?.aborted) throw abortError();
      // IPC cannot cancel the work in the main process; an aborted call stops waiting for it.
      const answer = new Promise<unknown>((resolve, reject) => {
        options.signal?.addEventListener('abort', () => reject(abortError()), { once: true });
        bridge.call(name, input).then(resolve, (err: unknown) => {
          const message = err instanceof Error ? err.message.replace(IPC_PREFIX, '') : String(err);
          reject(new ClientError('internal', message));
        });
      });
      return unwrap(name, await answer);
    },
    onJobEvent: (listener) => bridge.onJobEvent(listener),
    mediaUrl: (kind, photoId) => `shoebox-media://${kind}/${photoId}`,
    ...(bridge.pickFolder ? { pickFolder: () => bridge.pickFolder!() } : {}),
    ...(bridge.showInFolder ? { showInFolder: async (photoId: number) => void unwrap('show in folder', await bridge.showInFolder!(photoId)) } : {}),
  };
}
