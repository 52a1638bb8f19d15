// Main-side handle on the inference worker: starts electron/workers/inference-worker (from the .ts
// sources under tsx, or the compiled .js in dist/), forwards encode calls, and turns worker errors
// and crashes into rejected promises.
import type { ClipModelInfo, ClipModelOptions } from './clip-model.js';
import { transferList, type InferenceReply, type InferenceRequest, type InferenceWorkerData } from './inference-protocol.js';
import { disableOrtTelemetry } from './ort.js';
import { startWorker, workerEntry } from '../workers/start-worker.js';

export interface InferenceClientOptions extends ClipModelOptions {
  modelDir: string;
  /** Another worker entry (a packaged app's unpacked copy, or a test wrapper); default: ours. */
  workerUrl?: URL;
}

export interface InferenceClient {
  /**
   * Embeds CHW float32 images. Their buffers are MOVED to the worker (transferred, not copied): the
   * arrays are empty afterwards, so pass copies of any you still need.
   */
  encodeImages(batch: Float32Array[]): Promise<Float32Array[]>;
  encodeTexts(texts: string[]): Promise<Float32Array[]>;
  info(): ClipModelInfo;
  /** False once the worker crashed, exited or was closed: the owner should start a new client. */
  alive(): boolean;
  close(): Promise<void>;
}

interface Pending {
  resolve(embeddings: Float32Array[]): void;
  reject(err: Error): void;
}

export async function createInferenceClient(options: InferenceClientOptions): Promise<InferenceClient> {
  const { workerUrl = workerEntry('inference-worker', import.meta.url), ...rest } = options;
  // Must happen here, on the main thread: a worker cannot change the real environment (see ort.ts).
  disableOrtTelemetry();
  const data: InferenceWorkerData = rest;
  const worker = startWorker(workerUrl, data);

  const pending = new Map<number, Pending>();
  let nextId = 1;
  let stopped: string | undefined; // why no more calls are accepted
  let closing = false;
  let closed: Promise<void> | undefined;
  let started: { resolve(info: ClipModelInfo): void; reject(err: Error): void } | undefined;

  const failAll = (reason: string): void => {
    stopped ??= reason;
    const err = new Error(reason);
    started?.reject(err);
    started = undefined;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  worker.on('message', (reply: InferenceReply) => {
    switch (reply.kind) {
      case 'ready':
        started?.resolve(reply.info);
        started = undefined;
        worker.unref(); // an idle client never keeps the process alive
        return;
      case 'startFailed':
        failAll(`Cannot start the inference worker for ${options.modelDir}: ${reply.error}`);
        void worker.terminate();
        return;
      case 'result':
      case 'error': {
        const p = pending.get(reply.id);
        if (!p) return;
        pending.delete(reply.id);
        if (pending.size === 0) worker.unref();
        if (reply.kind === 'result') p.resolve(reply.embeddings);
        else p.reject(new Error(reply.error));
      }
    }
  });
  worker.on('error', (err) => failAll(`The inference worker crashed: ${err.message}`));
  worker.on('exit', (code) => failAll(closing ? 'The inference client is closed' : `The inference worker exited unexpectedly (code ${code})`));

  const info = await new Promise<ClipModelInfo>((resolve, reject) => {
    started = { resolve, reject };
  });

  const call = (req: InferenceRequest, transfer: ArrayBuffer[]): Promise<Float32Array[]> => {
    if (stopped !== undefined) return Promise.reject(new Error(stopped));
    if (closing && req.op !== 'close') return Promise.reject(new Error('The inference client is closed'));
    return new Promise((resolve, reject) => {
      pending.set(req.id, { resolve, reject });
      worker.ref();
      try {
        worker.postMessage(req, transfer);
      } catch {
        // Some buffers cannot be moved (e.g. Node's shared Buffer pool): send a copy instead.
        worker.postMessage(req);
      }
    });
  };

  return {
    encodeImages: (batch) => call({ id: nextId++, op: 'encodeImages', images: batch }, transferList(batch)),
    encodeTexts: (texts) => call({ id: nextId++, op: 'encodeTexts', texts: [...texts] }, []),
    info: () => ({ ...info }),
    alive: () => stopped === undefined && !closing,
    close: () => {
      closed ??= (async () => {
        if (stopped !== undefined) return; // already gone (crashed or failed)
        closing = true;
        try {
          await call({ id: nextId++, op: 'close' }, []);
        } finally {
          await worker.terminate();
        }
      })();
      return closed;
    },
  };
}
