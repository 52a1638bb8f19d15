// The Sorting view in browser mode, as a person uses it: open it with "S", type categories of the
// demo library's shapes (the live preview counts what each would take), see the photos sorted with
// their counts and the distribution, move one photo by drag and drop onto another category's tab
// and one with the keyboard (checked in the UI and through the API: the correction is stored),
// select with Shift+arrows and Ctrl+A, open the move menu, then export the sorting (copy) into a
// folder after its preview, find the files on disk, and undo the export. Screenshots go to
// test-output/e2e/ (and /tmp/shots/ when that folder exists).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { tempDir } from '../support/temp-dir.js';
import { SHOTS, skipReason, startApp, until } from './support.js';

const skip = skipReason();
const EXTRA_SHOTS = '/tmp/shots';

interface Summary {
  categories: { id: number; name: string; count: number; corrected: number }[];
  unsorted: number;
  review: number;
  total: number;
}
interface Placed {
  total: number;
  photos: { id: number; relPath: string; score: number; corrected: boolean }[];
}

/** The count on a tab, as shown. */
async function tabCount(page: Page, name: string): Promise<number> {
  const text = await page.getByRole('tab', { name: new RegExp(`^\\d?\\s*${name}\\b`) }).getByTestId('sort-tab-count').textContent();
  return Number((text ?? '').replace(/[^\d]/g, ''));
}

