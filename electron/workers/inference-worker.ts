// Worker-thread entry hosting a CLIP model's ONNX sessions, so inference (which blocks the thread it
// runs on for the whole run) never stalls the process that serves requests and the UI.
// Started by electron/core/clip/inference-client.ts; speaks inference-protocol.ts.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openClipModel, type ClipModel } from '../core/clip/clip-model.js';
import { transferList, type InferenceReply, type InferenceRequest, type InferenceWorkerData } from '../core/clip/inference-protocol.js';

function requirePort(): MessagePort {
  if (!parentPort) throw new Error('inference-worker must be started as a worker thread (see inference-client.ts)');
  return parentPort;
}
const port = requirePort();

function send(reply: InferenceReply): void {
  port.postMessage(reply, reply.kind === 'result' ? transferList(reply.embeddings) : []);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isWorkerData(value: unknown): value is InferenceWorkerData {
  return typeof value === 'object' && value !== null && typeof (value as { modelDir?: unknown }).modelDir === 'string';
}

async function handle(model: ClipModel, req: InferenceRequest): Promise<Float32Array[]> {
  switch (req.op) {
    case 'encodeImages':
      if (!Array.isArray(req.images) || !req.images.every((a) => a instanceof Float32Array)) {
        throw new Error('encodeImages takes an array of Float32Array');
      }
      return model.image.encode(req.images);
    case 'encodeTexts':
      if (!Array.isArray(req.texts) || !req.texts.every((t) => typeof t === 'string')) {
        throw new Error('encodeTexts takes an array of strings');
      }
      return model.text.encode(req.texts);
    case 'close':
      await model.close();
      return [];
  }
}

async function main(): Promise<void> {
  if (!isWorkerData(workerData)) {
    send({ kind: 'startFailed', error: 'inference-worker started without a modelDir' });
    return;
  }
  const { modelDir, ...options } = workerData;
  let model: ClipModel;
  try {
    model = await openClipModel(modelDir, options);
  } catch (err) {
    send({ kind: 'startFailed', error: message(err) });
    return;
  }
  const serve = async (req: InferenceRequest): Promise<void> => {
    try {
      send({ kind: 'result', id: req.id, embeddings: await handle(model, req) });
      if (req.op === 'close') port.close();
    } catch (err) {
      send({ kind: 'error', id: req.id, error: message(err) });
    }
  };
  // One request at a time, in arrival order: runs block the thread anyway, and a 'close' must not
  // release the sessions under a run that is still waiting for its turn.
  // serve() answers its own errors, but send() itself can throw (a reply that cannot be posted):
  // the chain must survive that, or every later request would wait forever.
  let queue = Promise.resolve();
  port.on('message', (req: InferenceRequest) => {
    queue = queue
      .then(() => serve(req))
      .catch((err: unknown) => console.error(`[inference-worker] request ${String(req.id)} (${String(req.op)}) could not be answered:`, err));
  });
  send({ kind: 'ready', info: model.info() });
}

void main();
