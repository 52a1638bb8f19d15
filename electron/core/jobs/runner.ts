// Background jobs (indexing, export, training …): a FIFO queue with a concurrency limit,
// cancellation through AbortSignal, throttled progress events with rate and ETA, a row per job
// in the store so the UI can show history and a restart can tell what was cut short, and the
// outcomes of recent jobs for whoever waits on them (jobs.wait). Typed by a map of job kinds
// (kinds.ts): a kind's parameters, progress and result are checked where the job starts.
//
// A job's `run` function should check `ctx.signal` (signal.throwIfAborted()) between items.
// Once cancel() is called the job ends as 'cancelled' however `run` settles.
import type { FinalJobState, JobEventIn, JobState } from '../../common/job-events.js';
import type { JobRow, JobsRepo } from '../store/jobs.js';
import type { JobKinds, JobKindSpec, JobProgress } from './kinds.js';
import { RateMeter } from './rate.js';

export interface JobContext<P extends JobProgress = JobProgress> {
  readonly jobId: number;
  readonly signal: AbortSignal;
  progress(p: P): void;
}

export type JobOutcome<T> =
  | { state: 'done'; value: T }
  | { state: 'failed'; error: Error }
  | { state: 'cancelled' }
  | { state: 'interrupted' };

export interface JobHandle<T> {
  id: number;
  /** Always resolves (never rejects), so an unawaited job cannot crash the process. */
  outcome: Promise<JobOutcome<T>>;
}

/** A queued or running job of kind K, as callers that must not queue the same work twice see it. */
export interface LiveJobOf<P> {
  id: number;
  state: 'queued' | 'running';
  params: P;
  /** When it began running; null while queued. */
  startedAt: number | null;
}

/** A job's kind and how it ended, kept for a while after it finished. */
export type FinishedJob<M extends Record<string, JobKindSpec>> = { [K in keyof M & string]: { kind: K; outcome: JobOutcome<M[K]['result']> } }[keyof M & string];

/** Finished jobs whose outcomes (an index summary lists every failed file) are kept for outcomeOf. */
const KEPT_OUTCOMES = 20;

export interface JobRunnerOptions {
  /** Jobs running at once in each lane; the rest wait in order. Default 1: jobs compete for the same cores. */
  concurrency?: number;
  /**
   * The lane of a job kind: lanes queue apart, so a download (network-bound) need not wait for an
   * index job (CPU-bound) to finish. Default: one lane for every kind.
   */
  laneOf?: (kind: string) => string;
  /** Minimum time between two progress events of one job. Default 100 ms (≤ 10 per second). */
  throttleMs?: number;
  /** Clock in ms, replaceable in tests. */
  now?: () => number;
}


/** How a job ended, kept while its row could not be written (disk full). */
interface UnsavedEnd {
  state: FinalJobState;
  error: string | null;
  at: number;
  done: number;
  total: number | null;
}

interface LiveJob {
  id: number;
  kind: string;
  params: unknown;
  state: JobState;
  /** When it began running; null while queued. */
  startedAt: number | null;
  done: number;
  total: number | null;
  currentFile: string | null;
  error: string | null;
  /** The kind's own progress fields (beyond done/total/currentFile), as last reported. */
  extra: Record<string, unknown>;
  meter: RateMeter | null;
  controller: AbortController;
  /** Set by shutdown(): the abort is the app closing, not the person cancelling. */
  interrupting: boolean;
  lastEmitAt: number;
  timer: NodeJS.Timeout | null;
  start: () => void;
  finishQueued: (state: 'cancelled' | 'interrupted') => void;
}

export class JobRunner<M extends Record<string, JobKindSpec> = JobKinds> {
  /** Jobs a previous process left queued or running, now marked 'interrupted'. */
  readonly interruptedAtStartup: JobRow[];
  private readonly repo: JobsRepo;
  private readonly concurrency: number;
  private readonly laneOf: (kind: string) => string;
  private readonly throttleMs: number;
  private readonly now: () => number;
  private readonly listeners = new Set<(event: JobEventIn<M>) => void>();
  private readonly live = new Map<number, LiveJob>();
  private readonly queue: LiveJob[] = [];
  private readonly settled = new Map<number, Promise<unknown>>();
  private readonly outcomes = new Map<number, Promise<FinishedJob<M>>>();
  /** Running jobs per lane. */
  private readonly running = new Map<string, number>();
  /** Ends of jobs whose row write failed, by job id; written with the next write that works. */
  private readonly unsavedEnds = new Map<number, UnsavedEnd>();

