// The shape in which every transport hands an API answer to the UI: `{ ok: true, result }` or
// `{ ok: false, error: { code, message } }`. The HTTP server sends it as the response body and
// Electron's IPC handler returns it from ipcMain.handle, so the renderer's two clients unwrap the
// same thing (IPC would otherwise lose the error's code: a thrown error arrives as its message only).
import { ApiError, type ApiErrorCode } from './define.js';

/** The API's error kinds, plus the HTTP transport's own: no token (401) and refused request (403). */
export type WireErrorCode = ApiErrorCode | 'unauthorized' | 'forbidden';

export interface WireError {
  code: WireErrorCode;
  message: string;
}

export type ApiEnvelope<T> = { ok: true; result: T } | { ok: false; error: WireError };

/** The envelope for a failed call: an ApiError keeps its code; anything else is 'internal' (message only, no stack). */
export function errorEnvelope(err: unknown): { ok: false; error: { code: ApiErrorCode; message: string } } {
  if (err instanceof ApiError) return { ok: false, error: { code: err.code, message: err.message } };
  return { ok: false, error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } };
}
