// Worker-thread entry hosting a CLIP model's ONNX sessions, so inference (which blocks the thread it
// runs on for the whole run) never stalls the process that serves requests and the UI.
// Started by electron/core/clip/inference-client.ts; speaks core/workers/rpc.ts with the
// methods of inference-protocol.ts.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openClipModel, type ClipModel } from '../core/clip/clip-model.js';
import { READY_EVENT, START_FAILED_EVENT, transferList, type InferenceWorkerData, type ReadyData } from '../core/clip/inference-protocol.js';
import { sendEvent, serveRpc, type RpcAnswer } from '../core/workers/rpc.js';
import { errorMessage } from '../common/error-message.js';

function requirePort(): MessagePort {
  if (!parentPort) throw new Error('inference-worker must be started as a worker thread (see inference-client.ts)');
  return parentPort;
}
const port = requirePort();

function isWorkerData(value: unknown): value is InferenceWorkerData {
  return typeof value === 'object' && value !== null && typeof (value as { modelDir?: unknown }).modelDir === 'string';
}

function embeddings(result: Float32Array[]): RpcAnswer {
  return { result, transfer: transferList(result) };
}

async function main(): Promise<void> {
  if (!isWorkerData(workerData)) {
    sendEvent(port, START_FAILED_EVENT, 'inference-worker started without a modelDir');
    return;
  }
  const { modelDir, ...options } = workerData;
  let model: ClipModel;
  const opening = performance.now();
  try {
    model = await openClipModel(modelDir, options);
  } catch (err) {
    sendEvent(port, START_FAILED_EVENT, errorMessage(err));
    return;
  }
  // Serial: runs block the thread anyway, and a 'close' must not release the sessions under a
  // run that is still waiting for its turn.
  serveRpc(
    port,
    {
      async encodeImages(images) {
        if (!Array.isArray(images) || !images.every((a) => a instanceof Float32Array)) throw new Error('encodeImages takes an array of Float32Array');
        return embeddings(await model.image.encode(images));
      },
      async encodeTexts(texts) {
        if (!Array.isArray(texts) || !texts.every((t) => typeof t === 'string')) throw new Error('encodeTexts takes an array of strings');
        return embeddings(await (await model.text()).encode(texts));
      },
      async close() {
        await model.close();
        setImmediate(() => port.close()); // after the answer is posted
        return { result: null };
      },
    },
    { serial: true, name: 'inference-worker' },
  );
  const ready: ReadyData = { info: model.info(), openSeconds: (performance.now() - opening) / 1000 };
  sendEvent(port, READY_EVENT, ready);
}

void main();
