// Job events as every process and the renderer see them: one event per change of a job's state
// or progress, typed by job kind (core/jobs/kinds.ts maps each kind to its parameters, progress
// and result), so a listener that checks `event.kind` gets that kind's own fields.
import type { JobKind, JobKinds, JobKindSpec, JobProgress } from '../core/jobs/kinds.js';

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';
export type FinalJobState = Exclude<JobState, 'queued' | 'running'>;

/** The fields every job event has; a kind's own progress fields (a loss, a phase) come beside them. */
export interface JobEventBase<K extends string> {
  jobId: number;
  kind: K;
  state: JobState;
  done: number;
  total: number | null;
  /** Items per second, smoothed; null until measured. */
  rate: number | null;
  etaSeconds: number | null;
  currentFile: string | null;
  error: string | null;
}

/** A kind's event: the common fields and the kind's own progress fields. */
export type JobEventOf<K extends string, P extends JobProgress = JobProgress> = JobEventBase<K> & Partial<Omit<P, keyof JobProgress>>;

/** An event of any kind in a map of kinds (the app's: JobKinds). */
export type JobEventIn<M extends Record<string, JobKindSpec>> = { [K in keyof M & string]: JobEventOf<K, M[K]['progress']> }[keyof M & string];

export type JobEvent = JobEventIn<JobKinds>;

/** How a finished job ended, as the API reports it (the error as its message). */
export type JobResultOf<K extends string, R> = { kind: K } & (
  | { state: 'done'; value: R }
  | { state: 'failed'; error: string }
  | { state: 'cancelled' }
  | { state: 'interrupted' }
);

export type JobResult = { [K in JobKind]: JobResultOf<K, JobKinds[K]['result']> }[JobKind];