  constructor(repo: JobsRepo, opts: JobRunnerOptions = {}) {
    this.repo = repo;
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
    this.laneOf = opts.laneOf ?? (() => 'jobs');
    this.throttleMs = opts.throttleMs ?? 100;
    this.now = opts.now ?? Date.now;
    this.interruptedAtStartup = repo.interruptLeftovers(this.now());
  }

  start<K extends keyof M & string>(
    kind: K,
    params: M[K]['params'],
    run: (ctx: JobContext<M[K]['progress']>) => Promise<M[K]['result']>,
  ): JobHandle<M[K]['result']> {
    type T = M[K]['result'];
    const id = this.repo.create(kind, params, this.now());
    let resolve!: (o: JobOutcome<T>) => void;
    const outcome = new Promise<JobOutcome<T>>((r) => (resolve = r));
    const job: LiveJob = {
      id,
      kind,
      params,
      state: 'queued',
      startedAt: null,
      done: 0,
      total: null,
      currentFile: null,
      error: null,
      extra: {},
      meter: null,
      controller: new AbortController(),
      interrupting: false,
      lastEmitAt: -Infinity,
      timer: null,
      start: () => void this.execute(job, run).then(resolve),
      finishQueued: (state) => {
        this.finish(job, state, null);
        resolve({ state });
      },
    };
    this.live.set(id, job);
    this.settled.set(id, outcome);
    this.keepOutcome(id, outcome.then((o) => ({ kind, outcome: o }) as FinishedJob<M>));
    this.emit(job);
    this.queue.push(job);
    this.pump();
    return { id, outcome };
  }

  /** How a job of this runner ended (waiting until it does); undefined for unknown or long-finished ids. */
  outcomeOf(jobId: number): Promise<FinishedJob<M>> | undefined {
    return this.outcomes.get(jobId);
  }

  private keepOutcome(id: number, finished: Promise<FinishedJob<M>>): void {
    this.outcomes.set(id, finished);
    for (const old of this.outcomes.keys()) {
      if (this.outcomes.size <= KEPT_OUTCOMES) break;
      this.outcomes.delete(old); // a Map keeps insertion order: oldest first
    }
  }

  /** Cancels a queued or running job. Returns false when it is not live (unknown or finished). */
  cancel(jobId: number): boolean {
    const job = this.live.get(jobId);
    if (!job) return false;
    if (job.state === 'queued') {
      this.queue.splice(this.queue.indexOf(job), 1);
      job.finishQueued('cancelled');
    } else {
      job.controller.abort(new Error('cancelled'));
    }
    return true;
  }

  /** Stops everything for an app shutdown: jobs end 'interrupted'. Resolves once all have settled. */
  async shutdown(): Promise<void> {
    for (const job of this.queue.splice(0)) job.finishQueued('interrupted');
    const waiting: Promise<unknown>[] = [];
    for (const job of this.live.values()) {
      job.interrupting = true;
      job.controller.abort(new Error('shutting down'));
      const settled = this.settled.get(job.id);
      if (settled) waiting.push(settled);
    }
    await Promise.all(waiting);
    this.retryUnsavedEnds();
  }

