// What the photo grid and the viewer show: a GridSource. The library is a lazily paged list (for
// 100 000 photos); search and "similar" results are a plain array with scores. Both are reactive
// (Svelte runes): reading `count` or `at(i)` in a template updates when pages arrive.
import type { ApiOutput, ShoeboxClient } from '../api/client.js';
import { PagedList } from '../grid/paged-list.js';
import { buildTimeline, type Timeline } from '../grid/timeline.js';
import type { PhotoFilter } from './filters.svelte.js';
import type { PhotoOrder } from './grid-view.svelte.js';

export type Photo = ApiOutput<'photos.list'>['photos'][number];
/** A search or "similar" hit: a photo and its score. */
export type ScoredPhoto = ApiOutput<'search.text'>['hits'][number];
/** What a cell shows: a photo, with its score when it is a hit. */
export type GridItem = Photo & Partial<Pick<ScoredPhoto, 'score'>>;

export interface GridSource {
  readonly count: number;
  /** The library's days in its order (date headers, scrubber); absent for ranked lists and the name order. */
  readonly timeline?: Timeline | null;
  /** Whether the first answer has arrived (to tell "empty" from "loading"). */
  readonly ready: boolean;
  /** Changes when the list is reloaded in place, its positions then holding other items; absent for lists that never change. */
  readonly revision?: number;
  at(index: number): GridItem | undefined;
  /** Starts loading items [from, to) if they are not here yet. */
  ensure(from: number, to: number): void;
  get(index: number): Promise<GridItem | undefined>;
}

const PAGE = 200;

/**
 * The library in one sort order: pages of photos, and for the dated orders the timeline (photos
 * per day), which the grid lays its date headers out from. In a dated order the count is the
 * timeline's, so the layout and the count come from one answer and the headers are there from the
 * first frame. Both reload on refresh(), the old ones shown until the new ones arrive.
 */
export class LibrarySource implements GridSource {
  #list: PagedList<Photo>;
  #version = $state(0);
  #generation = $state(0);
  #count = $state(0);
  #ready = $state(false);
  #timeline = $state<Timeline | null>(null);
  /** The generation the timeline was last asked for (-1: never). */
  #timelineAsked = -1;
  /** The timeline could not be had: the photos show as one list, without date headers. */
  #timelineFailed = false;
  /** A page has arrived (its total is the count without a timeline). */
  #pageSeen = false;
  readonly #loadTimeline: (() => Promise<Timeline>) | null;
  readonly #onError: (err: unknown) => void;

  constructor(client: ShoeboxClient, filter: PhotoFilter, order: PhotoOrder, onError: (err: unknown) => void) {
    this.#list = new PagedList<Photo>(
      async (offset, limit) => {
        const r = await client.call('photos.list', { offset, limit, filter, order });
        return { total: r.total, items: r.photos };
      },
      () => {
        this.#pageSeen = true;
        if (!this.#loadTimeline || this.#timelineFailed) {
          this.#count = this.#list.total;
          this.#ready = true;
        } else if (this.#timeline && this.#timeline.total !== this.#list.total) {
          // Photos came or went between the two answers (indexing): the headers are asked again.
          this.#askTimeline(this.#generation);
        }
        this.#version++;
      },
      PAGE,
      onError,
    );
    this.#loadTimeline =
      order === 'name' ? null : async () => buildTimeline((await client.call('photos.timeline', { filter, order })).days);
    this.#onError = onError;
  }

  get count(): number {
    return this.#count;
  }

  get ready(): boolean {
    return this.#ready;
  }

  get timeline(): Timeline | null {
    return this.#timeline;
  }

  get revision(): number {
    return this.#generation;
  }

  at(index: number): GridItem | undefined {
    void this.#version; // re-read when a page arrives
    return this.#list.at(index);
  }

  ensure(from: number, to: number): void {
    const generation = this.#generation; // an effect calling ensure() runs again after refresh()
    void this.#list.ensure(from, to);
    if (this.#timelineAsked !== generation) this.#askTimeline(generation);
  }

  #askTimeline(generation: number): void {
    const load = this.#loadTimeline;
    if (!load || this.#timelineFailed) return;
    this.#timelineAsked = generation;
    load().then(
      (timeline) => {
        if (this.#timelineAsked !== generation) return;
        this.#timeline = timeline;
        this.#count = timeline.total;
        this.#ready = true;
      },
      (err: unknown) => {
        if (this.#timelineAsked !== generation) return;
        this.#timelineFailed = true;
        this.#timeline = null;
        this.#count = this.#list.total;
        this.#ready = this.#pageSeen;
        this.#onError(err);
      },
    );
  }

  get(index: number): Promise<GridItem | undefined> {
    return this.#list.get(index);
  }

  /** The library changed (indexing): reload what is on screen, showing the old pages meanwhile. */
  refresh(): void {
    this.#list.refresh();
    this.#generation++;
  }

  dispose(): void {
    this.#list.dispose();
  }
}

export class ListSource implements GridSource {
  readonly ready = true;
  constructor(readonly items: readonly GridItem[]) {}

  get count(): number {
    return this.items.length;
  }

  at(index: number): GridItem | undefined {
    return this.items[index];
  }

  ensure(): void {}

  async get(index: number): Promise<GridItem | undefined> {
    return this.items[index];
  }
}
