// Unwraps the transports' common answer, { ok: true, result } | { ok: false, error }, into the
// result or a ClientError. Anything else is a protocol error, reported as such.
import type { ApiEnvelope } from '../../../../electron/common/api-envelope.js';
import { ClientError } from './client.js';

function isEnvelope(value: unknown): value is ApiEnvelope<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  if (value.ok === true) return 'result' in value;
  return value.ok === false && 'error' in value && typeof value.error === 'object' && value.error !== null;
}

export function unwrap<T>(name: string, value: unknown): T {
  if (!isEnvelope(value)) throw new ClientError('internal', `Unexpected answer to ${name} from Shoebox.`);
  if (value.ok) return value.result as T;
  throw new ClientError(value.error.code, value.error.message);
}
