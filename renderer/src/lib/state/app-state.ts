// The interface's state: one object per concern, each in its own module beside this one
// (notices, jobs, filters, library, search …), created once by App.svelte and handed to the
// components that need them. A new concern (models, sorting, training) adds its module and one
// line here; it receives the client, `notices.report` and the states it reads.
import type { ShoeboxClient } from '../api/client.js';
import { FilterState } from './filters.svelte.js';
import { JobsState } from './jobs.svelte.js';
import { LibraryState } from './library.svelte.js';
import { NoticeState } from './notices.svelte.js';
import { SearchState } from './search.svelte.js';

export class AppState {
  readonly notices = new NoticeState();
  readonly filters = new FilterState();
  readonly jobs: JobsState;
  readonly library: LibraryState;
  readonly search: SearchState;

  /** Create it while a component initialises (some states set up effects). */
  constructor(client: ShoeboxClient, hooks: { onSimilarShown: () => void }) {
    const report = this.notices.report;
    this.jobs = new JobsState(client, report);
    this.library = new LibraryState(client, this.jobs, this.filters, report);
    this.search = new SearchState(client, this.filters, report, hooks.onSimilarShown);
  }

  /** Loads the library and follows job events, until the returned function is called. */
  start(): () => void {
    void this.library.load();
    const stops = [this.jobs.listen(), this.library.listen()];
    return () => {
      for (const stop of stops) stop();
    };
  }
}
