// The viewer in browser mode, in a 1920×1080 window, on the demo library, keyboard first: it fills
// the window, a double-click shows the original's own pixels (rendered size = natural size), keys
// zoom and pan, "I" hides the info panel (remembered), "S" runs a slideshow that Esc stops, "F"
// goes full screen (none of them also a window shortcut: Sorting, fine-tuning, thumbnail size),
// and originals deleted from disk or spoiled after indexing say so in words a
// person can act on. Screenshots: test-output/e2e/viewer-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../support/temp-dir.js';
import { skipReason, startApp, until } from './support.js';

const skip = skipReason();

interface Photo {
  id: number;
  path: string;
}

test('the viewer: full window, zoom and pan, info panel, slideshow, missing and unreadable originals', { skip: skip ?? false, timeout: 240_000 }, async (t) => {
  const work = await tempDir(t, 'shoebox-e2e-viewer-');
  const { server, page, problems, shot } = await startApp(t, path.join(work, 'data'));
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(server.launchUrl);
  await page.getByRole('heading', { name: 'Welcome to Shoebox' }).waitFor();
  // The demo library, smaller than the welcome button's, to keep the test short.
  const { jobId } = await server.api<{ jobId: number }>('library.addDemo', { count: 24 });
  assert.equal((await server.api<{ state: string }>('jobs.wait', { jobId })).state, 'done');
  const grid = page.getByTestId('photo-grid');
  await page.locator('[role=gridcell][data-photo-id] img').first().waitFor({ timeout: 60_000 });

  const viewer = page.getByTestId('viewer');
  const stage = viewer.getByTestId('viewer-stage');
  const title = viewer.locator('#viewer-title');
  const full = viewer.locator('img.stage-full');
  const zoom = async () => Number(await stage.getAttribute('data-zoom'));
  /** Where the photo's top-left corner is in the stage, from its translate(). */
  const offset = async () => {
    const m = /translate\((-?[\d.]+)px, (-?[\d.]+)px\)/.exec((await viewer.locator('.photo').getAttribute('style')) ?? '');
    assert.ok(m, 'the photo is placed with translate()');
    return { e: Number(m[1]), f: Number(m[2]) };
  };

  // 1. Keyboard only: into the grid, open the first photo. The viewer fills the window.
  await grid.focus();
  await page.keyboard.press('Enter');
  await viewer.waitFor();
  await full.waitFor();
  const box = (await viewer.boundingBox())!;
  assert.deepEqual([box.x, box.y, box.width, box.height], [0, 0, 1920, 1080], 'the viewer is the whole window');
  const fitted = await zoom();
  await shot('viewer-01-fit');

  // 2. "1" and a double-click show 100 %: one original pixel per screen pixel.
  await page.keyboard.press('1');
  assert.equal(await zoom(), 100);
  const sizes = async () => {
    const natural = (await page.evaluate(`(({ naturalWidth, naturalHeight }) => [naturalWidth, naturalHeight])(document.querySelector('img.stage-full'))`)) as number[];
    const box = (await full.boundingBox())!;
    return { natural, shown: [box.width, box.height] };
  };
  let s = await sizes();
  assert.deepEqual(s.shown.map(Math.round), s.natural, `rendered ${s.shown} for natural ${s.natural}`);
  await page.keyboard.press('0');
  assert.equal(await zoom(), fitted, '"0" fits again');
  await stage.dblclick({ position: { x: 300, y: 300 } });
  assert.equal(await zoom(), 100, 'double-click: 100 %');
  s = await sizes();
  assert.deepEqual(s.shown.map(Math.round), s.natural);
  await shot('viewer-02-actual-pixels');
  await stage.dblclick();
  assert.equal(await zoom(), fitted, 'double-click again: fit');

  // The viewer's keys are the viewer's only, wherever the focus is: on the dialog after the
  // double-clicks, and on <body> once a nav button that was clicked turns disabled (← on the first
  // photo). "+" zooms the photo, not the grid's thumbnails; "S" and "F" do not also open Sorting or
  // fine-tuning; "?" opens no sheet over the viewer.
  await viewer.getByRole('button', { name: 'Next photo (→)' }).click();
  await viewer.locator('.muted', { hasText: /^2 of / }).waitFor();
  await viewer.getByRole('button', { name: 'Previous photo (←)' }).click();
  await viewer.locator('.muted', { hasText: /^1 of / }).waitFor();
  await full.waitFor();
  assert.equal(await page.evaluate('document.activeElement === document.body'), true, 'the disabled button dropped the focus to <body>');
  const thumbSize = page.getByTestId('thumb-size');
  const thumbsBefore = await thumbSize.inputValue();
  await page.keyboard.press('+');
  assert.ok((await zoom()) > fitted, '"+" zooms in');
  await page.keyboard.press('-');
  await page.keyboard.press('+');
  assert.equal(await thumbSize.inputValue(), thumbsBefore, '"+" and "-" leave the thumbnail size alone');
  await page.keyboard.press('0');
  await page.keyboard.press('s');
  await viewer.getByTestId('slideshow-toggle').filter({ hasText: 'Stop slideshow' }).waitFor();
  await page.keyboard.press('s');
  await page.keyboard.press('f');
  await until(() => page.evaluate('document.fullscreenElement !== null').then(Boolean), 'full screen');
  await page.keyboard.press('f');
  await until(() => page.evaluate('document.fullscreenElement === null').then(Boolean), 'leaving full screen');
  await page.keyboard.press('?');
  assert.equal(await page.getByTestId('sorting-view').count(), 0, '"S" ran the slideshow only');
  assert.equal(await page.getByTestId('finetune-panel').count(), 0, '"F" went full screen only');
  assert.equal(await page.getByTestId('shortcut-sheet').count(), 0, '"?" opens no sheet over the viewer');
  assert.equal(await viewer.getByTestId('slideshow-toggle').getAttribute('aria-pressed'), 'false', 'the second "S" stopped the slideshow');

  // 3. Zoomed in, arrows pan (the photo stays); at fit, → goes to the next photo.
  const first = await title.textContent();
  await page.keyboard.press('1');
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  assert.equal(await zoom(), 156);
  const before = await offset();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  const after = await offset();
  assert.ok(after.e < before.e && after.f < before.f, `panned from (${before.e}, ${before.f}) to (${after.e}, ${after.f})`);
  assert.equal(await title.textContent(), first, 'arrows pan while zoomed in, they do not change photo');
  await shot('viewer-03-zoomed-panned');
  await page.keyboard.press('0');
  await page.keyboard.press('ArrowRight');
  await viewer.locator('.muted', { hasText: /^2 of / }).waitFor();

  // 4. "I" hides the info panel, the photo takes the room, and the choice is remembered.
  const info = viewer.getByTestId('viewer-info');
  await info.waitFor();
  const narrow = (await stage.boundingBox())!.width;
  await page.keyboard.press('i');
  await info.waitFor({ state: 'detached' });
  const wide = (await stage.boundingBox())!;
  assert.ok(wide.width > narrow + 250, 'the stage grows into the panel’s room');
  const shown = (await viewer.locator('.photo').boundingBox())!;
  assert.ok(Math.abs(shown.x + shown.width / 2 - (wide.x + wide.width / 2)) < 1, 'and the fitted photo is centred in it');
  await shot('viewer-04-no-info');
  await page.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(`document.activeElement?.getAttribute('data-testid')`), 'photo-grid', 'focus goes back to the grid');
  await page.keyboard.press('Enter');
  await viewer.waitFor();
  assert.equal(await info.count(), 0, 'still hidden when the viewer opens again');
  await page.keyboard.press('i');
  await info.waitFor();

  // 5. "S" runs the slideshow: the next photo comes by itself; Esc stops it and the viewer stays.
  const position = async () => (await viewer.locator('.muted', { hasText: / of / }).textContent())!;
  const start = await position();
  await page.keyboard.press('s');
  await viewer.getByTestId('slideshow-toggle').filter({ hasText: 'Stop slideshow' }).waitFor();
  await viewer.locator('.muted', { hasText: / of / }).filter({ hasNotText: start }).waitFor({ timeout: 8000 });
  await shot('viewer-05-slideshow');
  await page.keyboard.press('Escape');
  await viewer.getByTestId('slideshow-toggle').filter({ hasText: /^\s*Slideshow\s*$/ }).waitFor();
  assert.ok(await viewer.isVisible(), 'the first Esc stops the slideshow only');

  // 6. "F": full screen (the Fullscreen API), and back.
  await page.keyboard.press('f');
  await until(() => page.evaluate('document.fullscreenElement !== null').then(Boolean), 'full screen');
  const inFull = (await viewer.boundingBox())!;
  assert.deepEqual([inFull.width, inFull.height], [1920, 1080]);
  await page.keyboard.press('f');
  await until(() => page.evaluate('document.fullscreenElement === null').then(Boolean), 'leaving full screen');
  await page.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached' });

  // 7. Originals changed on disk after indexing: one deleted, one overwritten with text (photos
  // not shown yet: the page keeps the pictures it has shown in memory, as any browser does).
  const ids = (await page.locator('[role=gridcell][data-photo-id]').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-photo-id'))))).slice(-2);
  const [gone, spoiled] = await Promise.all(ids.map((id) => server.api<Photo>('photos.get', { id })));
  await unlink(gone!.path);
  await writeFile(spoiled!.path, 'Not a photo: a note saved with a photo’s name.\n');

  // A double-click opens a photo (a click selects it).
  await page.locator(`[role=gridcell][data-photo-id="${gone!.id}"]`).dblclick();
  const notice = viewer.getByTestId('original-notice');
  await notice.waitFor();
  assert.equal(await notice.getAttribute('data-problem'), 'missing');
  assert.match((await notice.textContent())!.replace(/\s+/g, ' '), new RegExp(`This photo's file is missing: ${gone!.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\. It may have been moved or deleted\\.`));
  assert.match((await notice.textContent())!, /Rescan library/, 'says what to do');
  assert.equal(await viewer.locator('img.stage-preview').count(), 1, 'the preview stays');
  await shot('viewer-06-missing');
  await page.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached' });

  await page.locator(`[role=gridcell][data-photo-id="${spoiled!.id}"]`).dblclick();
  await notice.waitFor();
  assert.equal(await notice.getAttribute('data-problem'), 'unreadable');
  assert.match((await notice.textContent())!.replace(/\s+/g, ' '), /This photo's file cannot be read: .+ \(not an image file \(looks like text\)\)/);
  assert.doesNotMatch((await viewer.textContent())!, /This browser cannot show/);
  await shot('viewer-07-unreadable');

  // The two failed loads are the only console complaints: the browser logs a failed image itself.
  const unexpected = (await problems()).filter((p) => !/Failed to load resource: the server responded with a status of 404|EncodingError|decod/i.test(p));
  assert.deepEqual(unexpected, []);
});
