// Pauses between tries: exponential backoff from a configurable base (tests use a few ms), the
// server's Retry-After when it gives one, both capped; a limited number of tries, counted again
// from zero whenever a transfer made progress (a flaky link that keeps moving is not a failure).
import { setTimeout as sleep } from 'node:timers/promises';
import type { HubConnection } from './connection.js';
import { DownloadCancelledError, HubError } from './errors.js';

export class Retrier {
  private failures = 0;

  constructor(
    private readonly conn: HubConnection,
    private readonly signal: AbortSignal | undefined,
    /** Names the work in a cancellation error. */
    private readonly what: string,
  ) {}

  /** Forget earlier failures (the transfer made progress). */
  reset(): void {
    this.failures = 0;
  }

  /**
   * Called with the error of a failed try: rethrows it when it is final (not retryable, or the
   * tries are used up), a cancellation when the signal fired, and otherwise waits before the next try.
   */
  async pause(err: unknown): Promise<void> {
    if (this.signal?.aborted) throw new DownloadCancelledError(this.what, this.signal.reason);
    if (!(err instanceof HubError) || !err.retryable) throw err;
    this.failures++;
    const { attempts, baseDelayMs, maxDelayMs } = this.conn.retry;
    if (this.failures >= attempts) {
      throw new HubError(`${err.message}; gave up after ${attempts} tries`, err.kind, { cause: err });
    }
    const backoff = baseDelayMs * 2 ** (this.failures - 1);
    const delayMs = Math.min(maxDelayMs, err.retryAfterMs ?? backoff);
    this.conn.onRetry?.({ attempt: this.failures + 1, delayMs, reason: err.message });
    try {
      await sleep(delayMs, undefined, { signal: this.signal });
    } catch {
      throw new DownloadCancelledError(this.what, this.signal?.reason);
    }
  }
}
