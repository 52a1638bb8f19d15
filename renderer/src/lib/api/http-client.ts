// Browser mode's client: POST /api/<name> with JSON, media by URL, job events over the /events
// WebSocket (reconnecting with back-off while the page is open). The access token travels in the
// HttpOnly session cookie the server set when the page was opened from the printed link; a
// `token` may be given instead (scripts, tests), and is then sent as `Authorization: Bearer`.
// Every URL here is built from the page's own origin, which is the server's private per-launch
// name (http://shoebox-<random>.localhost:PORT): the cookie is host-only on that name, so API
// calls, <img> media and the WebSocket must stay on it (see electron/server/security.ts).
import { abortError, ClientError, type CallOptions, type JobEvent, type ShoeboxClient } from './client.js';
import { unwrap } from './envelope.js';
import { errorMessage } from '../../../../electron/common/error-message.js';

export interface HttpClientOptions {
  /** e.g. http://127.0.0.1:4780 (default: the page's own origin). */
  origin?: string;
  token?: string;
}

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;

export function createHttpClient(options: HttpClientOptions = {}): ShoeboxClient {
  const origin = options.origin ?? location.origin;
  const listeners = new Set<(event: JobEvent) => void>();
  let socket: WebSocket | null = null;
  let retryMs = RECONNECT_MIN_MS;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  function connect(): void {
    if (socket || listeners.size === 0) return;
    const ws = new WebSocket(origin.replace(/^http/, 'ws') + '/events');
    socket = ws;
    ws.onopen = () => (retryMs = RECONNECT_MIN_MS);
    ws.onmessage = (msg) => {
      let data: unknown = null;
      try {
        data = typeof msg.data === 'string' ? JSON.parse(msg.data) : null;
      } catch {
        return; // not one of the server's messages
      }
      if (typeof data === 'object' && data !== null && 'type' in data && data.type === 'job' && 'job' in data) {
        for (const fn of listeners) fn(data.job as JobEvent);
      }
    };
    ws.onclose = () => {
      socket = null;
      if (listeners.size === 0) return;
      retryTimer = setTimeout(() => {
        retryTimer = null;
        connect();
      }, retryMs);
      retryMs = Math.min(retryMs * 2, RECONNECT_MAX_MS);
    };
  }

  return {
    async call(name, input, callOptions: CallOptions = {}) {
      let response: Response;
      try {
        response = await fetch(`${origin}/api/${name}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) },
          body: JSON.stringify(input),
          credentials: 'same-origin',
          ...(callOptions.signal ? { signal: callOptions.signal } : {}),
        });
      } catch (err) {
        if (callOptions.signal?.aborted) throw abortError();
        throw new ClientError('network', `Shoebox is not reachable (${errorMessage(err)}). Is it still running?`);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        if (callOptions.signal?.aborted) throw abortError();
        throw new ClientError('internal', `Shoebox answered ${name} with status ${response.status} and no readable body.`);
      }
      return unwrap(name, body);
    },

    onJobEvent(listener) {
      listeners.add(listener);
      connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        if (retryTimer) clearTimeout(retryTimer);
        retryTimer = null;
        socket?.close();
      };
    },

    mediaUrl(kind, photoId) {
      return `${origin}/media/${kind}/${photoId}`;
    },
  };
}
