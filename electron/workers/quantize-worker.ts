// Quantises one ONNX model file for core/models/quantize-job.ts. Decoding, quantising and encoding
// a ViT-B/32 tower is seconds of synchronous CPU work, so it runs here rather than on the thread
// that serves searches and the UI; the job terminates this worker to cancel.
import { parentPort } from 'node:worker_threads';
import type { QuantizerMethods } from '../core/models/quantize-job.js';
import { quantizeDynamicInt8 } from '../core/onnx/quantize.js';
import { serveRpc, type RpcAnswer } from '../core/workers/rpc.js';

const port = parentPort;
if (!port) throw new Error('quantize-worker must run as a worker thread');

serveRpc(
  port,
  {
    async quantize(params): Promise<RpcAnswer> {
      const { source, destination } = params as QuantizerMethods['quantize']['params'];
      const result: QuantizerMethods['quantize']['result'] = await quantizeDynamicInt8(source, destination);
      return { result };
    },
  },
  { name: 'quantize-worker', serial: true },
);
