// Messages between imaging/heic.ts and its worker thread (electron/workers/heic-worker.ts): the
// file's bytes in, RGBA pixels (moved, not copied) or the decoder's error out.

export interface HeicRequest {
  id: number;
  bytes: Uint8Array;
}

export type HeicReply =
  | { id: number; width: number; height: number; data: Uint8Array }
  | { id: number; error: string };
