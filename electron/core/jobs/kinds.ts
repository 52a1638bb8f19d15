// The one map of job kinds: each kind's parameters (stored with its row), its progress (the
// common counters plus any fields of its own) and its result. The runner, the API, the CLI and
// the renderer all type their jobs from it; a new feature adds one entry here.
import type { IndexParams, IndexSummary } from '../library/index-job.js';
import type { JsonValue } from '../store/json.js';

/** What every job reports as it goes. */
export interface JobProgress {
  done: number;
  /** Leave out to keep the previous total; null when not known yet. */
  total?: number | null;
  currentFile?: string | null;
}

export interface JobKindSpec {
  params: JsonValue;
  progress: JobProgress;
  result: unknown;
}

// A type alias, not an interface: the runner's `Record<string, JobKindSpec>` bound needs one.
export type JobKinds = {
  /** Scan the library folders and index what changed (library/index-job.ts). */
  index: { params: IndexParams; progress: JobProgress; result: IndexSummary };
};

export type JobKind = keyof JobKinds;
