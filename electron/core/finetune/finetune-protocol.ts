// Messages between the fine-tuning job (finetune-job.ts) and its worker thread
// (electron/workers/finetune-worker.ts), over core/workers/rpc.ts: one 'train' call that runs the
// whole engine (train, evaluate, decide) and 'epoch' events as it goes.
import type { EngineInput, EngineOptions, EngineResult } from './engine.js';

export const EPOCH_EVENT = 'epoch';

export interface TrainRequest {
  input: EngineInput;
  options: EngineOptions;
}

export type TrainReply = EngineResult;

export type FinetuneWorkerMethods = {
  train: { params: TrainRequest; result: TrainReply };
};

export function trainTransferList(input: EngineInput): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const a of [input.images, input.texts, input.library, input.prompts]) {
    if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) buffers.add(a.buffer);
  }
  return [...buffers];
}
