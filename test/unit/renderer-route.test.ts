// The URL hash as the interface's address: what each hash means, that writing and reading a
// route gives it back, and which moves get their own history entry (so Back does what a user expects).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRoute, isNewPlace, isRouteHash, parseRoute, type Route } from '../../renderer/src/lib/util/route.js';

test('each hash names its view, with the photo open in the viewer', () => {
  assert.deepEqual(parseRoute(''), { view: 'library' });
  assert.deepEqual(parseRoute('#/'), { view: 'library' });
  assert.deepEqual(parseRoute('#/?photo=7'), { view: 'library', photo: 7 });
  assert.deepEqual(parseRoute('#/search?q=dog+on+a+beach'), { view: 'search', query: 'dog on a beach' });
  assert.deepEqual(parseRoute('#/search?q=sea&photo=12'), { view: 'search', query: 'sea', photo: 12 });
  assert.deepEqual(parseRoute('#/similar/42'), { view: 'similar', to: 42 });
  assert.deepEqual(parseRoute('#/similar/42?photo=3'), { view: 'similar', to: 42, photo: 3 });
  assert.deepEqual(parseRoute('#/sorting'), { view: 'sorting' });
});

test('a stale or hand-typed hash falls back to the library rather than failing', () => {
  for (const hash of ['#/nowhere', '#/similar/', '#/similar/abc', '#/similar/-1', '#/similar/0', '#/search', '#/search?q=%20%20', '#garbage']) {
    assert.equal(parseRoute(hash).view, 'library', hash);
  }
  assert.equal(parseRoute('#/?photo=1e3').view, 'library');
  assert.equal('photo' in parseRoute('#/?photo=1e3'), false, 'a photo id must be a plain integer');
  assert.equal('photo' in parseRoute('#/?photo=99999999999999999999'), false, 'beyond a safe integer');
});

test('writing a route and reading it back gives the same route, odd query text included', () => {
  const routes: Route[] = [
    { view: 'library' },
    { view: 'library', photo: 5 },
    { view: 'search', query: 'beach + sunset - people' },
    { view: 'search', query: '2:dog & "cat" ?photo=1 #x', photo: 9 },
    { view: 'search', query: 'Été à la plage 🌅' },
    { view: 'similar', to: 42 },
    { view: 'similar', to: 42, photo: 43 },
    { view: 'sorting' },
  ];
  for (const route of routes) {
    const hash = formatRoute(route);
    assert.match(hash, /^#\//);
    assert.deepEqual(parseRoute(hash), route, hash);
  }
});

test('a new view or the viewer opening is a new history entry; typing and stepping are not', () => {
  const library: Route = { view: 'library' };
  const search = (query: string, photo?: number): Route => (photo === undefined ? { view: 'search', query } : { view: 'search', query, photo });
  assert.equal(isNewPlace(library, search('d')), true);
  assert.equal(isNewPlace(search('d'), search('do')), false, 'each keystroke replaces the entry');
  assert.equal(isNewPlace(search('dog'), search('dog', 4)), true, 'opening the viewer');
  assert.equal(isNewPlace(search('dog', 4), search('dog', 5)), false, 'the next photo in the viewer');
  assert.equal(isNewPlace(search('dog', 5), search('dog')), true, 'closing the viewer');
  assert.equal(isNewPlace({ view: 'similar', to: 1 }, { view: 'similar', to: 2 }), true);
  assert.equal(isNewPlace(search('dog'), { view: 'sorting' }), true);
});

test('an in-page anchor is not a place: only "#/…" (or no hash) is', () => {
  for (const hash of ['', '#', '#/', '#/search?q=x', '#/sorting']) assert.equal(isRouteHash(hash), true, hash);
  for (const hash of ['#photos', '#sort-photos', '#search']) assert.equal(isRouteHash(hash), false, hash);
});
