// Keeps the URL's hash and the interface in step (lib/util/route.ts says what a hash means):
// the place shown is written into the hash as it changes, and a hash that changes under it (Back,
// Forward, a reload, a pasted link) is applied to the interface. Browser history gets an entry
// per place (a view, the viewer opening), not per keystroke.
import { untrack } from 'svelte';
import { formatRoute, isNewPlace, isRouteHash, parseRoute, type Route } from '../util/route.js';

/**
 * How long a route being applied may take to show (a search's results arriving) before the
 * interface's own place wins (the route could not be shown: a photo deleted since).
 */
const APPLY_TIMEOUT_MS = 5000;

export class Router {
  /** The route last written or applied. */
  #last: Route = { view: 'library' };
  /** While a route from the URL is being applied (results load), its hash: writes wait for it. */
  #applying: string | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Nothing is written before start() has read the URL (the effect runs first, with the default place). */
  #started = false;

  /**
   * Create it while a component initialises. `read` gives the place the interface shows (read
   * reactively); `apply` starts moving the interface to a route, which is reached once `read`
   * gives it.
   */
  constructor(
    private readonly read: () => Route,
    private readonly apply: (route: Route) => void,
  ) {
    $effect(() => {
      const route = this.read();
      untrack(() => {
        if (this.#started) this.#write(route, false);
      });
    });
  }

  /** Applies the URL's route (a reload or a link) and follows Back/Forward until the returned function is called. */
  start(): () => void {
    // A hash that is no route (an in-page anchor such as #photos) moves nothing.
    const onPop = (): void => {
      if (isRouteHash(location.hash)) this.#follow();
    };
    window.addEventListener('popstate', onPop);
    this.#started = true;
    if (parseRoute(location.hash).view !== 'library' || location.hash.includes('photo=')) this.#follow();
    else this.#write(untrack(() => this.read()), true);
    return () => {
      this.#started = false;
      window.removeEventListener('popstate', onPop);
      clearTimeout(this.#timer);
    };
  }

  #follow(): void {
    const target = parseRoute(location.hash);
    const hash = formatRoute(target);
    this.#applying = hash;
    this.#last = target;
    clearTimeout(this.#timer);
    const settle = (): void => {
      if (this.#applying !== hash) return; // a newer route is being applied
      this.#applying = null;
      clearTimeout(this.#timer);
      // Whatever the interface shows now is the truth (the route may have failed: a deleted photo).
      this.#write(untrack(() => this.read()), true);
    };
    this.#timer = setTimeout(settle, APPLY_TIMEOUT_MS);
    this.apply(target);
  }

  #write(route: Route, replace: boolean): void {
    const hash = formatRoute(route);
    if (this.#applying !== null) {
      if (hash !== this.#applying) return; // still on the way there
      this.#applying = null;
      clearTimeout(this.#timer);
    }
    if (hash !== location.hash) {
      // The query string (browser mode's token) stays as it is.
      const url = `${location.pathname}${location.search}${hash}`;
      if (replace || !isNewPlace(this.#last, route)) history.replaceState(history.state, '', url);
      else history.pushState(null, '', url);
    }
    this.#last = route;
  }
}

/**
 * Alt+← / Alt+→ and a mouse's back and forward buttons move through history, as in a browser:
 * for Electron's window, which has no such keys of its own (a browser has them already, and a
 * second listener would move twice). Returns the function that stops listening.
 */
export function listenForHistoryKeys(): () => void {
  const onKey = (event: KeyboardEvent): void => {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.key === 'ArrowLeft') history.back();
    else if (event.key === 'ArrowRight') history.forward();
    else return;
    event.preventDefault();
  };
  // Buttons 3 and 4 are the "back" and "forward" side buttons.
  const onMouse = (event: MouseEvent): void => {
    if (event.button === 3) history.back();
    else if (event.button === 4) history.forward();
  };
  window.addEventListener('keydown', onKey);
  window.addEventListener('mouseup', onMouse);
  return () => {
    window.removeEventListener('keydown', onKey);
    window.removeEventListener('mouseup', onMouse);
  };
}
