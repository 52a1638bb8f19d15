// What Electron's main process and the core host (the utility process that runs the Shoebox
// core, electron/workers/core-host.ts) say to each other, over the one worker RPC
// (core/workers/rpc.ts): three methods and three events. Structured-clone data only; each side
// checks what it receives with the guards below before trusting its shape.
import type { ApiReply } from './bridge-contract.js';
import type { MediaFile, MediaKind } from './media.js';
import type { JobEvent } from './job-events.js';

/** main → host: method name → parameters and result. */
export type CoreHostMethods = {
  api: { params: { name: string; input: unknown }; result: ApiReply };
  media: { params: { kind: MediaKind; photoId: number }; result: MediaFile | null };
  /** Stop jobs, close the store; the host exits after replying. */
  close: { params: null; result: null };
};

/** host → main, unasked. */
export const HOST_EVENTS = {
  /** The core is open and serving. */
  ready: 'ready',
  /** The core could not open (bad data folder, native module built for another runtime …); data: the reason. */
  startupFailed: 'startup-failed',
  /** data: one JobEvent. */
  jobEvent: 'job-event',
} as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

export function isApiParams(value: unknown): value is CoreHostMethods['api']['params'] {
  return isRecord(value) && typeof value['name'] === 'string';
}

export function isMediaParams(value: unknown): value is CoreHostMethods['media']['params'] {
  return isRecord(value) && (value['kind'] === 'thumb' || value['kind'] === 'photo') && isId(value['photoId']);
}

export function isApiReply(value: unknown): value is ApiReply {
  if (!isRecord(value)) return false;
  if (value['ok'] === true) return 'result' in value;
  const error = value['error'];
  return value['ok'] === false && isRecord(error) && typeof error['code'] === 'string' && typeof error['message'] === 'string';
}

export function isMediaFile(value: unknown): value is MediaFile {
  return isRecord(value) && typeof value['file'] === 'string' && typeof value['mime'] === 'string';
}

export function isJobEvent(value: unknown): value is JobEvent {
  return isRecord(value) && isId(value['jobId']) && typeof value['kind'] === 'string' && typeof value['state'] === 'string';
}