  /** Subscribes to job events; returns the unsubscribe function. */
  subscribe(listener: (event: JobEventIn<M>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The queued and running jobs of `kind`, oldest first, with their parameters. */
  liveOf<K extends keyof M & string>(kind: K): LiveJobOf<M[K]['params']>[] {
    return [...this.live.values()]
      .filter((job) => job.kind === kind && (job.state === 'queued' || job.state === 'running'))
      .map((job) => ({ id: job.id, state: job.state as 'queued' | 'running', params: job.params as M[K]['params'], startedAt: job.startedAt }));
  }

  /** The current state of queued and running jobs. */
  active(): JobEventIn<M>[] {
    return [...this.live.values()].map((job) => this.snapshot(job));
  }

  /** The newest job rows (newest first), each with its end as this runner knows it when its row could not be written. */
  recent(limit = 20): JobRow[] {
    return this.repo.list(limit).map((row) => {
      const end = this.unsavedEnds.get(row.id);
      return end ? { ...row, state: end.state, error: end.error, finishedAt: end.at, done: end.done, total: end.total } : row;
    });
  }

  /** Starts queued jobs, first come first served within each lane, while their lane has room. */
  private pump(): void {
    for (let i = 0; i < this.queue.length; ) {
      const job = this.queue[i]!;
      const lane = this.laneOf(job.kind);
      if ((this.running.get(lane) ?? 0) < this.concurrency) {
        this.queue.splice(i, 1);
        this.running.set(lane, (this.running.get(lane) ?? 0) + 1);
        job.start();
      } else i++;
    }
  }

  private async execute<T, P extends JobProgress>(job: LiveJob, run: (ctx: JobContext<P>) => Promise<T>): Promise<JobOutcome<T>> {
    const startedAt = this.now();
    job.state = 'running';
    job.startedAt = startedAt;
    job.meter = new RateMeter(startedAt);
    this.persist(() => this.repo.markRunning(job.id, startedAt));
    this.emit(job);
    const ctx: JobContext<P> = { jobId: job.id, signal: job.controller.signal, progress: (p) => this.progress(job, p) };
    let outcome: JobOutcome<T>;
    try {
      const value = await run(ctx);
      outcome = this.abortedOutcome(job) ?? { state: 'done', value };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      outcome = this.abortedOutcome(job) ?? { state: 'failed', error };
    }
    this.finish(job, outcome.state, outcome.state === 'failed' ? outcome.error.message : null);
    const lane = this.laneOf(job.kind);
    this.running.set(lane, (this.running.get(lane) ?? 1) - 1);
    this.pump();
    return outcome;
  }

  private abortedOutcome(job: LiveJob): { state: 'cancelled' } | { state: 'interrupted' } | null {
    if (!job.controller.signal.aborted) return null;
    return { state: job.interrupting ? 'interrupted' : 'cancelled' };
  }

  private progress(job: LiveJob, p: JobProgress): void {
    if (job.state !== 'running') return;
    const { done, total, currentFile, ...extra } = p;
    job.done = done;
    if (total !== undefined) job.total = total;
    if (currentFile !== undefined) job.currentFile = currentFile;
    Object.assign(job.extra, extra);
    const now = this.now();
    job.meter?.sample(now, job.done);
    const wait = job.lastEmitAt + this.throttleMs - now;
    if (wait <= 0) this.emitProgress(job, now);
    else if (!job.timer) {
      // Trailing event so the last progress before a pause is not lost.
      job.timer = setTimeout(() => {
        job.timer = null;
        if (job.state === 'running') this.emitProgress(job, this.now());
      }, wait);
      job.timer.unref();
    }
  }

  private emitProgress(job: LiveJob, now: number): void {
    job.lastEmitAt = now;
    this.persist(() => this.repo.saveProgress(job.id, job.done, job.total));
    this.emit(job);
  }

  private finish(job: LiveJob, state: FinalJobState, error: string | null): void {
    if (job.timer) clearTimeout(job.timer);
    job.timer = null;
    job.state = state;
    job.error = error;
    this.live.delete(job.id);
    this.settled.delete(job.id);
    const end: UnsavedEnd = { state, error, at: this.now(), done: job.done, total: job.total };
    // On a full disk this write fails too: the job still ends here and in its events, recent()
    // shows the end, later writes retry it, and a next start marks a row left 'running' interrupted.
    if (!this.persist(() => this.saveEnd(job.id, end))) this.unsavedEnds.set(job.id, end);
    this.emit(job);
  }

  private saveEnd(id: number, end: UnsavedEnd): void {
    this.repo.saveProgress(id, end.done, end.total);
    this.repo.finish(id, end.state, end.error, end.at);
  }

  /** Writes the ends that could not be written before; stops at the first that still fails. */
  private retryUnsavedEnds(): void {
    for (const [id, end] of this.unsavedEnds) {
      try {
        this.saveEnd(id, end);
      } catch {
        return;
      }
      this.unsavedEnds.delete(id);
    }
  }

  private snapshot(job: LiveJob): JobEventIn<M> {
    const running = job.state === 'running';
    // The kind's own fields first: the common ones below always win.
    return {
      ...job.extra,
      jobId: job.id,
      kind: job.kind,
      state: job.state,
      done: job.done,
      total: job.total,
      rate: running ? (job.meter?.rate ?? null) : null,
      etaSeconds: running ? (job.meter?.eta(job.done, job.total) ?? null) : null,
      currentFile: job.currentFile,
      error: job.error,
    } as JobEventIn<M>;
  }

  private emit(job: LiveJob): void {
    const event = this.snapshot(job);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        // A broken listener (a closed window) must not break the job or the other listeners.
        process.emitWarning(`Job event listener failed: ${(err as Error).message}`);
      }
    }
  }

  /** Job rows are a record, not the job itself: a failed write (database closing, disk full) must not kill the job. */
  private persist(write: () => void): boolean {
    this.retryUnsavedEnds();
    try {
      write();
      return true;
    } catch (err) {
      process.emitWarning(`Could not save job state: ${(err as Error).message}`);
      return false;
    }
  }
}
