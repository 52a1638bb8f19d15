// Turns a failed operation into the transports' common envelope (common/api-envelope.ts).
import type { ApiErrorCode } from '../../common/api-envelope.js';
import { ApiError } from './define.js';
import { errorMessage } from '../../common/error-message.js';

/** The envelope for a failed call: an ApiError keeps its code; anything else is 'internal' (message only, no stack). */
export function errorEnvelope(err: unknown): { ok: false; error: { code: ApiErrorCode; message: string } } {
  if (err instanceof ApiError) return { ok: false, error: { code: err.code, message: err.message } };
  return { ok: false, error: { code: 'internal', message: errorMessage(err) } };
}
