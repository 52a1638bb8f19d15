// Text-search results as a GridSource that loads more on scroll: the first page arrives with the
// search (SearchState runs it, so a stale answer never lands), later pages when the grid shows
// them. `show` picks the good matches alone or every photo (the relevance floor, docs/SEARCH.md).
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
  #count = $state(0);
  #ready = $state(false);

  constructor(
    client: ShoeboxClient,
    request: { query: string; show: ResultsShown; filter: PhotoFilter },
    first: TextAnswer,
    onError: (err: unknown) => void,
  ) {
    this.#list = new PagedList<ScoredPhoto>(
      async (offset, limit) => {
        const r = offset === 0 ? first : await client.call('search.text', { ...request, offset, limit });
        return { total: r.total, items: r.hits };
      },
      () => {
        this.#count = this.#list.total;
        this.#ready = true;
        this.#version++;
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

  at(index: number): GridItem | undefined {
    void this.#version; // re-read when a page arrives
    return this.#list.at(index);
  }

  ensure(from: number, to: number): void {
    void this.#list.ensure(from, to);
  }

  get(index: number): Promise<GridItem | undefined> {
    return this.#list.get(index);
  }

  dispose(): void {
    this.#list.dispose();
  }
}
