// Jobs as the interface knows them, from the job events of every kind: the live job of each kind,
// or its last one in this page's life (what a progress card shows), and the jobs running now.
// Components read byKind() and live; other states react to a kind's events through on().
import { SvelteMap } from 'svelte/reactivity';
import type { JobEvent, ShoeboxClient } from '../api/client.js';

export type JobKind = JobEvent['kind'];
export type JobOf<K extends JobKind> = Extract<JobEvent, { kind: K }>;

const LIVE: ReadonlySet<JobEvent['state']> = new Set(['queued', 'running']);

export function isLive(job: JobEvent | null): boolean {
  return job !== null && LIVE.has(job.state);
}

function isKind<K extends JobKind>(job: JobEvent, kind: K): job is JobOf<K> {
  return job.kind === kind;
}

export class JobsState {
  /** The newest event of each kind. */
  readonly #byKind = new SvelteMap<JobKind, JobEvent>();
  readonly #handlers = new Set<(event: JobEvent) => void>();

  readonly live: readonly JobEvent[] = $derived([...this.#byKind.values()].filter(isLive));

  constructor(
    private readonly client: ShoeboxClient,
    private readonly report: (err: unknown) => void,
  ) {}

  byKind<K extends JobKind>(kind: K): JobOf<K> | null {
    const job = this.#byKind.get(kind);
    return job && isKind(job, kind) ? job : null;
  }

  /** The jobs already running when the page opened (the status's list); events seen since win. */
  seed(jobs: readonly JobEvent[]): void {
    for (const job of jobs) if (!this.#byKind.has(job.kind)) this.#byKind.set(job.kind, job);
  }

  /** Follows job events; returns the unsubscribe function. */
  listen(): () => void {
    return this.client.onJobEvent((event) => {
      this.#byKind.set(event.kind, event);
      for (const handler of this.#handlers) handler(event);
    });
  }

  /** Calls `handler` with each event of `kind` from now on; returns the unsubscribe function. */
  on<K extends JobKind>(kind: K, handler: (event: JobOf<K>) => void): () => void {
    const forKind = (event: JobEvent): void => {
      if (isKind(event, kind)) handler(event);
    };
    this.#handlers.add(forKind);
    return () => {
      this.#handlers.delete(forKind);
    };
  }

  /** Forgets a finished job of `kind` (its card is dismissed). */
  dismiss(kind: JobKind): void {
    this.#byKind.delete(kind);
  }

  async cancel(jobId: number): Promise<void> {
    try {
      await this.client.call('jobs.cancel', { jobId });
    } catch (err) {
      this.report(err);
    }
  }
}
