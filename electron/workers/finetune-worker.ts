// Worker-thread entry for the fine-tuning job: runs the training engine (core/finetune/engine.ts)
// off the core's thread, reporting each epoch. Cancelling the job terminates this thread; nothing
// it computes is stored until the job writes the finished version (core/finetune/finetune-job.ts).
import { parentPort, type MessagePort } from 'node:worker_threads';
import { runEngine } from '../core/finetune/engine.js';
import { EPOCH_EVENT, type TrainRequest } from '../core/finetune/finetune-protocol.js';
import { sendEvent, serveRpc } from '../core/workers/rpc.js';

function requirePort(): MessagePort {
  if (!parentPort) throw new Error('finetune-worker must be started as a worker thread (see core/finetune/finetune-job.ts)');
  return parentPort;
}
const port = requirePort();

function isRequest(v: unknown): v is TrainRequest {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<TrainRequest>;
  return typeof r.input === 'object' && r.input !== null && r.input.images instanceof Float32Array && r.input.texts instanceof Float32Array && typeof r.options === 'object';
}

serveRpc(
  port,
  {
    async train(params) {
      if (!isRequest(params)) throw new Error('train takes { input, options } with Float32Array embeddings');
      const result = runEngine(params.input, params.options, (e) => sendEvent(port, EPOCH_EVENT, e));
      return { result, transfer: [result.weights.buffer as ArrayBuffer] };
    },
  },
  { serial: true, name: 'finetune-worker' },
);
