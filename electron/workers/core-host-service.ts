// The core host's request handling, apart from the utility-process wiring (core-host.ts) so that
// tests can drive it with a real Shoebox: API calls go through the API table (name checked with
// isApiName, input validated by callApi's schema), media ids through resolveMedia, and job events
// are forwarded as they happen. Errors become {code, message}; stacks stay in this process's log.
import { ApiError } from '../core/api/define.js';
import { resolveMedia } from '../core/api/media.js';
import { callApi, isApiName } from '../core/api/table.js';
import type { Shoebox } from '../core/shoebox.js';
import { errorEnvelope } from '../core/api/envelope.js';
import type { ApiReply } from '../common/bridge-contract.js';
import { isHostRequest, type HostMessage } from '../common/core-host-protocol.js';

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

export class CoreHostService {
  private readonly unsubscribe: () => void;

  constructor(
    private readonly core: Shoebox,
    private readonly send: (message: HostMessage) => void,
  ) {
    this.unsubscribe = core.jobs.subscribe((event) => this.post({ type: 'job-event', event }));
  }

  /** Handles one message from the main process; resolves 'closed' once the core is shut down. */
  async handle(raw: unknown): Promise<'open' | 'closed'> {
    if (!isHostRequest(raw)) {
      console.error('[core-host] ignored a malformed request from the main process');
      return 'open';
    }
    switch (raw.type) {
      case 'api':
        this.post({ type: 'api-reply', id: raw.id, reply: await runApi(this.core, raw.name, raw.input) });
        return 'open';
      case 'media': {
        const media = await resolveMedia(this.core, raw.kind, raw.photoId).catch((err: unknown) => {
          console.error(`[core-host] ${raw.kind} ${raw.photoId}:`, err);
          return null;
        });
        this.post({ type: 'media-reply', id: raw.id, media });
        return 'open';
      }
      case 'close':
        this.unsubscribe();
        await this.core.close();
        this.post({ type: 'closed', id: raw.id });
        return 'closed';
    }
  }

  /** A result that structured clone cannot copy must not leave its caller waiting forever. */
  private post(message: HostMessage): void {
    try {
      this.send(message);
    } catch (err) {
      if (message.type !== 'api-reply') throw err;
      console.error('[core-host] reply could not be sent:', err);
      this.send({ type: 'api-reply', id: message.id, reply: { ok: false, error: { code: 'internal', message: 'The reply could not be sent to the window.' } } });
    }
  }
}
