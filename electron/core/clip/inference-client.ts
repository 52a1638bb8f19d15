// Main-side handle on the inference worker: starts electron/workers/inference-worker (from the .ts
// sources under tsx, or the compiled .js in dist/), forwards encode calls through the worker RPC
// (core/workers/rpc.ts), and turns worker errors and crashes into rejected promises.
import type { ClipModelInfo, ClipModelOptions } from './clip-model.js';
import { READY_EVENT, START_FAILED_EVENT, transferList, type InferenceMethods, type InferenceWorkerData, type ReadyData } from './inference-protocol.js';
import { disableOrtTelemetry } from './ort.js';
import { RpcClient } from '../workers/rpc.js';
import { startWorker, workerEntry } from '../workers/start-worker.js';

export interface InferenceClientOptions extends ClipModelOptions {
  modelDir: string;
  /** Another worker entry (a packaged app's unpacked copy, or a test wrapper); default: ours. */
  workerUrl?: URL;
  /** Stops a start still loading the model: the worker is terminated at once and the start rejects. */
  signal?: AbortSignal;
}

export interface InferenceClient {
  /**
   * Embeds CHW float32 images. Their buffers are MOVED to the worker (transferred, not copied): the
   * arrays are empty afterwards, so pass copies of any you still need.
   */
  encodeImages(batch: Float32Array[]): Promise<Float32Array[]>;
  encodeTexts(texts: string[]): Promise<Float32Array[]>;
  info(): ClipModelInfo;
  /** Seconds the worker took to open the model's sessions: loading the image tower (the text tower loads on first use). */
  towerLoadSeconds(): number;
  /** False once the worker crashed, exited or was closed: the owner should start a new client. */
  alive(): boolean;
  close(): Promise<void>;
}

const CLOSED = 'The inference client is closed';

export async function createInferenceClient(options: InferenceClientOptions): Promise<InferenceClient> {
  const { workerUrl = workerEntry('inference-worker', import.meta.url), signal, ...rest } = options;
  // Must happen here, on the main thread: a worker cannot change the real environment (see ort.ts).
  disableOrtTelemetry();
  const data: InferenceWorkerData = rest;
  const worker = startWorker(workerUrl, data);
  let closing = false;
  let closed: Promise<void> | undefined;

  let started!: { resolve(data: ReadyData): void; reject(err: Error): void };
  const ready = new Promise<ReadyData>((resolve, reject) => (started = { resolve, reject }));
  const rpc = new RpcClient<InferenceMethods>(worker, (event, payload) => {
    if (event === READY_EVENT) {
      started.resolve(payload as ReadyData);
      worker.unref(); // an idle client never keeps the process alive
    }
    else if (event === START_FAILED_EVENT) {
      const reason = `Cannot start the inference worker for ${options.modelDir}: ${String(payload)}`;
      rpc.fail(reason);
      started.reject(new Error(reason));
      void worker.terminate();
    }
  });
  const gone = (reason: string): void => {
    rpc.fail(reason);
    started.reject(new Error(rpc.failed ?? reason));
  };
  worker.on('message', (m: unknown) => rpc.receive(m));
  worker.on('error', (err) => gone(`The inference worker crashed: ${err.message}`));
  worker.on('exit', (code) => gone(closing ? CLOSED : `The inference worker exited unexpectedly (code ${code})`));

  const cancel = (): void => {
    closing = true;
    gone('The inference worker was stopped before its model had loaded');
    // Unref'd so the worker alone never keeps the event loop alive; a session being created is a
    // native call that runs to its end, and the process's exit still waits for it (measured ~1 s, ViT-B/32).
    worker.unref();
    void worker.terminate();
  };
  signal?.addEventListener('abort', cancel, { once: true });
  if (signal?.aborted) cancel();
  let readyData: ReadyData;
  try {
    readyData = await ready;
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
  const { info, openSeconds } = readyData;
  const open = (): Promise<never> | null => (closing ? Promise.reject(new Error(CLOSED)) : null);

  return {
    encodeImages: (batch) => open() ?? rpc.call('encodeImages', batch, transferList(batch)),
    encodeTexts: (texts) => open() ?? rpc.call('encodeTexts', [...texts]),
    info: () => ({ ...info }),
    towerLoadSeconds: () => openSeconds,
    alive: () => rpc.failed === undefined && !closing,
    close: () => {
      closed ??= (async () => {
        if (rpc.failed !== undefined) return; // already gone (crashed or failed)
        closing = true;
        try {
          await rpc.call('close', null);
        } finally {
          await worker.terminate();
        }
      })();
      return closed;
    },
  };
}
