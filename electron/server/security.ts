// Who may talk to the browser-mode server. It listens on loopback only, yet any web page the
// person visits can send requests to 127.0.0.1, so every request must pass three checks:
//  1. Host is 127.0.0.1:PORT or localhost:PORT: a DNS-rebinding page (evil.example resolving to
//     127.0.0.1) sends its own name as Host and is refused.
//  2. Origin, when the browser sends one, is this server's own origin, and Sec-Fetch-Site, when
//     sent, is same-origin or none: other sites (other localhost ports included) are refused.
//  3. The per-launch secret: `Authorization: Bearer <token>` (scripts, tests) or the HttpOnly,
//     SameSite=Strict cookie that the index page sets when opened with ?token=… (the browser UI,
//     whose <img> and WebSocket requests cannot carry headers). HttpOnly keeps the token out of
//     reach of page scripts; SameSite=Strict keeps other sites' requests from carrying it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

const OK: Verdict = { ok: true };

/** 32 random bytes, URL-safe. A new one each launch, so an old link stops working. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

export class AccessPolicy {
  readonly cookieName: string;
  private readonly hosts: Set<string>;
  private readonly origins: Set<string>;
  private readonly tokenDigest: Buffer;

  constructor(
    readonly token: string,
    readonly port: number,
    boundHost: string,
  ) {
    // Cookies are shared by all ports of a host name, so the port is part of the name: two
    // Shoebox servers on one machine do not overwrite each other's cookie.
    this.cookieName = `shoebox_${port}`;
    const names = new Set(['127.0.0.1', 'localhost', boundHost.includes(':') ? `[${boundHost}]` : boundHost]);
    names.delete('0.0.0.0');
    names.delete('[::]');
    this.hosts = new Set([...names].map((n) => `${n}:${port}`));
    this.origins = new Set([...this.hosts].map((h) => `http://${h}`));
    this.tokenDigest = digest(token);
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

  /** Check 3: the request carries the token, in the Authorization header or the cookie. */
  checkToken(req: IncomingMessage): Verdict {
    const presented = bearerToken(req) ?? this.cookieToken(req);
    if (presented === null) return { ok: false, status: 401, message: 'Missing access token: open the address that Shoebox printed at start.' };
    return this.matches(presented) ? OK : { ok: false, status: 403, message: 'Wrong access token: open the address that Shoebox printed at this start.' };
  }

  /** Whether a presented token is this launch's token (constant time). */
  matches(presented: string): boolean {
    return timingSafeEqual(digest(presented), this.tokenDigest);
  }

  /** The Set-Cookie value that hands the token to the browser UI. */
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
