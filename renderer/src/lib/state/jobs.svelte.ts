// Jobs as the interface knows them, from the job events of every kind: the live job of each kind,
// or its last one in this page's life (what a progress card shows), and the jobs running now.
// Components read byKind() and live; other states react to a kind's events through on().
// A card shows one job of a kind while others of that kind may wait behind it (two folders added
// in a row): it shows the running one, and its Cancel stops them all (cancelKind), so what the
// person cancelled is not followed by a queued job that starts running under the same card.
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
  /** The newest event of each queued or running job, by job id. */
  readonly #liveById = new SvelteMap<number, JobEvent>();
  readonly #handlers = new Set<(event: JobEvent) => void>();

  readonly live: readonly JobEvent[] = $derived([...this.#byKind.values()].filter(isLive));

  constructor(
    private readonly client: ShoeboxClient,
    private readonly report: (err: unknown) => void,
  ) {}

  /** The running job of `kind`, else its oldest queued one, else its newest event (how the last one ended). */
  byKind<K extends JobKind>(kind: K): JobOf<K> | null {
    const live = this.#liveOf(kind);
    const job = live.find((j) => j.state === 'running') ?? live[0] ?? this.#byKind.get(kind);
    return job && isKind(job, kind) ? job : null;
  }

  /** The jobs already running when the page opened (the status's list); events seen since win. */
  seed(jobs: readonly JobEvent[]): void {
    for (const job of jobs) {
      if (!this.#byKind.has(job.kind)) this.#byKind.set(job.kind, job);
      if (isLive(job) && !this.#liveById.has(job.jobId)) this.#liveById.set(job.jobId, job);
    }
  }

  /** Follows job events; returns the unsubscribe function. */
  listen(): () => void {
    return this.client.onJobEvent((event) => {
      this.#byKind.set(event.kind, event);
      if (isLive(event)) this.#liveById.set(event.jobId, event);
      else this.#liveById.delete(event.jobId);
      for (const handler of this.#handlers) handler(event);
    });
  }

  #liveOf(kind: JobKind): JobEvent[] {
    return [...this.#liveById.values()].filter((j) => j.kind === kind).sort((a, b) => a.jobId - b.jobId);
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

  /** Cancels every queued or running job of `kind`: what one card's Cancel means (see above). */
  async cancelKind(kind: JobKind): Promise<void> {
    // Queued ones first: cancelling the running one first would let the next start meanwhile.
    const live = this.#liveOf(kind).sort((a, b) => Number(a.state === 'running') - Number(b.state === 'running'));
    for (const job of live) await this.cancel(job.jobId);
  }
}
