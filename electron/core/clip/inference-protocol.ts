// Messages between the inference client (main side) and electron/workers/inference-worker.ts.
// Float32Array buffers travel as transferables in both directions, so pixels and embeddings are
// moved between threads, not copied.
import type { ClipModelInfo, ClipModelOptions } from './clip-model.js';

export interface InferenceWorkerData extends ClipModelOptions {
  modelDir: string;
}

export type InferenceRequest =
  | { id: number; op: 'encodeImages'; images: Float32Array[] }
  | { id: number; op: 'encodeTexts'; texts: string[] }
  | { id: number; op: 'close' };

export type InferenceReply =
  | { kind: 'ready'; info: ClipModelInfo }
  | { kind: 'startFailed'; error: string }
  | { kind: 'result'; id: number; embeddings: Float32Array[] }
  | { kind: 'error'; id: number; error: string };

/** Distinct transferable buffers behind some typed arrays (shared memory cannot be transferred). */
export function transferList(arrays: readonly ArrayBufferView[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer) seen.add(a.buffer);
  return [...seen];
}
