// The grid with 100 000 photos: only the visible rows are in the DOM, the keyboard reaches the
// last photo, and pages load on demand. The library rows are written straight into the store
// (test/support/large-library.ts: indexing 100 000 images would take an hour here).
// Timings are printed as diagnostics, not asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeLargeLibrary } from '../support/large-library.js';
import { tempDir } from '../support/temp-dir.js';
import { skipReason, startApp } from './support.js';

const PHOTOS = 100_000;

const skip = skipReason();

test('a 100 000-photo library: virtualised grid, keyboard to the end', { skip: skip ?? false, timeout: 180_000 }, async (t) => {
  const { dataDir } = await writeLargeLibrary(await tempDir(t, 'shoebox-e2e-large-'), { photos: PHOTOS });
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
  assert.equal(await grid.getAttribute('aria-rowcount'), String(Math.ceil(PHOTOS / Number(await grid.getAttribute('aria-colcount')))));
  await shot('12-large-top');

  // The keyboard reaches the last photo; its page loads on demand; the DOM stays small.
  await grid.focus();
  const pressed = Date.now();
  await page.keyboard.press('End');
  const last = page.locator(`#photo-cell-${PHOTOS - 1}[data-photo-id]`);
  await last.waitFor();
  t.diagnostic(`End key to the last photo shown: ${Date.now() - pressed} ms`);
  assert.equal(await grid.getAttribute('aria-activedescendant'), `photo-cell-${PHOTOS - 1}`);
  assert.ok((await cells.count()) < 300);
  await page.keyboard.press('PageUp');
  await page.keyboard.press('ArrowLeft');
  const active = await grid.getAttribute('aria-activedescendant');
  await page.locator(`#${active}[data-photo-id] img`).waitFor();
  await shot('13-large-end');

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

  assert.deepEqual(await problems(), [], 'no CSP violations or console errors');
});
