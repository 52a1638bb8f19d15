// Chooses the client at start-up: inside Electron the preload has put `window.shoebox` in place;
// anywhere else this page came from the browser-mode server.
import type { ShoeboxClient } from './client.js';
import { createHttpClient } from './http-client.js';
import { createIpcClient } from './ipc-client.js';

export function pickClient(): ShoeboxClient {
  return window.shoebox ? createIpcClient(window.shoebox) : createHttpClient();
}
