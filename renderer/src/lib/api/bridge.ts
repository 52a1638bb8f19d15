// What Electron's preload exposes as `window.shoebox` (contextBridge): the contract is
// electron/common/bridge-contract.ts, used here as a type only. `call` resolves to the API envelope
// { ok, result | error } so error codes survive IPC. The folder picker is treated as optional, so
// the "Choose folder…" button appears only where a host provides one.
import type { ShoeboxBridge as ContractBridge } from '../../../../electron/common/bridge-contract.js';

export type ShoeboxBridge = Omit<ContractBridge, 'pickFolder'> & Partial<Pick<ContractBridge, 'pickFolder'>>;

declare global {
  interface Window {
    shoebox?: ShoeboxBridge;
  }
}