test('browser mode: the sorting view sorts into typed categories, takes corrections by drag and drop and keyboard', { skip: skip ?? false, timeout: 240_000 }, async (t) => {
  const work = await tempDir(t, 'shoebox-e2e-sorting-');
  const { server, page, problems, shot: baseShot } = await startApp(t, path.join(work, 'data'));
  const shot = async (name: string): Promise<void> => {
    await baseShot(name);
    if (existsSync(EXTRA_SHOTS)) await copyFile(path.join(SHOTS, `${name}.png`), path.join(EXTRA_SHOTS, `${name}.png`));
  };
  const api = server.api.bind(server);

  const { jobId } = await api<{ jobId: number }>('library.addDemo', { count: 120 });
  await api('jobs.wait', { jobId });

  await page.goto(server.launchUrl);
  await page.getByTestId('photo-grid').waitFor();
  // "S" opens the Sorting view; with no categories yet, the form to type one has the focus.
  await page.keyboard.press('s');
  const view = page.getByTestId('sorting-view');
  await view.waitFor();
  assert.equal(await page.getByTestId('open-sorting').getAttribute('aria-current'), 'page');
  const name = page.getByTestId('category-name');
  await name.waitFor();
  assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'category-name');

  // Typing shows the live preview: how many photos the category would take.
  await page.keyboard.type('star');
  const previewCount = page.getByTestId('category-preview').getByTestId('category-preview-count');
  await page.getByTestId('category-preview').filter({ hasText: /“star” would take \d+ photos?/ }).waitFor();
  const starPreview = Number(((await previewCount.textContent()) ?? '').replace(/[^\d]/g, ''));
  assert.ok(starPreview > 0, `the preview of "star" takes ${starPreview} photos`);
  await shot('30-sorting-preview');
  await page.keyboard.press('Enter');
  // The form stays open for the next one.
  await page.getByRole('tab', { name: /star/ }).waitFor();
  await until(async () => (await page.evaluate('document.getElementById("category-name")?.value')) === '', 'the name field emptied');
  for (const next of ['circle', 'heart']) {
    await name.fill(next);
    await page.getByTestId('category-preview').filter({ hasText: new RegExp(`“${next}” would take`) }).waitFor();
    await page.getByTestId('category-save').click();
    await page.getByRole('tab', { name: new RegExp(next) }).waitFor();
  }

  const categories = await api<{ id: number; name: string }[]>('categories.list', {});
  assert.deepEqual(categories.map((c) => c.name), ['star', 'circle', 'heart']);
  const idOf = (n: string) => categories.find((c) => c.name === n)!.id;

  // Sorted: the tabs' counts are the summary's, and the distribution is drawn.
  let summary = await api<Summary>('sort.summary', {});
  await until(
    async () => (await page.evaluate(`document.querySelector('[data-testid=sort-tab][data-place=unsorted] [data-testid=sort-tab-count]')?.textContent`)) === String(summary.unsorted),
    'the Unsorted tab to show the new count',
  );
  for (const c of summary.categories) assert.equal(await tabCount(page, c.name), c.count, `the count of ${c.name}`);
  assert.ok(summary.categories.every((c) => c.count > 0), 'every shape category took photos');
  const chart = page.getByTestId('sort-chart').locator('svg[role=img]');
  assert.match((await chart.getAttribute('aria-label')) ?? '', /star \d+, circle \d+, heart \d+, Unsorted \d+/);
  assert.equal(await page.getByTestId('sort-chart').locator('rect.bar').count(), 4);

  // The star tab: photos surest first, each with its confidence.
  await page.getByRole('tab', { name: /star/ }).click();
  const grid = page.getByTestId('sort-grid');
  await grid.getByTestId('sort-photo').first().waitFor();
  const starPhotos = await api<Placed>('sort.photos', { place: idOf('star'), offset: 0, limit: 1000 });
  assert.equal(await grid.getAttribute('aria-label'), 'Photos in star, surest first');
  const firstId = Number(await grid.getByTestId('sort-photo').first().getAttribute('data-photo-id'));
  assert.equal(firstId, starPhotos.photos[0]!.id, 'the surest photo comes first');
  const scores = starPhotos.photos.map((p) => p.score);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'ordered by confidence');
  assert.match((await grid.getByTestId('sort-photo').first().textContent()) ?? '', /\d+ %/);
  await shot('31-sorting-star');

  // Drag and drop: a star photo (one on screen) onto the circle tab.
  const dragged = starPhotos.photos[3]!;
  const before = { star: await tabCount(page, 'star'), circle: await tabCount(page, 'circle') };
  const cell = grid.locator(`[data-photo-id="${dragged.id}"]`);
  await cell.scrollIntoViewIfNeeded();
  await cell.dragTo(page.getByRole('tab', { name: /circle/ }));
  await page.getByTestId('sort-announcement').filter({ hasText: 'Moved 1 photo to circle.' }).waitFor();
  await grid.locator(`[data-photo-id="${dragged.id}"]`).waitFor({ state: 'detached' });
  // A correction teaches the sorting: photos like it may follow, so the counts move by one or more.
  summary = await api<Summary>('sort.summary', {});
  const countIn = (n: string) => summary.categories.find((c) => c.name === n)!.count;
  assert.ok(countIn('star') <= before.star - 1 && countIn('circle') >= before.circle + 1, `star ${before.star} → ${countIn('star')}, circle ${before.circle} → ${countIn('circle')}`);
  for (const c of summary.categories) assert.equal(await tabCount(page, c.name), c.count, `the count of ${c.name} after the drop`);
  const inCircle = await api<Placed>('sort.photos', { place: idOf('circle'), offset: 0, limit: 1000 });
  const moved = inCircle.photos.find((p) => p.id === dragged.id);
  assert.ok(moved?.corrected, 'the dragged photo is in circle, as corrected');
  assert.equal(inCircle.photos[0]!.id, dragged.id, 'corrected photos come first');

  // Keyboard: into the grid, the first photo, then 3 moves it to heart (the third category).
  const beforeHeart = await tabCount(page, 'heart');
  await grid.focus();
  await page.keyboard.press('Home');
  const keyed = Number(await grid.locator('.cell.selected').getAttribute('data-photo-id'));
  assert.equal(await page.getByTestId('selection-count').textContent(), '1 photo selected');
  await page.keyboard.press('3');
  await page.getByTestId('sort-announcement').filter({ hasText: 'Moved 1 photo to heart.' }).waitFor();
  summary = await api<Summary>('sort.summary', {});
  assert.ok(countIn('heart') >= beforeHeart + 1);
  for (const c of summary.categories) assert.equal(await tabCount(page, c.name), c.count, `the count of ${c.name} after the key`);
  const inHeart = await api<Placed>('sort.photos', { place: idOf('heart'), offset: 0, limit: 1000 });
  assert.ok(inHeart.photos.find((p) => p.id === keyed)?.corrected, 'the photo moved by key is in heart, as corrected');
  assert.equal(await page.evaluate('document.activeElement && document.activeElement.dataset.testid'), 'sort-grid', 'the focus stays in the grid');

  // Shift+arrows extend the selection, Ctrl+A selects all, Esc clears; M opens the menu.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  assert.equal(await page.getByTestId('selection-count').textContent(), '3 photos selected');
  assert.equal(await grid.locator('[role=gridcell][aria-selected=true]').count(), 3);
  await shot('32-sorting-multiselect');
  await page.keyboard.press('m');
  const menu = page.getByTestId('move-menu');
  await menu.waitFor();
  assert.deepEqual((await menu.getByRole('menuitem').allTextContents()).map((s) => s.trim().replace(/\s+/g, ' ')), ['star 1', 'circle 2', 'heart 3', 'Unsorted 0']);
  await shot('33-sorting-move-menu');
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });
  await page.keyboard.press('Control+a');
  const starNow = await tabCount(page, 'star');
  assert.equal(await page.getByTestId('selection-count').textContent(), `${starNow} photos selected`);
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('selection-count').textContent(), 'No photo selected');

  summary = await api<Summary>('sort.summary', {});
  assert.equal(summary.categories.find((c) => c.name === 'circle')!.corrected, 1);
  assert.equal(summary.categories.find((c) => c.name === 'heart')!.corrected, 1);

  // The review queue and Unsorted are tabs too.
  await page.getByRole('tab', { name: /Review/ }).click();
  assert.equal(await tabCount(page, 'Review'), summary.review);

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByRole('tab', { name: /circle/ }).click();
  await grid.getByTestId('sort-photo').first().waitFor();
  await shot('34-sorting-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // The multi-label switch: a photo may be in every category it fits; switched back for the export.
  const multi = page.getByTestId('multi-label');
  await multi.check();
  await page.getByTestId('sort-announcement').filter({ hasText: 'several categories' }).waitFor();
  assert.equal((await api<{ multiLabel: boolean }>('sort.summary', {})).multiLabel, true);
  await multi.uncheck();
  await page.getByTestId('sort-announcement').filter({ hasText: 'one category at most' }).waitFor();
  assert.equal((await api<{ multiLabel: boolean }>('sort.summary', {})).multiLabel, false);

  // Export (copy, the default) into a new folder: the preview first, nothing written before Export.
  const out = path.join(work, 'Sorted');
  await page.getByTestId('open-export').click();
  const sheet = page.getByTestId('export-sheet');
  await sheet.waitFor();
  assert.ok(await sheet.getByTestId('export-mode-copy').isChecked(), 'copy is the default');
  await sheet.getByTestId('export-destination').fill(out);
  await sheet.getByTestId('export-preview-button').click();
  const preview = sheet.getByTestId('export-preview');
  await preview.waitFor();
  assert.equal(existsSync(out), false, 'the preview writes nothing');
  summary = await api<Summary>('sort.summary', {});
  const sortedCount = summary.categories.reduce((n, c) => n + c.count, 0);
  const rows = preview.getByTestId('export-preview-row');
  assert.equal(await rows.count(), 3);
  for (const c of summary.categories) {
    const cells = await rows.filter({ has: page.getByRole('rowheader', { name: c.name, exact: true }) }).locator('td').allTextContents();
    assert.equal(cells[0], c.name, 'the folder is named after the category');
    assert.equal(cells[1], String(c.count), `the photos of ${c.name}`);
    assert.match(cells[2] ?? '', /^[\d.]+ [kKM]?B$/, `the bytes of ${c.name}`);
  }
  assert.match((await preview.getByTestId('export-totals').textContent()) ?? '', new RegExp(`${sortedCount} files`));
  assert.match((await preview.textContent()) ?? '', /free/);
  await shot('35-sorting-export-preview');
  await sheet.getByTestId('export-start').click();
  await sheet.locator('[data-testid=export-progress][data-state=done]').waitFor({ timeout: 60_000 });
  await sheet.getByTestId('export-outcome').filter({ hasText: new RegExp(`Exported ${sortedCount} files`) }).waitFor();
  const placed = await api<Placed>('sort.photos', { place: idOf('heart'), offset: 0, limit: 1000 });
  const keyedPath = placed.photos.find((p) => p.id === keyed)!.relPath;
  const exported = path.join(out, 'heart', path.basename(keyedPath));
  assert.ok(existsSync(exported), `${exported} was written`);
  assert.ok(existsSync(path.join(out, 'circle')) && existsSync(path.join(out, 'star')));
  await shot('36-sorting-exported');

  // Undo: the files are gone again.
  await sheet.getByTestId('export-undo').click();
  await sheet.locator('[data-testid=undo-progress][data-state=done]').waitFor({ timeout: 60_000 });
  await sheet.getByTestId('undo-outcome').filter({ hasText: new RegExp(`Undone: ${sortedCount} files taken back`) }).waitFor();
  assert.equal(existsSync(exported), false, 'the undo removed the copy');
  assert.equal(existsSync(path.join(out, 'heart')), false, 'and the folders it made');
  await sheet.locator('[data-testid=export-record][data-state=undone]').waitFor();
  await shot('37-sorting-undone');
  await page.keyboard.press('Escape');
  await sheet.waitFor({ state: 'detached' });

  assert.deepEqual(await problems(), [], 'no CSP violations or console errors');
});
