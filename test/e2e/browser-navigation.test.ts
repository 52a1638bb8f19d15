// Where the interface is lives in the URL (hash routing): a search, the photo open in the viewer,
// similar photos and the Sorting view each have an address, so Back and Forward move through them
// and a reload comes back to the same place. "?" opens the sheet of keyboard shortcuts, which
// also explains how searches are written. Keyboard only, after the library is made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { SHORTCUTS } from '../../renderer/src/lib/help/shortcuts.js';
import { tempDir } from '../support/temp-dir.js';
import { skipReason, startApp, until } from './support.js';

const skip = skipReason();

test('browser mode: Back, Forward and reload keep the search, the viewer and the view; "?" shows the shortcuts', { skip: skip ?? false, timeout: 240_000 }, async (t) => {
  const work = await tempDir(t, 'shoebox-e2e-navigation-');
  const { server, page, problems, shot } = await startApp(t, path.join(work, 'data'));
  const { jobId } = await server.api<{ jobId: number }>('library.addDemo', { count: 40 });
  await server.api('jobs.wait', { jobId });

  const hash = async (): Promise<string> => decodeURIComponent(new URL(page.url()).hash.replace(/\+/g, ' '));
  const search = page.getByTestId('search-input');
  const viewer = page.getByTestId('viewer');
  const grid = page.getByTestId('photo-grid');
  const firstCellId = async (): Promise<number> => Number(await grid.locator('[role=gridcell][data-photo-id]').first().getAttribute('data-photo-id'));

  await page.goto(server.launchUrl);
  await grid.locator('[role=gridcell][data-photo-id]').first().waitFor();
  assert.equal(await hash(), '#/');
  const token = new URL(page.url()).search;

  // A search is an address; typing replaces it rather than adding an entry per keystroke.
  await page.keyboard.press('/');
  await search.pressSequentially('a red circle', { delay: 20 });
  await until(async () => (await hash()) === '#/search?q=a red circle', 'the search in the URL');
  assert.equal(new URL(page.url()).search, token, 'the query string (the token) is left as it was');
  await page.getByRole('heading', { name: /a red circle/ }).waitFor();

  // The skip link moves the focus to the results without leaving the search (its #photos is no place).
  await page.getByRole('link', { name: 'Skip to photos' }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate('document.activeElement && document.activeElement.getAttribute("data-testid")'), 'photo-grid');
  assert.equal(await hash(), '#/search?q=a red circle');

  // Open the first result with the keyboard: the photo joins the address.
  const first = await firstCellId();
  await grid.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  await viewer.waitFor();
  await until(async () => (await hash()) === `#/search?q=a red circle&photo=${first}`, 'the open photo in the URL');
  await shot('navigation-01-viewer-in-url');

  // A reload comes back to the same search with the same photo open.
  await page.reload();
  await viewer.waitFor();
  assert.equal(await hash(), `#/search?q=a red circle&photo=${first}`);
  assert.equal(await search.inputValue(), 'a red circle');
  // The dialog opens at once and names its photo when the photo's details have loaded.
  await until(async () => (await viewer.getAttribute('data-photo-id')) !== null, 'the viewer to load its photo');
  assert.equal(await viewer.getAttribute('data-photo-id'), String(first), 'the viewer shows the photo the URL names');

  // Back closes the viewer, then leaves the search for the library; Forward returns to the search.
  await page.goBack();
  await viewer.waitFor({ state: 'detached' });
  assert.equal(await hash(), '#/search?q=a red circle');
  await page.goBack();
  await until(async () => (await search.inputValue()) === '', 'the search field emptied by Back');
  assert.equal(await hash(), '#/');
  await page.getByRole('heading', { name: 'All photos' }).waitFor();
  await page.goForward();
  await page.getByRole('heading', { name: /a red circle/ }).waitFor();
  assert.equal(await search.inputValue(), 'a red circle');

  // The Sorting view has its address too, and Back leaves it.
  await page.locator('body').press('Escape');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('s');
  await page.getByTestId('sorting-view').waitFor();
  assert.equal(await hash(), '#/sorting');
  await page.goBack();
  await page.getByTestId('sorting-view').waitFor({ state: 'detached' });
  assert.equal(await hash(), '#/search?q=a red circle');

  // A link to similar photos opens them.
  await page.goto(`${server.launchUrl}#/similar/${first}`);
  await page.getByRole('heading', { name: /^Similar to/ }).waitFor();
  assert.match(await hash(), new RegExp(`^#/similar/${first}`));

  // A hand-typed address that means nothing shows the library.
  await page.goto(`${server.launchUrl}#/nowhere/at/all`);
  await grid.waitFor();
  await until(async () => (await hash()) === '#/', 'an unknown address corrected to the library');

  // "All photos" in the sidebar leaves a search for the library.
  await search.fill('a red circle');
  await page.getByRole('heading', { name: /a red circle/ }).waitFor();
  await page.locator('.sidebar .folder', { hasText: 'All photos' }).click();
  await page.getByRole('heading', { name: 'All photos' }).waitFor();
  assert.equal(await search.inputValue(), '');
  await until(async () => (await hash()) === '#/', 'the library in the URL');

  // "?" opens the shortcut sheet, which lists the keys and the query syntax; Esc closes it.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  const sheet = page.getByTestId('shortcut-sheet');
  await sheet.waitFor();
  await sheet.getByRole('heading', { name: 'Keyboard shortcuts' }).waitFor();
  const listed = await sheet.innerText();
  for (const group of SHORTCUTS) {
    assert.ok(listed.includes(group.where), `the sheet has the group "${group.where}"`);
    for (const shortcut of group.shortcuts) assert.ok(listed.includes(shortcut.does), `the sheet lists "${shortcut.does}"`);
  }
  assert.match(await sheet.getByTestId('query-syntax').innerText(), /2:dog \+ grass/);
  await shot('navigation-02-shortcut-sheet');
  await page.keyboard.press('Escape');
  await sheet.waitFor({ state: 'detached' });
  // The same help on demand from beside the search field.
  await page.getByTestId('search-help').click();
  await sheet.getByTestId('query-syntax').waitFor();
  const [sheetBox, syntaxBox] = [await sheet.boundingBox(), await sheet.getByTestId('query-syntax').boundingBox()];
  assert.ok(sheetBox && syntaxBox && syntaxBox.y >= sheetBox.y && syntaxBox.y < sheetBox.y + sheetBox.height, 'More tips opens the sheet at the query syntax');
  await shot('navigation-03-more-tips');
  await page.keyboard.press('Escape');
  await sheet.waitFor({ state: 'detached' });

  assert.deepEqual(await problems(), []);
});
