// The browser-mode server: Shoebox's API over HTTP + WebSocket for a browser on the same machine.
// Routes: POST /api/<op> (JSON), GET /media/… (photo files), GET /events (WebSocket, job
// progress), and the built UI. Every request passes the checks in security.ts first; connections
// are bounded in time and number by connections.ts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Shoebox } from '../core/shoebox.js';
import { handleApi } from './api-route.js';
import { ConnectionGuard, httpServerOptions, resolveLimits, type ConnectionLimits } from './connections.js';
import { EventHub } from './events.js';
import { handleMedia } from './media-route.js';
import { contentSecurityPolicy, sendError, sendText, setCommonHeaders } from './responses.js';
import { AccessPolicy, browserHostName, createToken, isPrivateHostName, type Verdict } from './security.js';
import { loadStaticFiles, type StaticFile } from './static-files.js';

export interface ServerOptions {
  core: Shoebox;
  /** The built renderer (index.html + assets/); without it the API still works and / explains how to build. */
  rendererDir?: string | null;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port chosen by the system. */
  port?: number;
  /** Default: 32 fresh random bytes. */
  token?: string;
  /** Timeouts and the connection cap; unset ones take DEFAULT_LIMITS. */
  limits?: Partial<ConnectionLimits>;
  log?: (line: string) => void;
}

export interface RunningServer {
  host: string;
  port: number;
  /** http://127.0.0.1:PORT, for scripts (with `Authorization: Bearer`). */
  origin: string;
  /** http://shoebox-<random>.localhost:PORT, the browser UI's own origin (see security.ts). */
  uiOrigin: string;
  token: string;
  /** The address to open in a browser (`<uiOrigin>/?token=…`): sets the session cookie, then shows the UI. */
  launchUrl: string;
  close(): Promise<void>;
}

const NOT_BUILT_PAGE = 'The Shoebox interface is not built yet. Run `npm run build:renderer`, then start Shoebox again.';
const LOCKED_PAGE = 'This Shoebox window needs its access key: open the address that Shoebox printed when it started (it ends in ?token=…).';

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { core } = options;
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? createToken();
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const files = options.rendererDir ? await loadStaticFiles(options.rendererDir).catch(() => new Map<string, StaticFile>()) : new Map<string, StaticFile>();
  const events = new EventHub(core);
  const limits = resolveLimits(options.limits);
  let policy: AccessPolicy | null = null;

  const server = createServer(httpServerOptions(limits), (req, res) => {
    setCommonHeaders(res);
    if (!policy) return sendText(res, 503, 'Starting…');
    route(policy, req, res).catch((err: unknown) => {
      log(`Request ${req.method} ${req.url} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) sendError(res, 500, 'internal', 'Internal error.');
      else res.destroy();
    });
  });
  const guard = new ConnectionGuard(server, limits);

  async function route(p: AccessPolicy, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const source = p.checkSource(req);
    if (!source.ok) return refuse(res, source);
    // The raw path: dot segments and percent-encodings are judged by the routes, not normalised away.
    const [rawPath = '/', query = ''] = (req.url ?? '/').split('?', 2);

    const linkToken = req.method === 'GET' && (rawPath === '/' || rawPath === '/index.html') ? new URLSearchParams(query).get('token') : null;
    if (linkToken !== null) {
      // First visit from the printed link: trade the token in the URL for the cookie, then drop it from the address bar.
      if (!p.matches(linkToken)) return refuse(res, { ok: false, status: 403, message: 'Wrong access token.' });
      // The link opened by another name (127.0.0.1): move to the UI's private name first, where
      // the cookie will stay. Only a valid token learns that name.
      const location = p.isUiHost(req) ? '/' : `${p.uiOrigin}/?token=${encodeURIComponent(linkToken)}`;
      res.writeHead(303, { ...(p.isUiHost(req) ? { 'Set-Cookie': p.sessionCookie() } : {}), Location: location, 'Cache-Control': 'no-store' }).end();
      return;
    }
    const auth = p.checkToken(req);
    if (!auth.ok) return refuse(res, auth, rawPath.startsWith('/api/') ? undefined : LOCKED_PAGE);

    if (rawPath.startsWith('/api/')) return handleApi(core, rawPath.slice('/api/'.length), req, res, log);
    if (rawPath.startsWith('/media/')) return handleMedia(core, rawPath.slice('/media/'.length), req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'Method not allowed.');
    }
    if (files.size === 0) return sendText(res, 503, NOT_BUILT_PAGE);
    const file = files.get(rawPath);
    if (!file) return sendText(res, 404, 'Not found.');
    res.writeHead(200, {
      'Content-Type': file.type,
      'Content-Length': file.body.length,
      'Cache-Control': file.immutable ? 'private, max-age=31536000, immutable' : 'no-cache',
      ...(file.type.startsWith('text/html') ? { 'Content-Security-Policy': contentSecurityPolicy(req.headers.host!.toLowerCase()) } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?', 1)[0];
    const verdict: Verdict = !policy
      ? { ok: false, status: 403, message: 'starting' }
      : path !== '/events'
        ? { ok: false, status: 403, message: 'no such socket' }
        : (() => {
            const source = policy.checkSource(req);
            return source.ok ? policy.checkToken(req) : source;
          })();
    if (!verdict.ok) {
      // Node no longer times out an upgrade request's socket, so close it fully once the answer is written.
      socket.end(`HTTP/1.1 ${verdict.status} ${verdict.status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
      return;
    }
    guard.upgraded(socket);
    events.accept(req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const browserHost = browserHostName(host);
  policy = new AccessPolicy(token, port, host, browserHost);
  if (!isPrivateHostName(browserHost)) {
    log(`Warning: listening on ${host}, so the browser UI is opened at ${browserHost}; browsers send its access cookie to every other port of ${browserHost} too. Bind to 127.0.0.1 (the default) to keep it private.`);
  }
  // Scripts reach a wildcard bind (0.0.0.0, ::) through the loopback address.
  const scriptHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const origin = `http://${scriptHost.includes(':') ? `[${scriptHost}]` : scriptHost}:${port}`;

  return {
    host,
    port,
    origin,
    uiOrigin: policy.uiOrigin,
    token,
    launchUrl: `${policy.uiOrigin}/?token=${token}`,
    close: async () => {
      events.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function refuse(res: ServerResponse, verdict: Extract<Verdict, { ok: false }>, page?: string): void {
  if (page) sendText(res, verdict.status, `${verdict.message}\n\n${page}`);
  else sendError(res, verdict.status, verdict.status === 401 ? 'unauthorized' : 'forbidden', verdict.message);
}
