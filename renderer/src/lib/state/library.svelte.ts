// The library as the interface knows it: status (folders, counts, model), per-folder counts and
// date range, and its photos under the current filter (what the grid shows outside a search).
// While indexing runs (job events, through the jobs state) it refreshes them every couple of
// seconds. Components read these fields; the methods are the sidebar's and welcome screen's actions.
import type { ApiOutput, ShoeboxClient } from '../api/client.js';
import { fileName } from '../util/format.js';
import type { FilterState } from './filters.svelte.js';
import type { GridViewState } from './grid-view.svelte.js';
import { isLive, type JobsState } from './jobs.svelte.js';
import { LibrarySource } from './sources.svelte.js';
import { errorMessage } from '../../../../electron/common/error-message.js';

export type Status = ApiOutput<'status'>;
export type Stats = ApiOutput<'photos.stats'>;
export type ModelInfo = NonNullable<Status['model']>;
export type Root = Status['roots'][number];

/** While indexing, new photos appear this often rather than all at the end. */
const REFRESH_WHILE_INDEXING_MS = 2000;

export class LibraryState {
  status = $state<Status | null>(null);
  stats = $state<Stats | null>(null);
  model = $state<ModelInfo | null>(null);
  modelError = $state<string | null>(null);

  readonly roots = $derived(this.status?.roots ?? []);
  readonly indexing: boolean;
  /** A new source for each filter and sort order; refresh() reloads it in place when photos were added or removed. */
  readonly photos: LibrarySource;

  constructor(
    private readonly client: ShoeboxClient,
    private readonly jobs: JobsState,
    filters: FilterState,
    gridView: GridViewState,
    private readonly report: (err: unknown) => void,
  ) {
    this.indexing = $derived(isLive(jobs.byKind('index')));
    this.photos = $derived(new LibrarySource(client, filters.filter, gridView.order, report));
    // A list replaced (another folder, dates or order) stops loading and reporting.
    $effect(() => {
      const photos = this.photos;
      return () => photos.dispose();
    });
  }

  /** Status without loading the model (fast), then the model's details in the background. */
  async load(): Promise<void> {
    await this.refresh();
    this.jobs.seed(this.status?.jobs ?? []);
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
      this.modelError = errorMessage(err);
    }
  }

  /** Follows the index job's events; returns the unsubscribe function. */
  listen(): () => void {
    let lastRefresh = 0;
    return this.jobs.on('index', (event) => {
      const now = Date.now();
      if (!isLive(event)) {
        this.#photosChanged();
      } else if (event.done > 0 && now - lastRefresh > REFRESH_WHILE_INDEXING_MS) {
        lastRefresh = now;
        this.#photosChanged();
      }
    });
  }

  /** The name of folder `id`, or null for all photos. */
  rootName(id: number | undefined): string | null {
    return id === undefined ? null : fileName(this.roots.find((r) => r.id === id)?.path ?? '');
  }

  /**
   * Adds a folder (a full path or ~/…) and starts indexing it. Resolves to a warning when no photo
   * was found in it; rejects with the reason it was refused, for the form to show beside the field.
   */
  async addRoot(path: string): Promise<true | { warning: string }> {
    const root = await this.client.call('roots.add', { path });
    await this.refresh();
    await this.client.call('index.start', { rootIds: [root.id] });
    if (root.holdsPhotos !== false) return true;
    return { warning: `No photos found in ${root.path}. It was added all the same: photos put there are found when you rescan, or remove it from the list.` };
  }

  /** While the demo library is being written (seconds, before its index job exists). */
  addingDemo = $state(false);

  /** First-run choice: a generated demo library, written into the data folder and indexed; once at a time. */
  async addDemo(): Promise<void> {
    if (this.addingDemo || this.indexing) return;
    this.addingDemo = true;
    try {
      await this.client.call('library.addDemo', {});
      await this.refresh();
    } catch (err) {
      this.report(err);
    } finally {
      this.addingDemo = false;
    }
  }

  async removeRoot(id: number): Promise<void> {
    try {
      await this.client.call('roots.remove', { id });
      await this.refresh();
      this.photos.refresh();
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

  #photosChanged(): void {
    void this.refresh();
    this.photos.refresh();
  }
}
