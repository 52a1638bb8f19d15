// Selecting photos in the library grid (browser mode, the demo library), as a person does: a click
// selects one (a double click opens), Shift-click a range, Ctrl-click toggles, Ctrl+A all of the
// library, Esc none; from the keyboard alone, Shift+arrows and Space. The selection bar counts them
// and copies their real paths to the clipboard (read back from the page's clipboard); the context
// menu opens by right click, by Shift+F10 and by the ContextMenu key, and is walked with the keys;
// "Move to category" moves a photo (checked through the API), and says so, with an error's look,
// while there are no categories. Screenshots in test-output/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tempDir } from '../support/temp-dir.js';
import { skipReason, startApp } from './support.js';

const skip = skipReason();
const PHOTOS = 48;

interface Listed {
  total: number;
  photos: { id: number; path: string }[];
}

test('browser mode: click, Shift/Ctrl-click, Ctrl+A, Esc, Shift+arrows; the selection bar, copy paths, the context menu, move to category', { skip: skip ?? false, timeout: 240_000 }, async (t) => {
  const work = await tempDir(t, 'shoebox-e2e-selection-');
  const { server, page, problems, shot } = await startApp(t, path.join(work, 'data'));
  const api = server.api.bind(server);
  const { jobId } = await api<{ jobId: number }>('library.addDemo', { count: PHOTOS });
  await api('jobs.wait', { jobId });
  const listed = await api<Listed>('photos.list', { offset: 0, limit: 1000 });
  const pathOf = new Map(listed.photos.map((p) => [p.id, p.path]));
  assert.equal(listed.total, PHOTOS);

  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.launchUrl).origin });
  await page.goto(server.launchUrl);
  const grid = page.getByTestId('photo-grid');
  const cell = (i: number) => page.locator(`#photo-cell-${i}[data-photo-id]`);
  // By name: one plain grid, no day headers between the photos (the browser remembers the order).
  await page.getByLabel('Sort by').selectOption('name');
  await cell(5).waitFor();
  const bar = page.getByTestId('photo-selection-bar');
  const count = page.getByTestId('photo-selection-count');
  const note = page.getByTestId('selection-note');
  const selectedCells = async (): Promise<number[]> =>
    grid.locator('[role=gridcell][aria-selected=true]').evaluateAll((cells) => cells.map((c) => Number(c.id.replace('photo-cell-', ''))).sort((a, b) => a - b));
  const idAt = async (i: number): Promise<number> => Number(await cell(i).getAttribute('data-photo-id'));
  const pathsAt = async (indexes: number[]): Promise<string> => (await Promise.all(indexes.map(async (i) => pathOf.get(await idAt(i))!))).join('\n');
  const clipboard = (): Promise<string> => page.evaluate('navigator.clipboard.readText()');
  const focused = (): Promise<unknown> => page.evaluate("document.activeElement && document.activeElement.getAttribute('data-testid')");
  const focusedText = (): Promise<unknown> => page.evaluate("document.activeElement && document.activeElement.textContent.replace(/\\s+/g, ' ').trim()");
  assert.equal(await grid.getAttribute('aria-multiselectable'), 'true');
  assert.equal(await bar.count(), 0, 'no bar while nothing is selected');

  // A click selects one photo and does not open it; Shift-click selects the range; Ctrl-click toggles.
  await cell(0).click();
  await count.filter({ hasText: /^1 selected$/ }).waitFor();
  assert.equal(await page.getByTestId('viewer').count(), 0, 'a single click selects; it does not open the viewer');
  assert.deepEqual(await selectedCells(), [0]);
  await cell(4).click({ modifiers: ['Shift'] });
  await count.filter({ hasText: /^5 selected$/ }).waitFor();
  assert.deepEqual(await selectedCells(), [0, 1, 2, 3, 4]);
  await cell(2).click({ modifiers: ['Control'] });
  await count.filter({ hasText: /^4 selected$/ }).waitFor();
  assert.deepEqual(await selectedCells(), [0, 1, 3, 4]);
  await shot('90-selection-bar');

  // Moving needs categories: with none yet, the bar says where to add them, as an error looks (an
  // alert, with the warning icon); what an action did is a plain status (below).
  await page.getByTestId('selection-move').click();
  const refusal = bar.getByRole('alert').filter({ hasText: 'There are no categories yet: add them in the Sorting view (S)' });
  await refusal.waitFor();
  assert.equal(await refusal.locator('svg').count(), 1, 'with the warning icon');
  assert.equal(await page.getByTestId('move-menu').count(), 0);
  await shot('90b-selection-error');
  const circle = await api<{ id: number; name: string }>('categories.add', { name: 'circle' });
  await api('categories.add', { name: 'star' });

  // Copy paths: the full paths of the selected photos, in the grid's order, one a line.
  await page.getByTestId('copy-paths').click();
  await note.filter({ hasText: 'Copied the paths of 4 photos.' }).waitFor();
  assert.equal(await note.getAttribute('role'), 'status');
  assert.equal(await bar.getByRole('alert').count(), 0, 'the success replaced the error');
  assert.equal(await clipboard(), await pathsAt([0, 1, 3, 4]));
  for (const line of (await clipboard()).split('\n')) assert.ok(path.isAbsolute(line) && line.startsWith(work), line);

  // Esc clears; Ctrl+A selects the whole library (its count), Esc again clears.
  await grid.focus();
  await page.keyboard.press('Escape');
  await bar.waitFor({ state: 'detached' });
  assert.deepEqual(await selectedCells(), []);
  await page.keyboard.press('Control+a');
  await count.filter({ hasText: new RegExp(`^${PHOTOS} selected$`) }).waitFor();
  const status = await api<{ photos: { indexed: number } }>('status', {});
  assert.equal(Number((await count.textContent())!.replace(/\D/g, '')), status.photos.indexed);
  await shot('91-selection-all');
  await page.keyboard.press('Escape');
  await bar.waitFor({ state: 'detached' });

  // The keys alone, from the top of the page: the skip link to the grid, arrows move the focus
  // without selecting, Shift+arrows select from where the focus was, Space toggles.
  await page.goto(server.launchUrl);
  await cell(5).waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  assert.equal(await focused(), 'photo-grid', 'the skip link leads to the grid');
  const columns = Number(await grid.getAttribute('aria-colcount'));
  assert.ok(columns >= 3, `${columns} columns`);
  await page.keyboard.press('ArrowRight');
  assert.equal(await grid.getAttribute('aria-activedescendant'), 'photo-cell-1');
  assert.equal(await bar.count(), 0, 'moving the focus selects nothing');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await count.filter({ hasText: /^3 selected$/ }).waitFor();
  assert.deepEqual(await selectedCells(), [1, 2, 3]);
  await page.keyboard.press('Shift+ArrowDown');
  await count.filter({ hasText: new RegExp(`^${columns + 3} selected$`) }).waitFor();
  assert.deepEqual(await selectedCells(), Array.from({ length: columns + 3 }, (_, k) => 1 + k), 'from the anchor (1) to the photo under 3');
  await page.keyboard.press('Shift+ArrowUp');
  await count.filter({ hasText: /^3 selected$/ }).waitFor();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await grid.getAttribute('aria-activedescendant'), 'photo-cell-0');
  await page.keyboard.press(' ');
  await count.filter({ hasText: /^4 selected$/ }).waitFor();
  assert.deepEqual(await selectedCells(), [0, 1, 2, 3]);
  await page.keyboard.press(' ');
  await count.filter({ hasText: /^3 selected$/ }).waitFor();

  // The context menu from the keyboard (Shift+F10): the first item has the focus, arrows walk it,
  // Enter picks "Copy 3 paths"; the focus comes back to the grid.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+F10');
  const menu = page.getByRole('menu', { name: '3 selected photos' });
  await menu.waitFor();
  const items = menu.getByRole('menuitem');
  assert.deepEqual(await items.allTextContents().then((all) => all.map((s) => s.replace(/\s+/g, ' ').trim())), [
    'Open Enter',
    'Find similar',
    'Copy path to open in the file manager',
    'Copy 3 paths',
    'Caption 3 photos…',
    'Move 3 photos to category…',
  ]);
  assert.equal(await focusedText(), 'Open Enter');
  await shot('92-context-menu-keyboard');
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focusedText(), 'Copy 3 paths');
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'detached' });
  await note.filter({ hasText: 'Copied the paths of 3 photos.' }).waitFor();
  assert.equal(await clipboard(), await pathsAt([1, 2, 3]));
  assert.equal(await focused(), 'photo-grid');

  // The ContextMenu key; Esc closes the menu and leaves the selection as it was.
  await page.keyboard.press('ContextMenu');
  await menu.waitFor();
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });
  assert.equal(await focused(), 'photo-grid');
  assert.deepEqual(await selectedCells(), [1, 2, 3]);

  // Browser mode cannot open the file manager: "Show in folder" copies the focused photo's path and says so.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+F10');
  await menu.waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await note.filter({ hasText: /A browser cannot open your file manager/ }).waitFor();
  assert.equal(await clipboard(), await pathsAt([2]));
  await shot('93-show-in-folder-browser');

  // Right click on a photo outside the selection: it becomes the selection; "Move to category…"
  // opens the categories, and picking one moves the photo there (the correction is stored).
  await cell(7).click({ button: 'right' });
  const single = page.getByRole('menu', { name: 'Photo' });
  await single.waitFor();
  await count.filter({ hasText: /^1 selected$/ }).waitFor();
  assert.deepEqual(await selectedCells(), [7]);
  assert.equal((await note.textContent())?.trim(), '', 'what was said about the last selection is gone');
  await shot('94-context-menu-right-click');
  await single.getByRole('menuitem', { name: 'Move to category…' }).click();
  const moveMenu = page.getByTestId('move-menu');
  await moveMenu.waitFor();
  await shot('95-move-menu');
  await moveMenu.getByRole('menuitem', { name: /circle/ }).click();
  await note.filter({ hasText: 'Moved 1 photo to circle.' }).waitFor();
  const moved = await idAt(7);
  const inCircle = await api<{ photos: { id: number; corrected: boolean }[] }>('sort.photos', { place: circle.id, limit: 1000 });
  assert.ok(
    inCircle.photos.some((p) => p.id === moved && p.corrected),
    `photo ${moved} is in circle, placed by the person`,
  );

  // A click outside closes the menu; a double click opens the viewer, Enter too.
  await cell(9).click({ button: 'right' });
  await single.waitFor();
  await page.mouse.click(5, 5);
  await single.waitFor({ state: 'detached' });
  await cell(3).dblclick();
  await page.getByTestId('viewer').waitFor();
  await page.keyboard.press('Escape');
  await page.getByTestId('viewer').waitFor({ state: 'detached' });
  assert.equal(await grid.getAttribute('aria-activedescendant'), 'photo-cell-3');
  await page.keyboard.press('Enter');
  await page.getByTestId('viewer').waitFor();
  await page.keyboard.press('Escape');

  // The library reloaded in place (a rescan ended) holds other photos at the selected positions:
  // nothing is selected any more, so no action runs on the wrong photos.
  await cell(1).click();
  await cell(3).click({ modifiers: ['Shift'] });
  await count.filter({ hasText: /^3 selected$/ }).waitFor();
  await page.getByRole('button', { name: 'Rescan library' }).click();
  await bar.waitFor({ state: 'detached', timeout: 60_000 });
  assert.deepEqual(await selectedCells(), []);

  // Another list (a search) starts with nothing selected.
  await grid.focus();
  await page.keyboard.press('Control+a');
  await count.filter({ hasText: new RegExp(`^${PHOTOS} selected$`) }).waitFor();
  await page.getByTestId('search-input').fill('a red circle');
  await page.locator('.view-head h1').filter({ hasText: /Results for/ }).waitFor();
  await bar.waitFor({ state: 'detached' });
  assert.deepEqual(await problems(), []);
});
