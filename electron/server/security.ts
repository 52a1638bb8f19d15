// Who may talk to the browser-mode server. It listens on loopback only, yet any web page the
// person visits can send requests to 127.0.0.1, so every request must pass three checks:
//  1. Host is one of this server's names with its port: 127.0.0.1, localhost, the bound address,
//     or the per-launch browser name below. A DNS-rebinding page (evil.example resolving to
//     127.0.0.1) sends its own name as Host and is refused.
//  2. Origin, when the browser sends one, is this server's own origin, and Sec-Fetch-Site, when
//     sent, is same-origin or none: other sites (other localhost ports included) are refused.
//  3. The per-launch token: `Authorization: Bearer <token>` (scripts, tests) or the HttpOnly,
//     SameSite=Strict cookie that the index page sets when opened with ?token=… (the browser UI,
//     whose <img> and WebSocket requests cannot carry headers).
//
// Why the UI lives on a random name, http://shoebox-<32 hex>.localhost:PORT/ (security probe,
// finding 1): cookies ignore ports, and 127.0.0.1:X is the same site as 127.0.0.1:Y, so a cookie
// that 127.0.0.1:PORT sets is sent to every other server on 127.0.0.1 — a dev server or another
// app's UI would receive the token, SameSite=Strict or not. Measured in Chromium 156 (the test
// server-cookie-scope.test.ts keeps checking it):
//  - a cookie set by 127.0.0.1:A is sent to 127.0.0.1:B; not to localhost:B;
//  - Chromium resolves any *.localhost name to loopback by itself (no DNS, no hosts file);
//  - a host-only cookie set by abc.localhost:A is not sent to 127.0.0.1:B, localhost:B or
//    other.localhost:B, but is sent to abc.localhost:B (ports still do not count), so the name
//    must be unguessable: 128 random bits, new each launch, never shown to a request without the
//    token;
//  - a fetch from 127.0.0.1:B to abc.localhost:A is cross-site (Sec-Fetch-Site: cross-site) and
//    carries no SameSite=Strict cookie; a page cannot set a cookie for Domain=localhost.
// The cookie is therefore set host-only on that name and only accepted on requests to it. The
// other option — no ambient cookie, the token kept by the page and signed, short-lived URLs for
// <img> and the WebSocket — needs the renderer to hold the secret in script and re-sign every
// thumbnail URL when it expires, for the same protection. Scripts keep using 127.0.0.1 with the
// bearer header (Node's resolver does not know *.localhost).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

const OK: Verdict = { ok: true };

/** Addresses that a browser reaches through a *.localhost name (it resolves those to loopback itself). */
const REACHED_BY_LOCALHOST_NAME = new Set(['127.0.0.1', '::1', 'localhost', '0.0.0.0', '::']);

/** 32 random bytes, URL-safe. A new one each launch, so an old link stops working. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The host name the browser UI is opened on: a fresh random *.localhost name when the server is
 * bound to loopback (or to every address), else the bound address itself (see the header).
 */
export function browserHostName(boundHost: string): string {
  if (REACHED_BY_LOCALHOST_NAME.has(boundHost)) return `shoebox-${randomBytes(16).toString('hex')}.localhost`;
  return boundHost.includes(':') ? `[${boundHost}]` : boundHost;
}

/** Whether `name` is a private per-launch name, whose cookie no other server can receive. */
export function isPrivateHostName(name: string): boolean {
  return name.endsWith('.localhost');
}

export class AccessPolicy {
  readonly cookieName: string;
  /** Host header of the browser UI, e.g. shoebox-….localhost:4780. */
  readonly uiHost: string;
  private readonly hosts: Set<string>;
  private readonly origins: Set<string>;
  private readonly tokenDigest: Buffer;

  constructor(
    readonly token: string,
    readonly port: number,
    boundHost: string,
    browserHost: string,
  ) {
    this.cookieName = `shoebox_${port}`;
    this.uiHost = `${browserHost.toLowerCase()}:${port}`;
    const names = new Set(['127.0.0.1', 'localhost', boundHost.includes(':') ? `[${boundHost}]` : boundHost]);
    names.delete('0.0.0.0');
    names.delete('[::]');
    this.hosts = new Set([...names].map((n) => `${n}:${port}`).concat(this.uiHost));
    this.origins = new Set([...this.hosts].map((h) => `http://${h}`));
    this.tokenDigest = digest(token);
  }

  /** http://<browser name>:PORT, the origin of the browser UI. */
  get uiOrigin(): string {
    return `http://${this.uiHost}`;
  }

  /** Checks 1 and 2: the request comes to this server's own name from this server's own pages. */
  checkSource(req: IncomingMessage): Verdict {
    const host = req.headers.host?.toLowerCase();
    if (!host || !this.hosts.has(host)) return { ok: false, status: 403, message: `Host ${JSON.stringify(req.headers.host ?? '')} is not allowed.` };
    const origin = req.headers.origin;
    if (origin !== undefined && !this.origins.has(origin.toLowerCase())) {
      return { ok: false, status: 403, message: `Requests from ${JSON.stringify(origin)} are not allowed.` };
    }
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return { ok: false, status: 403, message: 'Cross-site requests are not allowed.' };
    }
    return OK;
  }

  /** Whether the request was sent to the browser UI's name (the only one where the cookie counts). */
  isUiHost(req: IncomingMessage): boolean {
    return req.headers.host?.toLowerCase() === this.uiHost;
  }

  /**
   * Check 3: the request carries the token, in the Authorization header, or in the cookie on a
   * request to the UI's name. A browser never sends that cookie elsewhere; a cookie header on
   * another name was copied by hand or replayed, and is ignored.
   */
  checkToken(req: IncomingMessage): Verdict {
    const presented = bearerToken(req) ?? (this.isUiHost(req) ? this.cookieToken(req) : null);
    if (presented === null) return { ok: false, status: 401, message: 'Missing access token: open the address that Shoebox printed at start.' };
    return this.matches(presented) ? OK : { ok: false, status: 403, message: 'Wrong access token: open the address that Shoebox printed at this start.' };
  }

  /** Whether a presented token is this launch's token (constant time). */
  matches(presented: string): boolean {
    return timingSafeEqual(digest(presented), this.tokenDigest);
  }

  /** The Set-Cookie value that hands the token to the browser UI: host-only (no Domain), so it stays on the UI's name. */
  sessionCookie(): string {
    return `${this.cookieName}=${this.token}; Path=/; HttpOnly; SameSite=Strict`;
  }

  private cookieToken(req: IncomingMessage): string | null {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === this.cookieName) return part.slice(eq + 1).trim();
    }
    return null;
  }
}

function digest(value: string): Buffer {
  // Hashing first gives equal lengths, which timingSafeEqual requires.
  return createHash('sha256').update(value).digest();
}

function bearerToken(req: IncomingMessage): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m ? m[1]! : null;
}
