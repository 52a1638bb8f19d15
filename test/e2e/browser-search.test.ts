// Search results that know when nothing matches (the relevance floor, docs/SEARCH.md), in browser
// mode on a 300-photo demo library, from the keyboard: nonsense says "No good matches" and the
// weaker matches come on request; a real query heads its right photos with "Best N matches"; every
// photo, best first, loads on past the first 200 as the grid scrolls; a query that is too long is
// an error that looks like one and reads like a sentence; one still being typed ("beach +") is not.
// Screenshots: test-output/e2e/search-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeDemoLibrary, type DemoManifest } from '../../electron/core/synthetic/index.js';
import { tempDir } from '../support/temp-dir.js';
import { skipReason, startApp, until } from './support.js';

const skip = skipReason();
const PHOTOS = 300;
const FIRST_PAGE = 200; // what the app asks for first (results-source.svelte.ts)

interface Hit {
  id: number;
  strong: boolean;
}

test('browser mode: no good matches, weaker matches on request, best matches first, more on scroll, readable errors', { skip: skip ?? false, timeout: 300_000 }, async (t) => {
  const work = await tempDir(t, 'shoebox-e2e-search-');
  const library = path.join(work, 'Pictures');
  await writeDemoLibrary(library, { seed: 20261, count: PHOTOS });
  const manifest = JSON.parse(await readFile(path.join(library, 'manifest.json'), 'utf8')) as DemoManifest;
  const { server, page, problems, shot } = await startApp(t, path.join(work, 'data'));
  const api = server.api.bind(server);
  await api('roots.add', { path: library });
  const { jobId } = await api<{ jobId: number }>('index.start', {});
  assert.equal((await api<{ state: string }>('jobs.wait', { jobId })).state, 'done');
  const listed = await api<{ photos: { id: number; path: string }[] }>('photos.list', { offset: 0, limit: 1000 });
  const captionOf = new Map(manifest.files.map((f) => [path.join(library, f.path), f.caption ?? '']));
  const captionById = new Map(listed.photos.map((p) => [p.id, captionOf.get(p.path) ?? '']));
  assert.equal(captionById.size, PHOTOS);

  await page.goto(server.launchUrl);
  const input = page.getByTestId('search-input');
  const heading = page.locator('.view-head h1');
  const count = page.getByTestId('photo-count');
  const grid = page.getByTestId('photo-grid');
  const cellId = async (i: number): Promise<number> => Number(await page.locator(`#photo-cell-${i}[data-photo-id]`).getAttribute('data-photo-id'));
  const focused = (): Promise<unknown> => page.evaluate('document.activeElement && (document.activeElement.getAttribute("data-testid") || document.activeElement.getAttribute("role"))');
  /** Presses Tab until an element with one of `targets` (test id or role) has the focus: it must be reachable from the keyboard. */
  const tabTo = async (...targets: string[]): Promise<void> => {
    for (let i = 0; i < 30 && !targets.includes(String(await focused())); i++) await page.keyboard.press('Tab');
    assert.ok(targets.includes(String(await focused())), `${targets.join(' or ')} is reachable with Tab`);
  };
  const search = async (query: string): Promise<void> => {
    await page.locator('body').press('/');
    assert.equal(await focused(), 'search-input', '"/" focuses the search field');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(query, { delay: 15 });
    await heading.filter({ hasText: `Results for “${query}”` }).waitFor();
  };
  /** Waits until the first photos' thumbnails are drawn (for a screenshot that shows them). */
  const thumbsShown = (): Promise<void> =>
    until(
      async () => (await page.evaluate(`[...document.querySelectorAll('.cell img')].slice(0, 5).every((img) => img.complete && img.naturalWidth > 0)`)) === true,
      'the first thumbnails drawn',
    );
  await grid.waitFor();

  // 1. Nonsense finds no good match: said plainly, and the closest photos are one key press away.
  await search('zzzz');
  const none = page.getByRole('heading', { name: 'No good matches for “zzzz”' });
  await none.waitFor();
  assert.match((await count.textContent()) ?? '', /^\s*No good matches\s*$/);
  assert.equal(await grid.count(), 0, 'no grid of confident-looking results');
  await shot('search-01-no-good-matches');
  await tabTo('weaker-anyway');
  await page.keyboard.press('Enter');
  await page.locator('#photo-cell-0[data-photo-id]').waitFor();
  await count.filter({ hasText: `No good matches; the ${PHOTOS} closest photos` }).waitFor();
  const toggle = page.getByTestId('weaker-toggle');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  assert.equal((await toggle.textContent())?.trim(), 'Hide weaker matches');
  await thumbsShown();
  await shot('search-02-weaker-shown');
  await tabTo('weaker-toggle');
  await page.keyboard.press('Enter');
  await none.waitFor();

  // 2. A real query: its good matches first, right photos on top, in the API's order.
  const query = 'a red circle';
  await search(query);
  const strong = await api<{ hits: Hit[]; strong: number; total: number }>('search.text', { query, show: 'strong', limit: 8 });
  assert.ok(strong.strong > 0 && strong.strong < PHOTOS / 2, `"${query}" has some good matches, not the whole library (${strong.strong})`);
  await count.filter({ hasText: new RegExp(`^\\s*Best ${strong.strong} match(es)?\\s*$`) }).waitFor();
  const top = Math.min(4, strong.strong);
  const shown: number[] = [];
  for (let i = 0; i < top; i++) shown.push(await cellId(i));
  assert.deepEqual(shown, strong.hits.slice(0, top).map((h) => h.id), 'the grid shows the good matches in the API order');
  const right = shown.filter((id) => /\bred circles?\b/.test(captionById.get(id)!)).length;
  assert.ok(right >= Math.ceil(top / 2), `${right} of the top ${top} show a red circle: ${shown.map((id) => captionById.get(id)).join(' | ')}`);
  assert.ok(/\bred circles?\b/.test(captionById.get(shown[0]!)!), `the best match shows a red circle: ${captionById.get(shown[0]!)}`);
  assert.equal(await page.locator(`#photo-cell-${strong.strong}[data-photo-id]`).count(), 0, 'the weaker matches wait behind the control');
  await thumbsShown();
  await shot('search-03-best-matches');

  // 3. Every photo, best first: past the first page of 200, more load as the grid scrolls (End).
  await tabTo('weaker-toggle');
  await page.keyboard.press('Enter');
  await count.filter({ hasText: `(${PHOTOS} photos in all)` }).waitFor();
  await page.locator('#photo-cell-0[data-photo-id]').waitFor();
  await tabTo('photo-grid', 'gridcell');
  await page.keyboard.press('End');
  const last = page.locator(`#photo-cell-${PHOTOS - 1}[data-photo-id]`);
  await last.waitFor();
  const all = await api<{ hits: Hit[] }>('search.text', { query, show: 'all', limit: PHOTOS });
  assert.equal(await cellId(PHOTOS - 1), all.hits[PHOTOS - 1]!.id, 'the last photo is the API\'s last, loaded past the first page');
  assert.ok(PHOTOS - 1 >= FIRST_PAGE);
  assert.equal(await grid.getAttribute('aria-activedescendant'), `photo-cell-${PHOTOS - 1}`, 'End moved to the last photo');
  await until(
    async () => (await page.evaluate(`(() => { const img = document.querySelector('#photo-cell-${PHOTOS - 1} img'); return !!img && img.complete && img.naturalWidth > 0; })()`)) === true,
    'the last photo\'s thumbnail drawn',
  );
  await shot('search-04-scrolled-past-200');

  // 4. A query too long to search: an error in the error colour, announced, worded for a person.
  await page.locator('body').press('/');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText('sunset over the sea '.repeat(60));
  await page.keyboard.type('x');
  const error = page.getByTestId('search-error');
  await error.waitFor();
  assert.equal(await error.getAttribute('role'), 'alert');
  const text = ((await error.textContent()) ?? '').trim();
  assert.match(text, /^That search is too long \(at most 1000 characters; this one has 1201\)\.$/);
  assert.doesNotMatch(text, /Invalid input|search\.text|zod|too big/i);
  const colours = (await page.evaluate(`(() => {
    const error = document.querySelector('[data-testid=search-error]');
    const probe = document.createElement('span');
    probe.style.color = 'var(--error)';
    error.parentElement.append(probe);
    const out = { error: getComputedStyle(error).color, want: getComputedStyle(probe).color };
    probe.remove();
    return out;
  })()`)) as { error: string; want: string };
  assert.equal(colours.error, colours.want, 'the error is in the error colour');
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  await shot('search-05-too-long');

  // 5. "beach +" is a query still being typed: searched up to "beach", no error flashes.
  await page.keyboard.press('Control+A');
  await page.keyboard.type('beach +', { delay: 15 });
  await heading.filter({ hasText: 'Results for “beach”' }).waitFor();
  await page.waitForTimeout(300);
  assert.equal(await error.count(), 0, 'no error while the query is being typed');
  assert.equal(await input.getAttribute('aria-invalid'), null);
  await shot('search-06-still-typing');

  assert.deepEqual(await problems(), []);
});
