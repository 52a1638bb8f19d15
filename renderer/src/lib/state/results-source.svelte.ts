// Text-search results as a GridSource that loads more on scroll: the first page arrives with the
// search (SearchState runs it, so a stale answer never lands), later pages when the grid shows
// them. `show` picks the good matches alone or every photo (the relevance floor, docs/SEARCH.md).
// A later page is the search run again, so while indexing changes the library the pages can
// disagree (a photo on two pages, or on none): a page whose total differs from the last answer's,
// or that repeats a photo shown elsewhere, reloads the pages in view (the old ones shown until
// the new arrive), so the list settles on one ranking.
import type { ApiOutput, ShoeboxClient } from '../api/client.js';
import { PagedList } from '../grid/paged-list.js';
import type { PhotoFilter } from './filters.svelte.js';
import type { GridItem, GridSource, ScoredPhoto } from './sources.svelte.js';

export type TextAnswer = ApiOutput<'search.text'>;
export type ResultsShown = 'strong' | 'all';

export const RESULTS_PAGE = 200;

export class ResultsSource implements GridSource {
  #list: PagedList<ScoredPhoto>;
  #version = $state(0);
  #revision = $state(0);
  #count = $state(0);
  #ready = $state(false);
  /** The search's first page until it is shown; later reloads ask again. */
  #first: TextAnswer | null;
  /** The total of the last answer, and where each photo of the loaded pages sits. */
  #total: number;
  #positions = new Map<number, number>();
  #stale = false;
  /** The range the grid last asked for (reloaded when the pages disagree). */
  #shown: [number, number] = [0, RESULTS_PAGE];

  constructor(
    client: ShoeboxClient,
    request: { query: string; show: ResultsShown; filter: PhotoFilter },
    first: TextAnswer,
    onError: (err: unknown) => void,
  ) {
    this.#first = first;
    this.#total = first.total;
    this.#list = new PagedList<ScoredPhoto>(
      async (offset, limit) => {
        const cached = offset === 0 ? this.#first : null;
        if (cached) this.#first = null;
        const r = cached ?? (await client.call('search.text', { ...request, offset, limit }));
        this.#check(offset, r);
        return { total: r.total, items: r.hits };
      },
      () => {
        this.#count = this.#list.total;
        this.#ready = true;
        this.#version++;
        if (this.#stale) this.#reload();
      },
      RESULTS_PAGE,
      onError,
    );
    this.#count = first.total;
    void this.#list.ensure(0, RESULTS_PAGE);
  }

  get count(): number {
    return this.#count;
  }

  get ready(): boolean {
    return this.#ready;
  }

  get revision(): number {
    return this.#revision;
  }

  at(index: number): GridItem | undefined {
    void this.#version; // re-read when a page arrives
    return this.#list.at(index);
  }

  ensure(from: number, to: number): void {
    this.#shown = [from, to];
    void this.#list.ensure(from, to);
  }

  get(index: number): Promise<GridItem | undefined> {
    return this.#list.get(index);
  }

  /** Stops taking pages (and their errors) once the search is replaced. */
  dispose(): void {
    this.#list.dispose();
  }

  /** Notes a page that shows the index changed since the pages loaded before it. */
  #check(offset: number, answer: TextAnswer): void {
    let disagrees = answer.total !== this.#total;
    this.#total = answer.total;
    answer.hits.forEach((hit, i) => {
      const at = this.#positions.get(hit.id);
      if (at !== undefined && at !== offset + i) disagrees = true;
      this.#positions.set(hit.id, offset + i);
    });
    if (disagrees) this.#stale = true;
  }

  /** Loads the pages in view again, against the index as it is now. */
  #reload(): void {
    this.#stale = false;
    this.#positions = new Map();
    this.#list.refresh();
    this.#revision++;
    const [from, to] = this.#shown;
    void this.#list.ensure(from, to);
  }
}
