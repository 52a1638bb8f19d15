// The one place that loads onnxruntime-node, so telemetry is always switched off first.
// ONNX Runtime's official builds send telemetry unless ORT_DISABLE_TELEMETRY=1 (DESIGN.md); without it
// they also write a device-id database under ~/.cache/Microsoft (measured with strace here).
import { isMainThread } from 'node:worker_threads';
import type * as OrtModule from 'onnxruntime-node';

export type Ort = typeof OrtModule;

let loading: Promise<Ort> | undefined;

/**
 * Sets ORT_DISABLE_TELEMETRY=1 in the real process environment. Only the main thread can: a worker's
 * process.env is a private copy, and native code reading getenv() never sees its writes (measured).
 * Call it before starting any worker that loads onnxruntime.
 */
export function disableOrtTelemetry(): void {
  if (isMainThread) process.env.ORT_DISABLE_TELEMETRY = '1';
}

export function loadOrt(): Promise<Ort> {
  loading ??= (async () => {
    if (isMainThread) {
      disableOrtTelemetry();
    } else if (process.env.ORT_DISABLE_TELEMETRY !== '1') {
      // The worker inherited its environment from a parent that did not switch telemetry off.
      throw new Error(
        'onnxruntime was about to load in a worker thread without ORT_DISABLE_TELEMETRY=1; ' +
          'call disableOrtTelemetry() on the main thread before starting the worker',
      );
    }
    return await import('onnxruntime-node');
  })();
  return loading;
}
