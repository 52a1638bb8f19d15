// Main-process handle on the core host (a utility process running the Shoebox core): starts it,
// calls it through the one worker RPC (core/workers/rpc.ts), forwards job events, restarts it
// after a crash (a few times), and shuts it down cleanly on quit so running jobs end
// 'interrupted' and SQLite closes.
import { utilityProcess, type UtilityProcess } from 'electron';
import type { MediaFile, MediaKind } from '../common/media.js';
import type { ApiName } from '../core/api/table.js';
import type { JobEvent } from '../common/job-events.js';
import { HOST_EVENTS, isApiReply, isJobEvent, isMediaFile, type CoreHostMethods } from '../common/core-host-protocol.js';
import type { ApiReply } from '../common/bridge-contract.js';
import { RpcClient } from '../core/workers/rpc.js';
import { errorMessage } from '../common/error-message.js';

export interface CoreHostOptions {
  /** Path of the compiled electron/workers/core-host.js. */
  entry: string;
  /** Environment of the utility process. */
  env: Record<string, string>;
}

/** Crashes in a row (without a successful start between them) after which we stop restarting. */
const MAX_RESTARTS = 3;
const CLOSE_TIMEOUT_MS = 10_000;
const CLOSING = 'Shoebox is closing.';

interface Running {
  child: UtilityProcess;
  rpc: RpcClient<CoreHostMethods>;
  ready: Promise<void>;
}

export class CoreHost {
  private running: Running | null = null;
  private readonly listeners = new Set<(event: JobEvent) => void>();
  private failures = 0;
  private lastFailure: string | null = null;
  private stopping = false;

  constructor(private readonly options: CoreHostOptions) {}

  /** Starts the utility process (if not running) and resolves once the core is open. */
  start(): Promise<void> {
    if (this.running) return this.running.ready;
    if (this.failures >= MAX_RESTARTS) {
      return Promise.reject(new Error(`The Shoebox core stopped ${this.failures} times; last reason: ${this.lastFailure ?? 'unknown'}. Restart Shoebox.`));
    }
    const child = utilityProcess.fork(this.options.entry, [], { serviceName: 'Shoebox core', env: this.options.env, stdio: 'inherit' });
    let startupError: string | null = null;
    let started!: { resolve(): void; reject(err: Error): void };
    const ready = new Promise<void>((resolve, reject) => (started = { resolve, reject }));
    const rpc = new RpcClient<CoreHostMethods>({ postMessage: (message) => child.postMessage(message) }, (event, data) => {
      if (event === HOST_EVENTS.ready) {
        this.failures = 0;
        started.resolve();
      } else if (event === HOST_EVENTS.startupFailed) {
        startupError = String(data);
        started.reject(new Error(`Shoebox could not open its library: ${startupError}`));
      } else if (event === HOST_EVENTS.jobEvent && isJobEvent(data)) {
        for (const listener of this.listeners) listener(data);
      } else {
        console.error('[main] ignored a malformed event from the core host');
      }
    });
    child.on('message', (message: unknown) => rpc.receive(message));
    child.once('exit', (code) => {
      this.running = null;
      // Calls still waiting get their answer either way; only an unexpected exit counts as a crash.
      if (this.stopping) {
        started.reject(new Error(CLOSING));
        rpc.fail(CLOSING);
        return;
      }
      this.failures++;
      this.lastFailure = startupError ?? `it exited unexpectedly (exit code ${code})`;
      const reason = `The Shoebox core stopped: ${this.lastFailure}`;
      started.reject(new Error(reason));
      rpc.fail(reason);
    });
    // Callers see the rejection through call(); this keeps an unobserved one from being reported twice.
    ready.catch(() => undefined);
    this.running = { child, rpc, ready };
    return ready;
  }

  /**
   * Runs one API call in the core. A core that is gone answers 'unavailable'; one that is running
   * but could not send its answer (a result structured clone cannot copy) answers 'internal'.
   */
  async call(name: ApiName, input: unknown): Promise<ApiReply> {
    let rpc: RpcClient<CoreHostMethods> | undefined;
    try {
      rpc = await this.connected();
      const reply = await rpc.call('api', { name, input });
      if (!isApiReply(reply)) throw new Error('the core answered with a malformed reply');
      return reply;
    } catch (err) {
      const message = errorMessage(err);
      if (rpc && rpc.failed === undefined) {
        console.error(`[main] ${name}: ${message}`);
        return { ok: false, error: { code: 'internal', message: 'The reply could not be sent to the window.' } };
      }
      return { ok: false, error: { code: 'unavailable', message } };
    }
  }

  /** The file for a photo's thumbnail or original, as the core resolves it; null when none may be shown. */
  async resolveMedia(kind: MediaKind, photoId: number): Promise<MediaFile | null> {
    try {
      const media = await (await this.connected()).call('media', { kind, photoId });
      return isMediaFile(media) ? media : null;
    } catch {
      return null;
    }
  }

  onJobEvent(listener: (event: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Closes the core (jobs end 'interrupted', the store closes); kills it if it does not finish in time. */
  async stop(): Promise<void> {
    this.stopping = true;
    const running = this.running;
    if (!running) return;
    const exited = new Promise<'exited'>((resolve) => running.child.once('exit', () => resolve('exited')));
    // Waits for a core that is still opening, then asks it to close. Its answer does not matter:
    // the process exiting does (it may also exit without answering, or crash meanwhile).
    void running.ready.then(() => running.rpc.call('close', null)).catch(() => undefined);
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS).unref());
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      console.error('[main] the core did not close in time; stopping it');
      running.child.kill();
    }
    running.rpc.fail(CLOSING);
  }

  /** The RPC of a started, open core (starting it first when needed). */
  private async connected(): Promise<RpcClient<CoreHostMethods>> {
    if (this.stopping) throw new Error(CLOSING);
    await this.start();
    const running = this.running;
    if (!running) throw new Error('The Shoebox core is not running.');
    return running.rpc;
  }
}
