// The core host's request handling, apart from the utility-process wiring (core-host.ts) so that
// tests can drive it with a real Shoebox over a real message port: API calls go through the API
// table (name checked with isApiName, input validated by callApi's schema), media ids through
// resolveMedia, and job events are forwarded as they happen. Errors become {code, message};
// stacks stay in this process's log.
import { ApiError } from '../core/api/define.js';
import { resolveMedia } from '../core/api/media.js';
import { callApi, isApiName } from '../core/api/table.js';
import type { Shoebox } from '../core/shoebox.js';
import { errorEnvelope } from '../core/api/envelope.js';
import { sendEvent, serveRpc, type RpcServerPort } from '../core/workers/rpc.js';
import type { ApiReply } from '../common/bridge-contract.js';
import { HOST_EVENTS, isApiParams, isMediaParams, type CoreHostMethods } from '../common/core-host-protocol.js';

/** Runs one API call and wraps its outcome in the reply envelope; never throws. */
export async function runApi(core: Shoebox, name: string, input: unknown): Promise<ApiReply> {
  if (!isApiName(name)) return { ok: false, error: { code: 'bad-input', message: `Unknown operation ${JSON.stringify(name.slice(0, 100))}.` } };
  try {
    return { ok: true, result: await callApi(core, name, input) };
  } catch (err) {
    // The same envelope as the HTTP server's; the stack of an unexpected error stays in this log.
    if (!(err instanceof ApiError)) console.error(`[core-host] ${name} failed:`, err);
    return errorEnvelope(err);
  }
}

/**
 * Serves the core host's methods on `port` and forwards job events to it. `onClosed` runs once
 * the core has closed (exit code 0) or failed to (1) and the answer to `close` is posted; the
 * entry exits the process there.
 */
export function serveCoreHost(core: Shoebox, port: RpcServerPort, onClosed: (exitCode: number) => void): void {
  const unsubscribe = core.jobs.subscribe((event) => sendEvent(port, HOST_EVENTS.jobEvent, event));
  const answer = <K extends keyof CoreHostMethods>(result: CoreHostMethods[K]['result']) => ({ result });
  serveRpc(
    port,
    {
      async api(params) {
        if (!isApiParams(params)) throw new Error('malformed api request');
        return answer<'api'>(await runApi(core, params.name, params.input));
      },
      async media(params) {
        if (!isMediaParams(params)) throw new Error('malformed media request');
        const media = await resolveMedia(core, params.kind, params.photoId).catch((err: unknown) => {
          console.error(`[core-host] ${params.kind} ${params.photoId}:`, err);
          return null;
        });
        return answer<'media'>(media);
      },
      async close() {
        unsubscribe();
        const closed = core.close();
        // Runs after the answer (or the error) is posted: serveRpc posts it as soon as this handler
        // settles. A failed close still ends the process, so the main process does not wait for
        // its kill timeout.
        closed.then(
          () => setImmediate(onClosed, 0),
          () => setImmediate(onClosed, 1),
        );
        await closed;
        return answer<'close'>(null);
      },
    },
    { name: 'core-host' },
  );
}
