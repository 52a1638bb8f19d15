// The HEIC decoder worker's methods (electron/workers/heic-worker.ts, spoken through
// core/workers/rpc.ts): the file's bytes in, RGBA pixels (moved, not copied) out.

export type HeicMethods = {
  decode: { params: { bytes: Uint8Array }; result: { width: number; height: number; data: Uint8Array } };
};
