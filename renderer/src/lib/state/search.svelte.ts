// Searching: the query as typed, text search as you type (debounced; a stale answer never
// replaces a newer one), the photos like one photo, and which of the library, the results or the
// similar photos the main area shows. A changed filter or model runs the search shown again.
// Text results are paged (more on scroll) and show the good matches first; the weaker ones come
// on request (the relevance floor, docs/SEARCH.md). A query still being typed ("beach +") is
// searched up to its last complete term, not reported as an error.
import { untrack } from 'svelte';
import { MAX_QUERY_CHARS } from '../../../../electron/common/search-limits.js';
import { ClientError, type ApiOutput, type ShoeboxClient } from '../api/client.js';
import { Latest } from '../util/latest.js';
import { completePart } from '../util/query-typing.js';
import type { FilterState } from './filters.svelte.js';
import { ResultsSource, RESULTS_PAGE, type ResultsShown } from './results-source.svelte.js';
import { ListSource, type GridItem, type GridSource } from './sources.svelte.js';

/** One term of a query as the search read it ("2:dog" is dog, weight 2). */
export type Term = ApiOutput<'search.text'>['terms'][number];
export type SearchView =
  | { kind: 'library' }
  | { kind: 'search'; query: string; terms: readonly Term[]; strong: number; understood: boolean; show: ResultsShown }
  | { kind: 'similar'; photo: GridItem };

const SIMILAR = 200;
// Short enough that results follow typing (the search answers in ~13 ms at 100k photos and the
// page draws in ~30, docs/BENCHMARKS.md), long enough to skip the keys of a fast burst; stale
// requests are cancelled by `latest`, so one that slips through costs little. It was 60 ms: with
// the relevance floor's page that put keystroke → results at 108 ms p50 (target ≤ 100).
const DEBOUNCE_MS = 40;

export class SearchState {
  /** The search field's text. */
  query = $state('');
  searching = $state(false);
  /** Why the query cannot be read (bad input), shown under the field. */
  error = $state<string | null>(null);
  view = $state.raw<SearchView>({ kind: 'library' });
  /** The hits of the search or "similar" view shown. */
  results = $state.raw<GridSource>(new ListSource([]));
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
    if (this.view.kind === 'search') this.searchText(this.query, 0, this.view.show);
    else if (this.view.kind === 'similar') this.findSimilar(this.view.photo);
  }

  /** Shows the weaker matches too, or the good ones alone again. */
  showWeaker(weaker: boolean): void {
    if (this.view.kind === 'search') this.searchText(this.query, 0, weaker ? 'all' : 'strong');
  }

  /** Searches for `text` after `delayMs` of quiet; an empty text goes back to the library. */
  searchText(text: string, delayMs = DEBOUNCE_MS, show: ResultsShown = 'strong'): void {
    this.query = text;
    this.error = null;
    if (text.length > MAX_QUERY_CHARS) {
      this.#latest.cancel();
      this.searching = false;
      this.error = `That search is too long (at most ${MAX_QUERY_CHARS} characters; this one has ${text.length}).`;
      return;
    }
    // A trailing "+", "-", "2:" or open quote is a term still being typed: search what is complete.
    const complete = completePart(text);
    if (complete.trim() === '') {
      this.#latest.cancel();
      this.searching = false;
      if (text.trim() === '' && this.view.kind === 'search') this.view = { kind: 'library' };
      return;
    }
    this.searching = true;
    const filter = this.filters.filter;
    const request = { query: complete, show, filter };
    this.#latest.run((signal) => this.client.call('search.text', { ...request, limit: RESULTS_PAGE }, { signal }), delayMs).then(
      (r) => {
        if (!r) return;
        this.searching = false;
        this.#show(new ResultsSource(this.client, request, r, this.report));
        this.view = { kind: 'search', query: complete, terms: r.terms, strong: r.strong, understood: r.understood, show };
      },
      (err: unknown) => {
        this.searching = false;
        if (err instanceof ClientError && err.code === 'bad-input') this.error = personal(err.message);
        else this.report(err);
      },
    );
  }

  /** Shows the photos most like `photo` (and clears the search field). */
  findSimilar(photo: Pick<GridItem, 'id'>): void {
    this.query = '';
    this.error = null;
    this.searching = true;
    const filter = this.filters.filter;
    this.#latest.run((signal) => this.client.call('search.similar', { photoId: photo.id, limit: SIMILAR, filter }, { signal })).then(
      (r) => {
        if (!r) return;
        this.searching = false;
        this.#show(new ListSource(r.hits));
        this.view = { kind: 'similar', photo: r.photo };
        this.onSimilarShown();
      },
      (err: unknown) => {
        this.searching = false;
        this.report(err);
      },
    );
  }

  /** Shows new results; the replaced text results stop loading pages. */
  #show(results: GridSource): void {
    if (this.results instanceof ResultsSource) this.results.dispose();
    this.results = results;
  }

  showLibrary(): void {
    this.#latest.cancel();
    this.query = '';
    this.searching = false;
    this.view = { kind: 'library' };
  }
}

/** The core's reason for a query it cannot read, as a sentence ("search query ends with…" → "This search ends with…"). */
function personal(message: string): string {
  const text = message.replace(/^search query:?\s*/i, '').replace(/^Invalid input for search\.text:\s*/, '');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
}
