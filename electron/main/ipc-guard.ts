// The checks an API call over IPC passes in the main process before it reaches the core:
// the sending frame shows our own page, and the name is an operation of the API table. The
// input is validated by the operation's schema in the core host (callApi). Pure, for tests.
import { isApiName, type ApiName } from '../core/api/table.js';
import type { WireError } from '../common/api-envelope.js';
import { isTrustedSender } from './policy.js';

export type GuardResult = { ok: true; name: ApiName } | { ok: false; error: WireError };

export function checkApiCall(frameUrl: string | null | undefined, name: unknown): GuardResult {
  if (!isTrustedSender(frameUrl)) {
    return { ok: false, error: { code: 'forbidden', message: 'Only Shoebox’s own window may use the Shoebox API.' } };
  }
  if (typeof name !== 'string' || !isApiName(name)) {
    const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 100)) : typeof name;
    return { ok: false, error: { code: 'bad-input', message: `Unknown operation ${shown}.` } };
  }
  return { ok: true, name };
}
