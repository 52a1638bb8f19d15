// The one place that loads onnxruntime-node, so telemetry is always switched off first.
// ONNX Runtime's official builds send telemetry unless ORT_DISABLE_TELEMETRY=1 (docs/DESIGN.md); without it
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

const LOG_LEVELS = ['verbose', 'info', 'warning', 'error', 'fatal'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * ONNX Runtime's own stderr log. Default 'fatal': on every Linux machine without CUDA, trying the CUDA
 * provider prints a red error although falling back to CPU is normal; the reason is recorded and
 * reported by us instead (providers.ts). SHOEBOX_ORT_LOG=warning (or verbose …) brings the log back.
 */
function ortLogLevel(): LogLevel {
  const value = process.env.SHOEBOX_ORT_LOG?.trim().toLowerCase();
  if (!value) return 'fatal';
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new Error(`SHOEBOX_ORT_LOG="${value}" is not one of ${LOG_LEVELS.join(', ')}`);
  }
  return value as LogLevel;
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
    const ort = await import('onnxruntime-node');
    ort.env.logLevel = ortLogLevel();
    return ort;
  })();
  return loading;
}
