// The inference worker's methods and events (electron/workers/inference-worker.ts, spoken
// through core/workers/rpc.ts). Float32Array buffers travel as transferables in both
// directions, so pixels and embeddings are moved between threads, not copied.
import type { ClipModelInfo, ClipModelOptions } from './clip-model.js';

export interface InferenceWorkerData extends ClipModelOptions {
  modelDir: string;
}

export type InferenceMethods = {
  encodeImages: { params: Float32Array[]; result: Float32Array[] };
  encodeTexts: { params: string[]; result: Float32Array[] };
  close: { params: null; result: null };
};

/** Events the worker sends on its own: exactly one of them, once its sessions are open or have failed. */
export const READY_EVENT = 'ready'; // data: ReadyData
export const START_FAILED_EVENT = 'startFailed'; // data: the reason (string)
/** The model's description, and the seconds its sessions took to open (the image tower's load). */
export type ReadyData = { info: ClipModelInfo; openSeconds: number };

/** Distinct transferable buffers behind some typed arrays (shared memory cannot be transferred). */
export function transferList(arrays: readonly ArrayBufferView[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer) seen.add(a.buffer);
  return [...seen];
}
