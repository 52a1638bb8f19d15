// Main-process handle on the core host (a utility process running the Shoebox core): starts it,
// matches replies to requests, forwards job events, restarts it after a crash (a few times), and
// shuts it down cleanly on quit so running jobs end 'interrupted' and SQLite closes.
import { utilityProcess, type UtilityProcess } from 'electron';
import type { MediaFile, MediaKind } from '../common/media.js';
import type { ApiName } from '../core/api/table.js';
import type { JobEvent } from '../common/job-events.js';
import { isHostMessage, type HostMessage, type HostRequest } from '../common/core-host-protocol.js';
import type { ApiReply } from '../common/bridge-contract.js';

export interface CoreHostOptions {
  /** Path of the compiled electron/workers/core-host.js. */
  entry: string;
  /** Environment of the utility process. */
  env: Record<string, string>;
}

type Pending = (message: HostMessage) => void;

/** Crashes in a row (without a successful start between them) after which we stop restarting. */
const MAX_RESTARTS = 3;
const CLOSE_TIMEOUT_MS = 10_000;

export class CoreHost {
  private child: UtilityProcess | null = null;
  private ready: Promise<void> | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: JobEvent) => void>();
  private nextId = 1;
  private failures = 0;
  private lastFailure: string | null = null;
  private stopping = false;

  constructor(private readonly options: CoreHostOptions) {}

  /** Starts the utility process (if not running) and resolves once the core is open. */
  start(): Promise<void> {
    if (this.ready) return this.ready;
    if (this.failures >= MAX_RESTARTS) {
      return Promise.reject(new Error(`The Shoebox core stopped ${this.failures} times; last reason: ${this.lastFailure ?? 'unknown'}. Restart Shoebox.`));
    }
    const child = utilityProcess.fork(this.options.entry, [], { serviceName: 'Shoebox core', env: this.options.env, stdio: 'inherit' });
    this.child = child;
    let startupError: string | null = null;
    this.ready = new Promise<void>((resolve, reject) => {
      child.on('message', (raw: unknown) => {
        if (!isHostMessage(raw)) return console.error('[main] ignored a malformed message from the core host');
        if (raw.type === 'ready') {
          this.failures = 0;
          resolve();
        } else if (raw.type === 'startup-failed') {
          startupError = raw.message;
          reject(new Error(`Shoebox could not open its library: ${raw.message}`));
        } else if (raw.type === 'job-event') {
          for (const listener of this.listeners) listener(raw.event);
        } else {
          const settle = this.pending.get(raw.id);
          this.pending.delete(raw.id);
          settle?.(raw);
        }
      });
      child.once('exit', (code) => {
        this.child = null;
        this.ready = null;
        // Calls still waiting get their answer either way; only an unexpected exit counts as a crash.
        if (this.stopping) {
          reject(new Error('Shoebox is closing.'));
          this.failAll('Shoebox is closing.');
          return;
        }
        this.failures++;
        this.lastFailure = startupError ?? `it exited unexpectedly (exit code ${code})`;
        const error = new Error(`The Shoebox core stopped: ${this.lastFailure}`);
        reject(error);
        this.failAll(error.message);
      });
    });
    // Callers see the rejection through call(); this keeps an unobserved one from being reported twice.
    this.ready.catch(() => undefined);
    return this.ready;
  }

  /** Runs one API call in the core; failures of the host itself come back as 'unavailable'. */
  async call(name: ApiName, input: unknown): Promise<ApiReply> {
    try {
      const reply = await this.request({ type: 'api', id: this.nextId++, name, input });
      if (reply.type === 'api-reply') return reply.reply;
      throw new Error(`unexpected ${reply.type} reply`);
    } catch (err) {
      return { ok: false, error: { code: 'unavailable', message: err instanceof Error ? err.message : String(err) } };
    }
  }

  /** The file for a photo's thumbnail or original, as the core resolves it; null when none may be shown. */
  async resolveMedia(kind: MediaKind, photoId: number): Promise<MediaFile | null> {
    try {
      const reply = await this.request({ type: 'media', id: this.nextId++, kind, photoId });
      return reply.type === 'media-reply' ? reply.media : null;
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
    const child = this.child;
    if (!child) return;
    const exited = new Promise<'exited'>((resolve) => child.once('exit', () => resolve('exited')));
    // Waits for a core that is still opening, then asks it to close. Its answer does not matter:
    // the process exiting does (it may also exit without answering, or crash meanwhile).
    void this.request({ type: 'close', id: this.nextId++ }).catch(() => undefined);
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS).unref());
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      console.error('[main] the core did not close in time; stopping it');
      child.kill();
    }
    this.failAll('Shoebox is closing.');
  }

  private async request(message: HostRequest): Promise<HostMessage> {
    if (this.stopping && message.type !== 'close') throw new Error('Shoebox is closing.');
    await this.start();
    const child = this.child;
    if (!child) throw new Error('The Shoebox core is not running.');
    return new Promise<HostMessage>((resolve, reject) => {
      this.pending.set(message.id, (reply) => (reply.type === 'startup-failed' ? reject(new Error(reply.message)) : resolve(reply)));
      child.postMessage(message);
    });
  }

  private failAll(reason: string): void {
    const failed: HostMessage = { type: 'startup-failed', message: reason };
    for (const settle of this.pending.values()) settle(failed);
    this.pending.clear();
  }
}
