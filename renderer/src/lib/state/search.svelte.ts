// Searching: the query as typed, text search as you type (debounced; a stale answer never
// replaces a newer one), the photos like one photo, and which of the library, the results or the
// similar photos the main area shows. A changed filter or model runs the search shown again.
import { untrack } from 'svelte';
import { ClientError, type ApiOutput, type ShoeboxClient } from '../api/client.js';
import { Latest } from '../util/latest.js';
import type { FilterState } from './filters.svelte.js';
import { ListSource, type GridItem } from './sources.svelte.js';

/** One term of a query as the search read it ("2:dog" is dog, weight 2). */
export type Term = ApiOutput<'search.text'>['terms'][number];
export type SearchView = { kind: 'library' } | { kind: 'search'; query: string; terms: readonly Term[] } | { kind: 'similar'; photo: GridItem };

const RESULTS = 200;
// Short enough that results follow typing (~25 ms of work after it at 100k photos, see
// docs/BENCHMARKS.md); stale requests are cancelled by `latest`, so a burst costs little.
const DEBOUNCE_MS = 60;

export class SearchState {
  /** The search field's text. */
  query = $state('');
  searching = $state(false);
  /** Why the query cannot be read (bad input), shown under the field. */
  error = $state<string | null>(null);
  view = $state.raw<SearchView>({ kind: 'library' });
  /** The hits of the search or "similar" view shown. */
  results = $state.raw(new ListSource([]));
  readonly #latest = new Latest();

  /**
   * Create it while a component initialises (App does): the filter is followed by an effect.
   * `onSimilarShown` runs each time similar photos arrive (the app moves focus to them).
   */
  constructor(
    private readonly client: ShoeboxClient,
    private readonly filters: FilterState,
    private readonly report: (err: unknown) => void,
    private readonly onSimilarShown: () => void,
  ) {
    $effect(() => {
      void this.filters.filter;
      untrack(() => this.rerun());
    });
  }

  /** Runs the search or "similar" view shown again (the filter or the active model changed). */
  rerun(): void {
    if (this.view.kind === 'search') this.searchText(this.view.query, 0);
    else if (this.view.kind === 'similar') this.findSimilar(this.view.photo);
  }

  /** Searches for `text` after `delayMs` of quiet; an empty text goes back to the library. */
  searchText(text: string, delayMs = DEBOUNCE_MS): void {
    this.query = text;
    this.error = null;
    if (text.trim() === '') {
      this.#latest.cancel();
      this.searching = false;
      if (this.view.kind === 'search') this.view = { kind: 'library' };
      return;
    }
    this.searching = true;
    const filter = this.filters.filter;
    this.#latest.run((signal) => this.client.call('search.text', { query: text, limit: RESULTS, filter }, { signal }), delayMs).then(
      (r) => {
        if (!r) return;
        this.searching = false;
        this.results = new ListSource(r.hits);
        this.view = { kind: 'search', query: text, terms: r.terms };
      },
      (err: unknown) => {
        this.searching = false;
        if (err instanceof ClientError && err.code === 'bad-input') this.error = err.message;
        else this.report(err);
      },
    );
  }

  /** Shows the photos most like `photo` (and clears the search field). */
  findSimilar(photo: GridItem): void {
    this.query = '';
    this.error = null;
    this.searching = true;
    const filter = this.filters.filter;
    this.#latest.run((signal) => this.client.call('search.similar', { photoId: photo.id, limit: RESULTS, filter }, { signal })).then(
      (r) => {
        if (!r) return;
        this.searching = false;
        this.results = new ListSource(r.hits);
        this.view = { kind: 'similar', photo: r.photo };
        this.onSimilarShown();
      },
      (err: unknown) => {
        this.searching = false;
        this.report(err);
      },
    );
  }

  showLibrary(): void {
    this.#latest.cancel();
    this.query = '';
    this.searching = false;
    this.view = { kind: 'library' };
  }
}
