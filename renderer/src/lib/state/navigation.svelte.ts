// Where the user is: the Sorting view or the main area (library, search, similar photos, from the
// search state), and the photo open in the viewer. It is kept in the URL's hash by a Router
// (router.svelte.ts, lib/util/route.ts), so Back, Forward, reload and links all land here.
import type { ShoeboxClient } from '../api/client.js';
import type { Route } from '../util/route.js';
import { Router } from './router.svelte.js';
import type { SearchState } from './search.svelte.js';
import { ListSource, type GridItem, type GridSource } from './sources.svelte.js';

/** How long a link's photo may wait for its list (a search's results) before it opens on its own. */
const WAIT_FOR_LIST_MS = 3000;
/** How far down the list a link's photo is looked for (pages load as needed). */
const LOOK_AT = 1000;

interface ViewerPlace {
  index: number;
  /** The photo shown (for the URL). */
  photoId: number | null;
  /** What the viewer steps through when not the grid's list: one photo a link named. */
  own: GridSource | null;
}

export class NavigationState {
  /** The Sorting view instead of the main area. */
  sorting = $state(false);
  viewer = $state.raw<ViewerPlace | null>(null);
  readonly #router: Router;
  /** Bumped by every move, so that a link's photo still on its way does not open over a newer place. */
  #moves = 0;

  /** Create it while a component initialises (the router follows the place with an effect). `grid` is the main area's list. */
  constructor(
    private readonly client: ShoeboxClient,
    private readonly search: SearchState,
    private readonly grid: () => GridSource,
    private readonly report: (err: unknown) => void,
  ) {
    this.#router = new Router(
      () => this.#current(),
      (route) => this.#apply(route),
    );
  }

  /** Applies the URL's place and follows Back/Forward, until the returned function is called. */
  start(): () => void {
    return this.#router.start();
  }

  /** The list the viewer steps through. */
  get viewerSource(): GridSource {
    return this.viewer?.own ?? this.grid();
  }

  openViewer(index: number, own: GridSource | null = null): void {
    this.#moves++;
    this.viewer = { index, photoId: (own ?? this.grid()).at(index)?.id ?? null, own };
  }

  /** The viewer moved to photo `index` of its list. */
  viewerMoved(index: number): void {
    const viewer = this.viewer;
    if (!viewer) return;
    const photoId = this.viewerSource.at(index)?.id ?? viewer.photoId;
    // Only a real move is written: the viewer reports from an effect that reads its list.
    if (index !== viewer.index || photoId !== viewer.photoId) this.viewer = { ...viewer, index, photoId };
  }

  closeViewer(): void {
    this.#moves++;
    this.viewer = null;
  }

  #current(): Route {
    if (this.sorting) return { view: 'sorting' };
    const shown = this.viewer?.photoId ?? null;
    const photo = shown === null ? {} : { photo: shown };
    const view = this.search.view;
    if (view.kind === 'search') return { view: 'search', query: view.query, ...photo };
    if (view.kind === 'similar') return { view: 'similar', to: view.photo.id, ...photo };
    return { view: 'library', ...photo };
  }

  /** Whether the main area shows `route`'s view (the viewer aside). */
  #shows(route: Route): boolean {
    const view = this.search.view;
    switch (route.view) {
      case 'library':
        return !this.sorting && view.kind === 'library';
      case 'search':
        return !this.sorting && view.kind === 'search' && view.query === route.query;
      case 'similar':
        return !this.sorting && view.kind === 'similar' && view.photo.id === route.to;
      case 'sorting':
        return this.sorting;
    }
  }

  #apply(route: Route): void {
    if (!this.#shows(route)) {
      this.sorting = route.view === 'sorting';
      if (route.view === 'library') this.search.showLibrary();
      else if (route.view === 'search') this.search.searchText(route.query, 0);
      else if (route.view === 'similar') this.search.findSimilar({ id: route.to });
    }
    const photo = route.view === 'sorting' ? undefined : route.photo;
    if (photo === undefined) this.closeViewer();
    else if (photo !== this.viewer?.photoId) void this.#openLinked(photo, route);
  }

  /**
   * Opens photo `id` of a link to `route`: in that view's list once its results are here (so the
   * viewer steps through them), else on its own (far down the list, or gone from it). Nothing
   * opens if the user has moved on meanwhile.
   */
  async #openLinked(id: number, route: Route): Promise<void> {
    const move = ++this.#moves;
    const end = Date.now() + WAIT_FOR_LIST_MS;
    while (!(this.#shows(route) && this.grid().ready) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    if (move !== this.#moves) return;
    if (this.#shows(route)) {
      const list = this.grid();
      for (let i = 0; i < Math.min(list.count, LOOK_AT); i++) {
        const item = await list.get(i);
        if (move !== this.#moves || list !== this.grid()) return;
        if (item?.id === id) return this.openViewer(i);
      }
    }
    try {
      const photo = await this.client.call('photos.get', { id });
      if (move === this.#moves) this.openViewer(0, new ListSource([gridItemOf(photo)]));
    } catch (err) {
      this.report(err);
    }
  }
}

/** What the grid and viewer show of a photo's full record (photos.get). */
function gridItemOf(p: { id: number; rootId: number; path: string; relPath: string; width: number | null; height: number | null; takenAt: number | null; thumbPath: string | null }): GridItem {
  return { id: p.id, rootId: p.rootId, path: p.path, relPath: p.relPath, width: p.width, height: p.height, takenAt: p.takenAt, hasThumbnail: p.thumbPath !== null };
}
