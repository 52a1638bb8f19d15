// The contract between the main process and the preload: IPC channel names, the reply of an API
// call (the transports' common envelope, api-envelope.ts, so error codes survive IPC), and
// the shape of `window.shoebox`. Types and constants only, no 'electron' import, so the sandboxed
// preload can check itself against it with `import type`.
import type { ApiEnvelope } from './api-envelope.js';
import type { ApiInput, ApiName, ApiOutput } from './api-types.js';
import type { JobEvent } from './job-events.js';

export const IPC = {
  /** invoke(name, input) → ApiReply */
  api: 'shoebox:api',
  /** invoke() → string | null: a folder the person chose in the system dialog */
  pickFolder: 'shoebox:pick-folder',
  /** invoke(photoId) → ApiReply<null>: the system file manager opens on that photo's file */
  showInFolder: 'shoebox:show-in-folder',
  /** main → renderer: one JobEvent */
  jobEvent: 'shoebox:job-event',
} as const;

/**
 * Window event the Find menu item (menu.ts) dispatches in the page; the renderer listens for it
 * to focus its search field. A plain DOM event: the preload exposes nothing for it, and the
 * renderer imports this constant from here (this module loads nothing at run time).
 */
export const FOCUS_SEARCH_EVENT = 'shoebox:focus-search';

/** { ok: true, result } | { ok: false, error: { code, message } }; the message never holds a stack trace. */
export type ApiReply<T = unknown> = ApiEnvelope<T>;

/**
 * `window.shoebox` in the renderer. `call` resolves to the envelope (not the bare result): a
 * rejected promise would lose the error's code, as contextBridge copies only an Error's message.
 */
export interface ShoeboxBridge {
  call<N extends ApiName>(name: N, input: ApiInput<N>): Promise<ApiReply<ApiOutput<N>>>;
  /** Returns the unsubscribe function. */
  onJobEvent(listener: (event: JobEvent) => void): () => void;
  pickFolder(): Promise<string | null>;
  /** The file manager opens on the photo (found by id in the library; the page never names a path). */
  showInFolder(photoId: number): Promise<ApiReply<null>>;
}
