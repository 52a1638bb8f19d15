// One GET against the Hub or the CDN it redirects to: redirects are followed by hand so that the
// token reaches the Hub's own origin and nothing else (an LFS file is served by another host, and
// a signed CDN URL must not carry our credentials); network failures and error answers become
// HubErrors that say which host, what happened and whether another try may help.
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { request } from 'undici';
import type { HubConnection } from './connection.js';
import { HubError } from './errors.js';

const MAX_REDIRECTS = 5;
const USER_AGENT = 'shoebox-hub-download/1';

export interface HubResponse {
  status: number;
  /**
   * Headers seen along the redirect chain, the earliest answer winning: the Hub's X-Repo-Commit,
   * ETag and X-Linked-Size, even when a relative redirect (a renamed repository) came first.
   */
  first: IncomingHttpHeaders;
  /** Headers of the answer that carries the body. */
  headers: IncomingHttpHeaders;
  /** The URL that answered, after redirects. */
  url: URL;
  body: Readable & { dump(opts?: { limit: number }): Promise<void>; text(): Promise<string> };
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const NETWORK_CODES: Record<string, string> = {
  ENOTFOUND: 'the name does not resolve (offline, or a typing mistake in the host?)',
  EAI_AGAIN: 'the name could not be resolved right now (offline?)',
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable (offline?)',
  ENETDOWN: 'the network is down',
  EPIPE: 'the connection was closed while sending',
  UND_ERR_SOCKET: 'the connection was closed by the other side',
  UND_ERR_CONNECT_TIMEOUT: 'connecting timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer arrived in time',
  UND_ERR_BODY_TIMEOUT: 'the transfer stalled',
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: 'the answer ended before its announced length',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'the answer ended before its announced length',
  ERR_STREAM_PREMATURE_CLOSE: 'the transfer was cut off',
};

function errorCode(err: unknown): string | undefined {
  // Node wraps failed connection attempts (one per address) in an AggregateError, and undici
  // sometimes keeps the system error as the cause.
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code in NETWORK_CODES) return code;
    if (e instanceof AggregateError) {
      const inner = e.errors.map(errorCode).find((c) => c !== undefined);
      if (inner) return inner;
    }
    e = e.cause;
  }
  return undefined;
}

/** A network failure talking to `url` as a retryable HubError naming the host, or undefined if `err` is not one. */
export function networkError(err: unknown, url: URL, conn: HubConnection): HubError | undefined {
  const code = errorCode(err);
  if (code === undefined) return undefined;
  const via = conn.proxied ? ' (through the proxy set in HTTPS_PROXY/HTTP_PROXY)' : '';
  return new HubError(`could not reach ${url.host}${via}: ${NETWORK_CODES[code]} (${code})`, 'unreachable', { retryable: true, cause: err });
}

/** GET `url`, following up to five redirects; the token goes only to the Hub's origin. */
export async function hubGet(conn: HubConnection, start: URL, extra: Record<string, string>, signal: AbortSignal | undefined): Promise<HubResponse> {
  let url = start;
  let first: IncomingHttpHeaders | undefined;
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, 'accept-encoding': 'identity', ...extra };
    if (conn.token !== undefined && url.origin === conn.origin) headers['authorization'] = `Bearer ${conn.token}`;
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, { method: 'GET', headers, signal, dispatcher: conn.dispatcher });
    } catch (err) {
      throw networkError(err, url, conn) ?? err;
    }
    first = { ...res.headers, ...first };
    const location = header(res.headers, 'location');
    if (res.statusCode >= 300 && res.statusCode < 400 && location !== undefined) {
      await res.body.dump().catch(() => undefined);
      if (hop >= MAX_REDIRECTS) throw new HubError(`${start.href} redirected more than ${MAX_REDIRECTS} times (last to ${location})`, 'http');
      let next: URL;
      try {
        next = new URL(location, url); // a relative Location resolves against the URL that sent it
      } catch {
        throw new HubError(`${url.host} redirected to "${location}", which is not a URL`, 'protocol');
      }
      if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new HubError(`${url.host} redirected to ${next.protocol} URL ${next.href}`, 'protocol');
      if (url.protocol === 'https:' && next.protocol === 'http:') throw new HubError(`${url.host} redirected from https to plain http (${next.host}); refusing`, 'protocol');
      url = next;
      continue;
    }
    return { status: res.statusCode, first, headers: res.headers, url, body: res.body };
  }
}

/** What a request was for, to name it in errors. */
export interface RequestSubject {
  repo: string;
  revision: string;
  /** The file, for resolve requests; absent for the listing. */
  file?: string;
}

/** The HubError for an answer that is not a success; consumes the body. */
export async function statusError(conn: HubConnection, res: HubResponse, subject: RequestSubject): Promise<HubError> {
  await res.body.dump().catch(() => undefined);
  const { status } = res;
  const host = res.url.host;
  const fromHub = res.url.origin === conn.origin;
  const code = header(res.headers, 'x-error-code');
  const serverSays = header(res.headers, 'x-error-message');
  const detail = serverSays ? ` (${host}: "${serverSays.slice(0, 200)}")` : '';
  const { repo, revision, file } = subject;

  if ((status === 401 || status === 403) && fromHub) {
    const tokenHint = conn.token
      ? 'the token in HF_TOKEN was refused: set HF_TOKEN to a Hugging Face access token that has accepted its licence'
      : 'set HF_TOKEN to a Hugging Face access token that has accepted its licence';
    if (code === 'RepoNotFound') {
      return new HubError(`repository ${repo} was not found at ${conn.endpoint}, or it is private or gated: ${tokenHint}${detail}`, 'auth');
    }
    return new HubError(`repository ${repo} is gated or private (${status} from ${host}): ${tokenHint} (${conn.endpoint}/${repo})${detail}`, 'auth');
  }
  if (status === 404) {
    if (code === 'RepoNotFound') return new HubError(`repository ${repo} was not found at ${conn.endpoint}${detail}`, 'not-found');
    if (code === 'RevisionNotFound') return new HubError(`revision "${revision}" was not found in repository ${repo}${detail}`, 'not-found');
    if (file !== undefined) return new HubError(`file ${file} was not found in repository ${repo} at revision "${revision}" (404 from ${host})${detail}`, 'not-found');
    return new HubError(`repository ${repo} or its revision "${revision}" was not found at ${conn.endpoint} (404)${detail}`, 'not-found');
  }
  const what = file !== undefined ? `${file} of ${repo}` : `the file list of ${repo}`;
  const retryAfterMs = parseRetryAfter(header(res.headers, 'retry-after'));
  if (status === 429) return new HubError(`${host} is rate-limiting requests for ${what} (429)${detail}`, 'rate-limited', { retryable: true, retryAfterMs });
  if (status >= 500) return new HubError(`${host} answered ${status} for ${what}${detail}`, 'server', { retryable: true, retryAfterMs });
  // A signed CDN link can expire; a new try starts again from the Hub and gets a fresh one.
  if ((status === 401 || status === 403) && !fromHub) return new HubError(`${host} refused the download link for ${what} (${status})${detail}`, 'http', { retryable: true });
  return new HubError(`${host} answered ${status} for ${what}, where the Hub protocol expects a file${detail}`, 'http');
}
