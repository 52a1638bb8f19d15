// The renderer's only way to Shoebox: an API client with one method per concern. Two
// implementations: http-client.ts (browser mode) and ipc-client.ts (Electron); pick-client.ts
// chooses at start-up. Types come from the core's API table, so the UI cannot drift from it.
import type { ApiInput, ApiName, ApiOutput } from '../../../../electron/common/api-types.js';
import type { WireErrorCode } from '../../../../electron/common/api-envelope.js';
import type { JobEvent } from '../../../../electron/common/job-events.js';
import type { MediaKind } from '../../../../electron/common/media.js';

export type { ApiInput, ApiName, ApiOutput, JobEvent, MediaKind, WireErrorCode };

export interface CallOptions {
  /** Aborting rejects the call with an AbortError at once; the answer, if it comes, is dropped. */
  signal?: AbortSignal;
}

export interface ShoeboxClient {
  call<N extends ApiName>(name: N, input: ApiInput<N>, options?: CallOptions): Promise<ApiOutput<N>>;
  /** Job progress (indexing …); returns the unsubscribe function. */
  onJobEvent(listener: (event: JobEvent) => void): () => void;
  /** The URL of a photo's thumbnail or original, for <img src>. */
  mediaUrl(kind: MediaKind, photoId: number): string;
  /** A native folder picker (Electron only); null when the person cancelled. */
  pickFolder?: () => Promise<string | null>;
  /** Opens the system file manager on a photo's file (Electron only); a ClientError says why not. */
  showInFolder?: (photoId: number) => Promise<void>;
}

/** A failed call: the API's error kind and its person-readable message. */
export class ClientError extends Error {
  constructor(
    readonly code: WireErrorCode | 'network',
    message: string,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

export function abortError(): DOMException {
  return new DOMException('The request was cancelled.', 'AbortError');
}
