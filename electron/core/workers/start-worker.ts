// Starts a worker thread from one of electron/workers/*, from the TypeScript sources (under tsx)
// or the compiled JavaScript in dist/ alike.
import { Worker } from 'node:worker_threads';

/** The URL of `electron/workers/<name>` next to the calling module's tree (.ts under tsx, .js when built). */
export function workerEntry(name: string, from: string): URL {
  const ext = from.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`../../workers/${name}.${ext}`, from);
}

/**
 * Under tsx the worker is TypeScript too. Loader hooks do not carry over to worker threads, and on
 * Node 20.20 `execArgv: ['--import', 'tsx']` does not help either (measured: "Unknown file extension
 * .ts"), so a two-line bootstrap registers tsx inside the worker and then imports the entry.
 */
export function startWorker(workerUrl: URL, workerData: unknown): Worker {
  if (!workerUrl.pathname.endsWith('.ts')) return new Worker(workerUrl, { workerData, execArgv: [] });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap =
    `import(${JSON.stringify(tsxApi)})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData, execArgv: [] });
}
