// The interface's state: one object per concern, each in its own module beside this one
// (notices, jobs, filters, library, search, models …), created once by App.svelte and handed to the
// components that need them. A new concern (sorting, training) adds its module and one
// line here; it receives the client, `notices.report` and the states it reads.
import type { ShoeboxClient } from '../api/client.js';
import { CaptionsState } from './captions.svelte.js';
import { FilterState } from './filters.svelte.js';
import { FinetuneState } from './finetune.svelte.js';
import { GridViewState } from './grid-view.svelte.js';
import { JobsState } from './jobs.svelte.js';
import { LibraryState } from './library.svelte.js';
import { ModelsState } from './models.svelte.js';
import { NoticeState } from './notices.svelte.js';
import { SearchState } from './search.svelte.js';
import { SelectionState } from './selection.svelte.js';
import { SortingState } from './sorting.svelte.js';

export class AppState {
  readonly notices = new NoticeState();
  readonly filters = new FilterState();
  readonly gridView = new GridViewState();
  readonly jobs: JobsState;
  readonly library: LibraryState;
  readonly search: SearchState;
  readonly models: ModelsState;
  readonly sorting: SortingState;
  readonly captions: CaptionsState;
  readonly finetune: FinetuneState;
  readonly selection: SelectionState;

  /** Create it while a component initialises (some states set up effects). */
  constructor(client: ShoeboxClient, hooks: { onSimilarShown: () => void }) {
    const report = this.notices.report;
    this.jobs = new JobsState(client, report);
    this.library = new LibraryState(client, this.jobs, this.filters, this.gridView, report);
    this.search = new SearchState(client, this.filters, report, hooks.onSimilarShown);
    // Results from the previous model's space would be stale once another model answers.
    this.models = new ModelsState(client, this.jobs, this.library, () => this.search.rerun());
    this.sorting = new SortingState(client, this.jobs, report);
    this.captions = new CaptionsState(client, report);
    this.selection = new SelectionState(client, this.sorting, this.captions);
    // Another version answers searches at once: the search shown is run again.
    this.finetune = new FinetuneState(client, this.jobs, () => this.search.rerun());
  }

  /** Loads the library and follows job events, until the returned function is called. */
  start(): () => void {
    void this.library.load();
    const stops = [this.jobs.listen(), this.library.listen(), this.models.listen(), this.sorting.listen(), this.finetune.listen()];
    return () => {
      for (const stop of stops) stop();
    };
  }
}
