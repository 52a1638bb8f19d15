// The shape in which every transport hands an API answer to the UI: `{ ok: true, result }` or
// `{ ok: false, error: { code, message } }`. The HTTP server sends it as the response body and
// Electron's IPC handler returns it from ipcMain.handle, so the renderer's two clients unwrap the
// same thing (IPC would otherwise lose the error's code: a thrown error arrives as its message only).

/** The kinds of error an API operation reports (core/api/define.ts throws them as ApiError). */
export type ApiErrorCode = 'bad-input' | 'not-found' | 'conflict' | 'unavailable' | 'internal';

/** The API's error kinds, plus the HTTP transport's own: no token (401) and refused request (403). */
export type WireErrorCode = ApiErrorCode | 'unauthorized' | 'forbidden';

export interface WireError {
  code: WireErrorCode;
  message: string;
}

export type ApiEnvelope<T> = { ok: true; result: T } | { ok: false; error: WireError };
