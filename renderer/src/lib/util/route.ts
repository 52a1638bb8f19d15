// Where the interface is, written into the URL's hash so that Back/Forward and reload work in
// browser mode and in Electron alike (the page's query string holds browser mode's token and is
// never touched). Pure functions: parse a hash into a Route, write a Route as a hash.
//
//   #/                        the library
//   #/search?q=dog+on+a+beach a search
//   #/similar/42              the photos like photo 42
//   #/sorting                 the Sorting view
//   …&photo=7                 with photo 7 open in the viewer (library, search, similar)

export type Route =
  | { view: 'library'; photo?: number }
  | { view: 'search'; query: string; photo?: number }
  | { view: 'similar'; to: number; photo?: number }
  | { view: 'sorting' };

const LIBRARY: Route = { view: 'library' };

/** A photo id as the URL may hold it: a positive integer, else undefined. */
function photoId(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined || !/^[1-9]\d{0,15}$/.test(text)) return undefined;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : undefined;
}

function withPhoto<R extends Route>(route: R, photo: number | undefined): R {
  return photo === undefined ? route : { ...route, photo };
}

/** Whether a hash is one of the interface's places ("#/…", or none) rather than an in-page anchor. */
export function isRouteHash(hash: string): boolean {
  return hash === '' || hash === '#' || hash.startsWith('#/');
}

/** The route a hash names; anything unreadable is the library (a stale or hand-typed link). */
export function parseRoute(hash: string): Route {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const [pathPart = '', queryPart = ''] = text.split('?', 2);
  const segments = pathPart.split('/').filter((s) => s !== '');
  const params = new URLSearchParams(queryPart);
  const photo = photoId(params.get('photo'));
  switch (segments[0]) {
    case undefined:
    case 'library':
      return withPhoto({ view: 'library' }, photo);
    case 'search': {
      const query = params.get('q') ?? '';
      return query.trim() === '' ? withPhoto({ view: 'library' }, photo) : withPhoto({ view: 'search', query }, photo);
    }
    case 'similar': {
      const to = photoId(segments[1]);
      return to === undefined ? LIBRARY : withPhoto({ view: 'similar', to }, photo);
    }
    case 'sorting':
      return { view: 'sorting' };
    default:
      return LIBRARY;
  }
}

/** The hash for `route` (always starting "#/"). */
export function formatRoute(route: Route): string {
  const params = new URLSearchParams();
  let path: string;
  switch (route.view) {
    case 'library':
      path = '/';
      break;
    case 'search':
      path = '/search';
      params.set('q', route.query);
      break;
    case 'similar':
      path = `/similar/${route.to}`;
      break;
    case 'sorting':
      return '#/sorting';
  }
  if (route.photo !== undefined) params.set('photo', String(route.photo));
  const query = params.toString();
  return `#${path}${query === '' ? '' : `?${query}`}`;
}

/**
 * Whether going from `from` to `to` deserves its own history entry (Back returns to `from`):
 * another view, another "similar" photo, or the viewer opening or closing. Typing in the search
 * field and stepping through photos in the viewer replace the entry instead, so that Back does
 * not replay every keystroke or every photo seen.
 */
export function isNewPlace(from: Route, to: Route): boolean {
  if (from.view !== to.view) return true;
  if (from.view === 'similar' && to.view === 'similar' && from.to !== to.to) return true;
  const fromPhoto = 'photo' in from ? from.photo : undefined;
  const toPhoto = 'photo' in to ? to.photo : undefined;
  return (fromPhoto === undefined) !== (toPhoto === undefined);
}
