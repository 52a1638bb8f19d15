// What Electron's preload exposes as `window.shoebox` (contextBridge): the contract is
// electron/common/bridge-contract.ts, used here as a type only. `call` resolves to the API envelope
// { ok, result | error } so error codes survive IPC. The folder picker and "show in folder" are
// treated as optional, so what needs them appears only where a host provides them.
import type { ShoeboxBridge as ContractBridge } from '../../../../electron/common/bridge-contract.js';

export type ShoeboxBridge = Omit<ContractBridge, 'pickFolder' | 'showInFolder'> & Partial<Pick<ContractBridge, 'pickFolder' | 'showInFolder'>>;

declare global {
  interface Window {
    shoebox?: ShoeboxBridge;
  }
}
