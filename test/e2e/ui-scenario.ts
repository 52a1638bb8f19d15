// The main end-to-end scenario, shared by browser mode (browser-ui.test.ts) and the Electron app
// (electron-ui.test.ts): from the welcome screen, add a folder of generated photos (with broken
// files), watch indexing finish, see the broken files with their reasons, search and check the
// ranking against the generator's ground truth, open the viewer, move with the keyboard, find
// similar photos, filter by folder and dates, switch themes. Screenshots of each step go to
// test-output/e2e/.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { writeDemoLibrary, type DemoManifest, type SceneSpec } from '../../electron/core/synthetic/index.js';

interface Hit {
  id: number;
  path: string;
  relPath: string;
  score: number;
}

/** The app as the scenario drives it, in whichever shell it runs. */
export interface UiUnderTest {
  /** The app's page, already opened (it shows the welcome screen of a new library). */
  page: Page;
  /** The same API the page uses, called directly: the ground truth the UI is checked against. */
  api<T>(name: string, input: unknown): Promise<T>;
  /** CSP violations and console errors seen so far. */
  problems(): Promise<string[]>;
  shot(name: string): Promise<void>;
}

/** Runs the scenario; the demo library is written under `work`. */
export async function runLibraryScenario(t: TestContext, ui: UiUnderTest, work: string): Promise<void> {
  const library = path.join(work, 'Pictures');
  await writeDemoLibrary(library, { seed: 20260, count: 40, withBadFiles: true });
  const manifest = JSON.parse(await readFile(path.join(library, 'manifest.json'), 'utf8')) as DemoManifest;
  const specOf = new Map(manifest.files.filter((f) => f.spec).map((f) => [f.path, f.spec!]));

  const { page, shot } = ui;
  const heading = page.locator('.view-head h1');
  const count = page.getByTestId('photo-count');
  const grid = page.getByTestId('photo-grid');
  const viewer = page.getByTestId('viewer');
  const cellIds = async (n: number): Promise<number[]> => {
    const cells = grid.locator('[role=gridcell][data-photo-id]');
    const ids: number[] = [];
    for (let i = 0; i < n; i++) ids.push(Number(await cells.nth(i).getAttribute('data-photo-id')));
    return ids;
  };
  const focusedTestId = () => page.evaluate('document.activeElement && document.activeElement.getAttribute("data-testid")');

  // 1. A new library opens on the welcome screen.
  await page.getByRole('heading', { name: 'Welcome to Shoebox' }).waitFor();
  await shot('01-welcome');

  // 2. Add the folder; indexing starts and the progress shows, then finishes.
  await page.getByTestId('add-folder-path').fill(library);
  await page.getByTestId('add-folder-path').press('Enter');
  const progress = page.getByTestId('index-progress');
  await progress.waitFor();
  try {
    await page.locator('[data-testid=index-progress][data-state=running] progress[max]').waitFor({ timeout: 30_000 });
    await shot('02-indexing');
  } catch {
    t.diagnostic('indexing finished before the progress bar could be photographed');
  }
  await page.locator('[data-testid=index-progress][data-state=done]').waitFor({ timeout: 180_000 });
  await count.filter({ hasText: '40 photos' }).waitFor();
  await page.locator('.cell img').first().waitFor();
  await shot('03-grid-light');
  assert.match((await page.getByTestId('model-status').textContent()) ?? '', /runs on CPU/);

  // 3. The broken files are listed with their reasons.
  await page.getByTestId('show-errors').click();
  const errors = page.getByTestId('errors-dialog');
  await errors.locator('tbody tr').first().waitFor();
  const table = (await errors.locator('tbody').textContent()) ?? '';
  assert.match(table, /notes\.jpg[^]*not an image/);
  assert.match(table, /empty\.jpg/);
  assert.match(table, /huge\.png[^]*too large/);
  assert.equal(await errors.locator('tbody tr').count(), 4);
  await shot('04-errors');
  await page.keyboard.press('Escape');
  await errors.waitFor({ state: 'detached' });

  // 4. Search as you type, for the colour–shape pair the library shows most often.
  const pairs = new Map<string, number>();
  for (const spec of specOf.values()) for (const g of new Set(spec.groups.map((g) => `${g.colour} ${g.shape}`))) pairs.set(g, (pairs.get(g) ?? 0) + 1);
  const [pair, shown] = [...pairs.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]!;
  const query = `a photo of a ${pair}`;
  const has = (spec: SceneSpec) => spec.groups.some((g) => `${g.colour} ${g.shape}` === pair);
  await page.locator('body').press('/');
  assert.equal(await focusedTestId(), 'search-input', '"/" focuses the search field');
  await page.keyboard.type(query, { delay: 25 });
  const typed = Date.now();
  await heading.filter({ hasText: `Results for “${query}”` }).waitFor();
  t.diagnostic(`first results ${Date.now() - typed} ms after the last keystroke (60 ms of it is the debounce)`);
  const k = Math.min(4, shown);
  const uiTop = await cellIds(k);
  // The grid shows the good matches first (docs/SEARCH.md), in the API's order.
  const apiTop = (await ui.api<{ hits: Hit[] }>('search.text', { query, limit: k, show: 'strong' })).hits;
  assert.deepEqual(uiTop, apiTop.map((h) => h.id), 'the grid shows the API ranking');
  const relevant = apiTop.filter((h) => has(specOf.get(h.relPath)!)).length;
  assert.ok(relevant >= Math.ceil(k / 3), `${relevant} of the top ${k} show a ${pair} (${shown} photos do)`);
  assert.match((await grid.locator('.score').first().textContent()) ?? '', /^-?\d\.\d\d$/, 'results carry their score');

  // Query arithmetic: the terms as the search read them are shown.
  await page.getByTestId('search-input').fill(`${pair} + night - 2:beach`);
  await heading.filter({ hasText: 'Results for “' + `${pair} + night - 2:beach` + '”' }).waitFor();
  assert.deepEqual(await page.locator('.terms .term').allTextContents(), [pair, 'night', '− 2× beach']);
  assert.equal(await page.locator('.terms .term.negative').count(), 1);
  await shot('05b-query-arithmetic');

  // Describing one photo the way its caption does finds it at the top of the good matches; typing
  // replaces the old results. (So precise a query may have fewer than 3 good matches, and the grid
  // shows only those until asked for weaker ones.)
  const described = manifest.files.find((f) => f.spec)!;
  await page.getByTestId('search-input').fill('');
  await page.getByTestId('search-input').pressSequentially(described.caption!, { delay: 10 });
  await heading.filter({ hasText: `Results for “${described.caption}”` }).waitFor();
  const { strong } = await ui.api<{ strong: number }>('search.text', { query: described.caption, limit: 3, show: 'strong' });
  const top3 = await Promise.all((await cellIds(Math.min(3, strong))).map((id) => ui.api<{ relPath: string }>('photos.get', { id })));
  assert.ok(top3.some((p) => p.relPath === described.path), `${described.path} ("${described.caption}") is in the top 3 good matches (${strong} in all): ${top3.map((p) => p.relPath).join(', ')}`);
  await shot('05-search');
  await page.getByTestId('search-input').fill(query);
  await heading.filter({ hasText: `Results for “${query}”` }).waitFor();

  // 5. Keyboard: into the grid, move, open the viewer, step through, close.
  await grid.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  await viewer.waitFor();
  const title = viewer.locator('#viewer-title');
  const nameOf = (h: Hit) => path.basename(h.relPath);
  await title.filter({ hasText: nameOf(apiTop[0]!) }).waitFor();
  const meta = (await viewer.getByTestId('viewer-meta').textContent()) ?? '';
  assert.match(meta, /\d+ × \d+/, 'dimensions');
  assert.match(meta, /Camera/);
  assert.match(meta, /No GPS data|° [NS]/);
  await viewer.locator('img.stage-full:not(.hidden)').waitFor();
  await shot('06-viewer-light');
  await page.keyboard.press('ArrowRight');
  await title.filter({ hasText: nameOf(apiTop[1]!) }).waitFor();
  await page.keyboard.press('ArrowLeft');
  await title.filter({ hasText: nameOf(apiTop[0]!) }).waitFor();

  // 6. Find similar from the viewer.
  await viewer.getByRole('button', { name: 'Find similar' }).click();
  await heading.filter({ hasText: `Similar to ${nameOf(apiTop[0]!)}` }).waitFor();
  const similarIds = await cellIds(5);
  // How alike the photos are is the model's business (test/integration/cli-library.test.ts);
  // here: the grid shows exactly what the API finds, without the photo itself.
  const apiSimilar = (await ui.api<{ hits: Hit[] }>('search.similar', { photoId: apiTop[0]!.id, limit: 5 })).hits;
  assert.deepEqual(similarIds, apiSimilar.map((h) => h.id));
  assert.ok(!similarIds.includes(apiTop[0]!.id), 'the photo itself is not among its similar photos');
  assert.equal(await focusedTestId(), 'photo-grid', 'focus lands on the results');
  await shot('07-similar');

  // Esc closes the viewer and gives focus back to the grid.
  await page.keyboard.press('Enter');
  await viewer.waitFor();
  await page.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached' });
  assert.equal(await focusedTestId(), 'photo-grid');

  // 7. Dark theme (from the system setting).
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot('08-similar-dark');
  await page.keyboard.press('Enter');
  await viewer.locator('img.stage-full:not(.hidden)').waitFor();
  await shot('09-viewer-dark');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Back to all photos' }).click();
  await count.filter({ hasText: '40 photos' }).waitFor();
  await shot('10-grid-dark');

  // 8. Filters: a folder, then a year; counts match the API's answer for the same filter.
  const rootName = path.basename(library);
  await page.locator('.sidebar .folder', { hasText: rootName }).click();
  await heading.filter({ hasText: rootName }).waitFor();
  await count.filter({ hasText: '40 photos' }).waitFor();
  const dated2024 = manifest.files.filter((f) => f.spec && f.takenAt?.startsWith('2024')).length;
  await page.locator('#date-from').fill('2024-01-01');
  await page.locator('#date-to').fill('2024-12-31');
  const [y0, y1] = [new Date(2024, 0, 1).getTime(), new Date(2025, 0, 1).getTime() - 1];
  const expected = (await ui.api<{ total: number }>('photos.list', { limit: 1, filter: { takenFrom: y0, takenTo: y1 } })).total;
  assert.ok(expected > 0 && expected <= dated2024, `${expected} photos of 2024 indexed, ${dated2024} in the manifest`);
  await count.filter({ hasText: new RegExp(`^${expected} photos?$`) }).waitFor();
  await shot('11-filtered-dark');

  // 9. The theme toggle wins over the system setting and survives a reload.
  await page.getByTestId('theme-toggle').click();
  assert.equal(await page.evaluate('document.documentElement.dataset.theme'), 'light');
  await page.reload();
  await grid.waitFor();
  assert.equal(await page.evaluate('document.documentElement.dataset.theme'), 'light');

  assert.deepEqual(await ui.problems(), [], 'no CSP violations or console errors');
}
