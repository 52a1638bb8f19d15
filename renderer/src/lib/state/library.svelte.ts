// The library as the interface knows it: status (folders, counts, model), per-folder counts and
// date range, and the indexing job's progress from job events. Components read these fields;
// the methods are the actions the sidebar and the progress bar offer.
import type { ApiOutput, JobEvent, ShoeboxClient } from '../api/client.js';

export type Status = ApiOutput<'status'>;
export type Stats = ApiOutput<'photos.stats'>;
export type ModelInfo = NonNullable<Status['model']>;
export type Root = Status['roots'][number];

const LIVE: ReadonlySet<JobEvent['state']> = new Set(['queued', 'running']);

export class LibraryState {
  status = $state<Status | null>(null);
  stats = $state<Stats | null>(null);
  model = $state<ModelInfo | null>(null);
  modelError = $state<string | null>(null);
  /** The index job running now, or the last one of this page's life. */
  job = $state<JobEvent | null>(null);
  /** Bumped whenever the set of photos may have changed; the grid reloads on it. */
  changes = $state(0);

  roots = $derived(this.status?.roots ?? []);
  indexing = $derived(this.job !== null && LIVE.has(this.job.state));

  constructor(
    private readonly client: ShoeboxClient,
    private readonly report: (err: unknown) => void,
  ) {}

  /** Status without loading the model (fast), then the model's details in the background. */
  async load(): Promise<void> {
    await this.refresh();
    const live = this.status?.jobs.find((j) => j.kind === 'index');
    if (live) this.job = live;
    void this.loadModel();
  }

  async refresh(): Promise<void> {
    try {
      const [status, stats] = await Promise.all([this.client.call('status', { loadModel: false }), this.client.call('photos.stats', {})]);
      this.status = status;
      this.stats = stats;
    } catch (err) {
      this.report(err);
    }
  }

  async loadModel(): Promise<void> {
    try {
      const s = await this.client.call('status', { loadModel: true });
      this.model = s.model;
      this.modelError = s.modelError;
    } catch (err) {
      this.modelError = err instanceof Error ? err.message : String(err);
    }
  }

  /** Follows job events; returns the unsubscribe function. */
  listen(): () => void {
    let lastRefresh = 0;
    return this.client.onJobEvent((event) => {
      if (event.kind !== 'index') return;
      this.job = event;
      const now = Date.now();
      if (!LIVE.has(event.state)) {
        void this.refresh();
        this.changes++;
      } else if (event.done > 0 && now - lastRefresh > 2000) {
        // While indexing, new photos appear every couple of seconds rather than all at the end.
        lastRefresh = now;
        void this.refresh();
        this.changes++;
      }
    });
  }

  async addRoot(path: string): Promise<boolean> {
    try {
      const root = await this.client.call('roots.add', { path });
      await this.refresh();
      await this.client.call('index.start', { rootIds: [root.id] });
      return true;
    } catch (err) {
      this.report(err);
      return false;
    }
  }

  /** First-run choice: a generated demo library, written into the data folder and indexed. */
  async addDemo(): Promise<void> {
    try {
      await this.client.call('library.addDemo', {});
      await this.refresh();
    } catch (err) {
      this.report(err);
    }
  }

  async removeRoot(id: number): Promise<void> {
    try {
      await this.client.call('roots.remove', { id });
      await this.refresh();
      this.changes++;
    } catch (err) {
      this.report(err);
    }
  }

  async startIndex(): Promise<void> {
    try {
      await this.client.call('index.start', {});
    } catch (err) {
      this.report(err);
    }
  }

  async cancelIndex(): Promise<void> {
    if (!this.job) return;
    try {
      await this.client.call('jobs.cancel', { jobId: this.job.jobId });
    } catch (err) {
      this.report(err);
    }
  }
}
