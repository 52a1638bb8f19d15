// The grid with 100 000 photos over ten years (every 100th undated): only the visible rows and date
// headers are in the DOM, the pinned header names the month at the top, the scrubber jumps to a
// year (pointer and keyboard), the keyboard reaches the last photo (the undated group), pages load
// on demand, and the sort order and thumbnail size change the grid. The library rows are written
// straight into the store (test/support/large-library.ts: indexing 100 000 images would take an
// hour here). Timings are printed as diagnostics, not asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeLargeLibrary } from '../support/large-library.js';
import { tempDir } from '../support/temp-dir.js';
import { skipReason, startApp } from './support.js';

const PHOTOS = 100_000;

const skip = skipReason();

test('a 100 000-photo library: virtualised timeline grid, scrubber, keyboard to the end, sort order and size', { skip: skip ?? false, timeout: 240_000 }, async (t) => {
  const { dataDir } = await writeLargeLibrary(await tempDir(t, 'shoebox-e2e-large-'), { photos: PHOTOS, timeline: true });
  const { server, page, problems, shot } = await startApp(t, dataDir);
  const grid = page.getByTestId('photo-grid');
  const cells = grid.locator('[role=gridcell]');

  const opened = Date.now();
  await page.goto(server.launchUrl);
  // Polled from here: waitForFunction would evaluate its predicate with eval, which the CSP forbids.
  const thumbShown = 'Array.from(document.querySelectorAll(".cell img")).some((img) => img.complete && img.naturalWidth > 0)';
  while (!(await page.evaluate(thumbShown))) await new Promise((r) => setTimeout(r, 20));
  t.diagnostic(`server start ${server.startMs} ms (tsx compiles on the fly); page load to first thumbnails ${Date.now() - opened} ms`);
  await page.getByTestId('photo-count').filter({ hasText: /100,000 photos/ }).waitFor();
  const inDom = await cells.count();
  assert.ok(inDom > 0 && inDom < 300, `${inDom} cells in the DOM for ${PHOTOS} photos`);
  // Date headers: the newest month and day first, only those on screen in the DOM.
  const headers = page.getByTestId('date-header');
  const headerCount = await headers.count();
  assert.ok(headerCount > 0 && headerCount < 40, `${headerCount} date headers in the DOM`);
  assert.match((await headers.first().textContent()) ?? '', /December 2024\s*Tue, Dec 31/);
  await shot('12-large-top');

  /** The month and year of the first photo wholly below the pinned header, read from its text alternative. */
  const monthAtTop = (): Promise<string> =>
    page.evaluate(`(() => {
      const grid = document.querySelector('[data-testid=photo-grid]');
      const top = grid.getBoundingClientRect().top + 46;
      const cell = Array.from(grid.querySelectorAll('.cell img')).find((img) => img.getBoundingClientRect().top >= top);
      const date = new Date(cell.alt.split(', ').slice(1).join(', '));
      return new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' }).format(date);
    })()`) as Promise<string>;

  // Scrolled into the middle, the pinned header names the month of the photos under it.
  await grid.evaluate((el) => (el.scrollTop = el.scrollHeight * 0.37));
  const pinned = page.getByTestId('pinned-month');
  await pinned.waitFor();
  const thumbsAt = 'Array.from(document.querySelectorAll(".cell img")).filter((img) => img.complete && img.naturalWidth > 0).length > 4';
  const thumbsShown = async (): Promise<void> => {
    while (!(await page.evaluate(thumbsAt))) await new Promise((r) => setTimeout(r, 20));
  };
  await thumbsShown();
  assert.equal(await pinned.textContent(), await monthAtTop(), 'the pinned header reads the month at the top');

  // The scrubber: a click on a year's label lands on that year's newest photos.
  const scrubber = page.getByTestId('scrubber');
  const years = (await page.getByTestId('scrubber-year').allTextContents()).map(Number);
  assert.deepEqual(years.filter((y) => y > 0).slice(0, 3), [2024, 2023, 2022], `year labels ${years.join(', ')}`);
  const jumped = Date.now();
  await page.getByTestId('scrubber-year').filter({ hasText: /^2018$/ }).click();
  await pinned.filter({ hasText: 'December 2018' }).waitFor();
  await thumbsShown();
  t.diagnostic(`scrubber click on 2018 to its thumbnails shown: ${Date.now() - jumped} ms`);
  assert.equal(await monthAtTop(), 'December 2018');
  assert.equal(await scrubber.getAttribute('aria-valuetext'), 'December 2018');
  await shot('13-large-scrubber-2018');

  // The scrubber from the keyboard: next year down, then the newest month.
  await scrubber.focus();
  await page.keyboard.press('PageDown');
  await pinned.filter({ hasText: 'December 2017' }).waitFor();
  await page.keyboard.press('ArrowDown');
  await pinned.filter({ hasText: 'November 2017' }).waitFor();
  await page.keyboard.press('Home');
  assert.equal(await grid.evaluate((el) => el.scrollTop), 0);
  await page.getByTestId('scrubber').and(page.locator('[aria-valuetext="December 2024"]')).waitFor();

  // The keyboard reaches the last photo; its page loads on demand; the DOM stays small.
  await grid.focus();
  const pressed = Date.now();
  await page.keyboard.press('End');
  const last = page.locator(`#photo-cell-${PHOTOS - 1}[data-photo-id]`);
  await last.waitFor();
  t.diagnostic(`End key to the last photo shown: ${Date.now() - pressed} ms`);
  assert.equal(await grid.getAttribute('aria-activedescendant'), `photo-cell-${PHOTOS - 1}`);
  assert.ok((await cells.count()) < 300);
  // The last photo is in the undated group, under its own header, last.
  assert.match((await last.locator('img').getAttribute('alt')) ?? '', /no date$/);
  assert.equal(await pinned.textContent(), 'No date');
  assert.equal(await page.getByTestId('scrubber').getAttribute('aria-valuetext'), 'No date');
  await page.keyboard.press('PageUp');
  await page.keyboard.press('ArrowLeft');
  const active = await grid.getAttribute('aria-activedescendant');
  await page.locator(`#${active}[data-photo-id] img`).waitFor();
  await shot('14-large-end');

  // Scroll through the middle frame by frame and report the frame times.
  const frames = (await page.evaluate(`new Promise((resolve) => {
    const el = document.querySelector('[data-testid=photo-grid]');
    el.scrollTop = el.scrollHeight / 3;
    const times = [];
    let last = performance.now();
    let n = 0;
    const step = () => {
      const now = performance.now();
      times.push(now - last);
      last = now;
      el.scrollTop += 600;
      if (++n < 120) requestAnimationFrame(step); else resolve(times.slice(1));
    };
    requestAnimationFrame(step);
  })`)) as number[];
  const sorted = [...frames].sort((a, b) => a - b);
  t.diagnostic(`scrolling 600 px per frame: median frame ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)]!.toFixed(1)} ms`);
  assert.ok((await cells.count()) < 300);

  // Sort by name: no date headers, one list in file-name order.
  await page.getByTestId('sort-order').selectOption('name');
  await page.locator('#photo-cell-0[data-photo-id]').waitFor();
  assert.equal(await headers.count(), 0);
  assert.equal(await page.getByTestId('scrubber').count(), 0);
  assert.match((await page.locator('#photo-cell-0 img').getAttribute('alt')) ?? '', /^IMG_000000\.jpg/);
  assert.match((await page.locator('#photo-cell-1 img').getAttribute('alt')) ?? '', /^IMG_000001\.jpg/);
  assert.equal(await grid.getAttribute('aria-rowcount'), String(Math.ceil(PHOTOS / Number(await grid.getAttribute('aria-colcount')))));

  // Thumbnail size: "+" makes them bigger (fewer columns), remembered after a reload with the order.
  const columnsBefore = Number(await grid.getAttribute('aria-colcount'));
  await grid.focus();
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  const columnsAfter = Number(await grid.getAttribute('aria-colcount'));
  assert.ok(columnsAfter < columnsBefore, `${columnsBefore} columns, then ${columnsAfter}`);
  assert.equal(await page.getByTestId('thumb-size').inputValue(), '264');
  await shot('15-large-name-bigger');
  await page.reload();
  await page.locator('#photo-cell-0[data-photo-id]').waitFor();
  assert.equal(await page.getByTestId('sort-order').inputValue(), 'name');
  assert.equal(Number(await grid.getAttribute('aria-colcount')), columnsAfter);
  // Back to date taken; "-" three times restores the size.
  await page.getByTestId('sort-order').selectOption('taken');
  await headers.first().waitFor();
  await grid.focus();
  for (let k = 0; k < 3; k++) await page.keyboard.press('-');
  assert.equal(Number(await grid.getAttribute('aria-colcount')), columnsBefore);

  assert.deepEqual(await problems(), [], 'no CSP violations or console errors');
});
