// Errors of the Hugging Face Hub downloader. Every failure a person may see is a HubError whose
// `kind` says what went wrong (so the UI can offer "set a token" or "retry") and whose message names
// the repository, file or host and what to do; a cancelled download rejects with a
// DownloadCancelledError, named 'AbortError' like the platform's own cancellations.

export type HubErrorKind =
  | 'invalid' // a repository id, revision, endpoint or folder that cannot be right
  | 'auth' // 401/403 from the Hub: gated or private repository, or a refused token
  | 'not-found' // 404: repository, revision or file
  | 'unreachable' // DNS failure, connection refused or reset, dropped mid-body
  | 'rate-limited' // 429
  | 'server' // 5xx
  | 'http' // any other unexpected answer, or too many redirects
  | 'protocol' // an answer that does not follow the Hub's protocol (bad listing, bad Content-Range)
  | 'integrity' // size or checksum mismatch
  | 'unsafe-path' // a listed path that would leave the model folder
  | 'destination' // the install folder exists, or cannot be replaced
  | 'busy'; // another download of the same repository and revision holds the staging folder

export interface HubErrorOptions {
  /** Worth another try after a pause (network errors, 429, 5xx). */
  retryable?: boolean;
  /** How long the server asked us to wait (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class HubError extends Error {
  override readonly name = 'HubError';
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    readonly kind: HubErrorKind,
    options: HubErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export class DownloadCancelledError extends Error {
  override readonly name = 'AbortError';
  constructor(what: string, reason?: unknown) {
    super(`${what} was cancelled`, reason === undefined ? undefined : { cause: reason });
  }
}

/** Throws a DownloadCancelledError when the signal has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new DownloadCancelledError(what, signal.reason);
}
