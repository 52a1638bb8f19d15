// How long the browser-mode server keeps a connection, and how many it keeps. Without limits, a
// few hundred sockets that send nothing hold the server's file descriptors and lock the person
// out (security probe, finding 3). Three rules:
//  - Timeouts. `headersTimeout` also bounds a connection that never sends a byte: Node (≥ 18)
//    starts the clock when it accepts the socket, and checks every `connectionsCheckingInterval`
//    (30 s by default, hence our 1 s). `requestTimeout` bounds receiving a request (a slow body),
//    not answering it, so a long `jobs.wait` is not cut. `keepAliveTimeout` closes a connection
//    that sits idle after an answer.
//  - A cap on open connections, applied when a connection is accepted: past the cap, the oldest
//    connection that has no request being answered is closed to make room, so a flood of idle
//    sockets cannot keep the person's browser out. Only when every connection is busy is the new
//    one refused. The cap stays well below the usual file limits, so accept() does not hit EMFILE.
//  - Accepted WebSockets (the job-event stream) are long-lived by design: never evicted, and
//    outside the HTTP timeouts (Node stops tracking a connection once it is upgraded; the events
//    hub pings them to drop dead ones).
import type { IncomingMessage, Server, ServerOptions as HttpServerOptions, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface ConnectionLimits {
  /** Time to receive the request line and headers, counted from the connection's accept. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included (not the time to answer it). */
  requestTimeoutMs: number;
  /** How long a connection may sit idle after an answer. */
  keepAliveTimeoutMs: number;
  /** Open connections (WebSockets included) before the oldest idle one is closed for a new one. */
  maxConnections: number;
}

export const DEFAULT_LIMITS: Readonly<ConnectionLimits> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 128,
};

/** Environment variables that override a limit (tests use them to shorten the timeouts). */
export const LIMIT_ENV: Readonly<Record<keyof ConnectionLimits, string>> = {
  headersTimeoutMs: 'SHOEBOX_SERVER_HEADERS_TIMEOUT_MS',
  requestTimeoutMs: 'SHOEBOX_SERVER_REQUEST_TIMEOUT_MS',
  keepAliveTimeoutMs: 'SHOEBOX_SERVER_KEEPALIVE_TIMEOUT_MS',
  maxConnections: 'SHOEBOX_SERVER_MAX_CONNECTIONS',
};

/** The limits set in `env`; throws a readable error for a value that is not a positive whole number. */
export function limitsFromEnv(env: NodeJS.ProcessEnv): Partial<ConnectionLimits> {
  const limits: Partial<ConnectionLimits> = {};
  for (const key of Object.keys(LIMIT_ENV) as (keyof ConnectionLimits)[]) {
    const raw = env[LIMIT_ENV[key]];
    if (raw === undefined || raw === '') continue;
    if (!/^\d{1,9}$/.test(raw) || Number(raw) === 0) throw new Error(`${LIMIT_ENV[key]} must be a whole number above 0, got "${raw}".`);
    limits[key] = Number(raw);
  }
  return limits;
}

/** Fills in the defaults and checks that the limits fit together. */
export function resolveLimits(partial: Partial<ConnectionLimits> = {}): ConnectionLimits {
  const limits = { ...DEFAULT_LIMITS, ...partial };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value <= 0) throw new Error(`Server limit ${key} must be a whole number above 0, got ${value}.`);
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new Error(`The headers timeout (${limits.headersTimeoutMs} ms) cannot be longer than the request timeout (${limits.requestTimeoutMs} ms).`);
  }
  return limits;
}

/** Options for http.createServer: the checking interval can only be set there. */
export function httpServerOptions(limits: ConnectionLimits): HttpServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
  };
}

interface Tracked {
  /** Requests on this connection whose answers are not finished. */
  busy: number;
  /** An accepted WebSocket: never evicted. */
  upgraded: boolean;
  /** When the connection last became idle (accepted, or its last answer ended). */
  idleSince: number;
}

/** Applies the timeouts to `server` and enforces the connection cap. */
export class ConnectionGuard {
  private readonly open = new Map<Duplex, Tracked>();
  private clock = 0;

  constructor(
    server: Server,
    private readonly limits: ConnectionLimits,
  ) {
    // Also set as properties: they are what Node reads at run time.
    server.headersTimeout = limits.headersTimeoutMs;
    server.requestTimeout = limits.requestTimeoutMs;
    server.keepAliveTimeout = limits.keepAliveTimeoutMs;
    server.on('connection', (socket: Socket) => this.accepted(socket));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.requestStarted(req.socket, res));
  }

  /** Marks a connection as an accepted WebSocket. */
  upgraded(socket: Duplex): void {
    const tracked = this.open.get(socket);
    if (tracked) tracked.upgraded = true;
  }

  private accepted(socket: Socket): void {
    if (this.open.size >= this.limits.maxConnections && !this.evictOldestIdle()) {
      socket.destroy(); // every connection is answering a request: refuse the newcomer
      return;
    }
    // A counter, not Date.now(): connections accepted in one tick still get an order.
    this.open.set(socket, { busy: 0, upgraded: false, idleSince: ++this.clock });
    socket.once('close', () => this.open.delete(socket));
  }

  private requestStarted(socket: Socket, res: ServerResponse): void {
    const tracked = this.open.get(socket);
    if (!tracked) return;
    tracked.busy++;
    res.once('close', () => {
      tracked.busy--;
      if (tracked.busy === 0) tracked.idleSince = ++this.clock;
    });
  }

  private evictOldestIdle(): boolean {
    let oldest: Duplex | null = null;
    let since = Infinity;
    for (const [socket, t] of this.open) {
      if (t.busy === 0 && !t.upgraded && t.idleSince < since) {
        oldest = socket;
        since = t.idleSince;
      }
    }
    if (!oldest) return false;
    this.open.delete(oldest);
    oldest.destroy();
    return true;
  }
}
