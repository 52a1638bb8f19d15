// How the downloader talks to a Hub: the endpoint (HF_ENDPOINT, for mirrors), the token (HF_TOKEN),
// the proxy (HTTPS_PROXY / HTTP_PROXY / NO_PROXY through undici's EnvHttpProxyAgent) and the retry
// policy. Options win over the environment, and the environment is itself an option, so tests never
// depend on the machine's variables.
import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { HubError } from './errors.js';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

export interface RetryOptions {
  /** Tries per request, the first included (default 5). */
  attempts?: number;
  /** First pause; each later one doubles (default 1000 ms). */
  baseDelayMs?: number;
  /** Longest pause, Retry-After included (default 30 s). */
  maxDelayMs?: number;
}

/** Told before each pause, e.g. for a "retrying in 4 s" line. */
export interface RetryNotice {
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface HubConnectionOptions {
  /** Hub or mirror base URL; default HF_ENDPOINT, else https://huggingface.co. */
  endpoint?: string;
  /** Access token for gated or private repositories; default HF_TOKEN. */
  token?: string;
  /** Where HF_ENDPOINT, HF_TOKEN and the proxy variables are read; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  retry?: RetryOptions;
  onRetry?: (notice: RetryNotice) => void;
}

export interface HubConnection {
  /** Base URL without a trailing slash (may carry a path, for mirrors served under one). */
  endpoint: string;
  /** The only origin the token is ever sent to. */
  origin: string;
  token: string | undefined;
  /** Whether requests may go through a proxy (named in "could not reach" messages). */
  proxied: boolean;
  dispatcher: Dispatcher;
  retry: Required<RetryOptions>;
  onRetry: ((notice: RetryNotice) => void) | undefined;
  close(): Promise<void>;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function positive(value: number | undefined, fallback: number, name: string, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min) throw new HubError(`retry.${name} must be a number ≥ ${min}, got ${value}`, 'invalid');
  return value;
}

export function openHubConnection(options: HubConnectionOptions = {}): HubConnection {
  const env = options.env ?? process.env;
  const raw = nonEmpty(options.endpoint) ?? nonEmpty(env['HF_ENDPOINT']) ?? DEFAULT_ENDPOINT;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HubError(`Hub endpoint "${raw}" (HF_ENDPOINT or the endpoint option) is not a URL`, 'invalid');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new HubError(`Hub endpoint ${raw} must be an http or https URL`, 'invalid');
  }
  const token = nonEmpty(options.token) ?? nonEmpty(env['HF_TOKEN']) ?? nonEmpty(env['HUGGING_FACE_HUB_TOKEN']);
  // A line break in a header value would let a token smuggle in other headers.
  if (token !== undefined && /[\r\n]/.test(token)) throw new HubError('HF_TOKEN contains a line break; paste the token alone', 'invalid');

  // Lower case first, as curl and undici do; '' means "no proxy" and stops EnvHttpProxyAgent
  // from reading process.env behind our back.
  const httpProxy = nonEmpty(env['http_proxy']) ?? nonEmpty(env['HTTP_PROXY']) ?? '';
  const httpsProxy = nonEmpty(env['https_proxy']) ?? nonEmpty(env['HTTPS_PROXY']) ?? httpProxy;
  const noProxy = nonEmpty(env['no_proxy']) ?? nonEmpty(env['NO_PROXY']) ?? '';
  // A stalled transfer fails after a minute and is retried, instead of hanging for undici's 5.
  const dispatcher = new EnvHttpProxyAgent({ httpProxy, httpsProxy, noProxy, headersTimeout: 60_000, bodyTimeout: 60_000 });

  const retry = options.retry ?? {};
  return {
    endpoint: url.href.replace(/\/+$/, ''),
    origin: url.origin,
    token,
    proxied: httpProxy !== '' || httpsProxy !== '',
    dispatcher,
    retry: {
      attempts: Math.floor(positive(retry.attempts, 5, 'attempts', 1)),
      baseDelayMs: positive(retry.baseDelayMs, 1000, 'baseDelayMs', 0),
      maxDelayMs: positive(retry.maxDelayMs, 30_000, 'maxDelayMs', 0),
    },
    onRetry: options.onRetry,
    close: async () => {
      // destroy, not close: a cancelled transfer must not keep a socket (and the process) alive.
      await dispatcher.destroy().catch(() => undefined);
    },
  };
}
