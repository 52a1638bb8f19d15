// Messages between Electron's main process and the core host (the utility process that runs the
// Shoebox core, electron/workers/core-host.ts). Structured-clone data only; each side checks
// what it receives with the guards below before trusting its shape.
import type { ApiReply } from './bridge-contract.js';
import type { MediaFile, MediaKind } from './media.js';
import type { JobEvent } from './job-events.js';

/** main → host */
export type HostRequest =
  | { type: 'api'; id: number; name: string; input: unknown }
  | { type: 'media'; id: number; kind: MediaKind; photoId: number }
  /** Stop jobs, close the store; the host exits after replying. */
  | { type: 'close'; id: number };

/** host → main */
export type HostMessage =
  | { type: 'ready' }
  /** The core could not open (bad data folder, native module built for another runtime …). */
  | { type: 'startup-failed'; message: string }
  | { type: 'api-reply'; id: number; reply: ApiReply }
  | { type: 'media-reply'; id: number; media: MediaFile | null }
  | { type: 'closed'; id: number }
  | { type: 'job-event'; event: JobEvent };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

export function isHostRequest(value: unknown): value is HostRequest {
  if (!isRecord(value) || !isId(value['id'])) return false;
  switch (value['type']) {
    case 'api':
      return typeof value['name'] === 'string';
    case 'media':
      return (value['kind'] === 'thumb' || value['kind'] === 'photo') && isId(value['photoId']);
    case 'close':
      return true;
    default:
      return false;
  }
}

function isApiReply(value: unknown): value is ApiReply {
  if (!isRecord(value)) return false;
  if (value['ok'] === true) return 'result' in value;
  const error = value['error'];
  return value['ok'] === false && isRecord(error) && typeof error['code'] === 'string' && typeof error['message'] === 'string';
}

function isMediaFile(value: unknown): value is MediaFile {
  return isRecord(value) && typeof value['file'] === 'string' && typeof value['mime'] === 'string';
}

export function isHostMessage(value: unknown): value is HostMessage {
  if (!isRecord(value)) return false;
  switch (value['type']) {
    case 'ready':
      return true;
    case 'startup-failed':
      return typeof value['message'] === 'string';
    case 'api-reply':
      return isId(value['id']) && isApiReply(value['reply']);
    case 'media-reply':
      return isId(value['id']) && (value['media'] === null || isMediaFile(value['media']));
    case 'closed':
      return isId(value['id']);
    case 'job-event':
      return isRecord(value['event']) && isId(value['event']['jobId']);
    default:
      return false;
  }
}
