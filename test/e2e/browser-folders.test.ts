// Adding folders and the first run in browser mode, in Chromium against the real server: the
// folder browser (from the home folder into a folder of photos, keyboard only), typed paths
// (`~/…` expanded; /proc, a relative path and a 4,000-character path refused beside the field,
// in red with an icon, wrapped), a folder without photos warned about; the demo button
// double-clicked starts one job and shows progress at once, and Cancel stops what the card shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { writeDemoLibrary } from '../../electron/core/synthetic/index.js';
import { tempDir } from '../support/temp-dir.js';
import { skipReason, startApp, until } from './support.js';

const skip = skipReason();

/** Browser-mode calls that the server answers 400 (a refused path): Chromium logs each as a failed load. */
const refusedLoad = /Failed to load resource: the server responded with a status of 400/;

/** The home folder of the server started next (it inherits this process's environment). */
async function useHome(t: test.TestContext, home: string): Promise<void> {
  const saved = process.env['HOME'];
  process.env['HOME'] = home;
  t.after(() => (saved === undefined ? delete process.env['HOME'] : (process.env['HOME'] = saved)));
}

async function typeFolder(page: Page, folder: string): Promise<void> {
  await page.getByTestId('add-folder-path').fill(folder);
  await page.getByTestId('add-folder-path').press('Enter');
}

async function focusedText(page: Page): Promise<string> {
  return page.evaluate<string>(`(document.activeElement?.textContent ?? '').trim()`);
}

async function focusInList(page: Page): Promise<boolean> {
  return page.evaluate<boolean>(`document.activeElement?.closest('ul.folders') != null`);
}

test('adding folders: the folder browser by keyboard, ~ expanded, bad paths refused in words', { skip: skip ?? false, timeout: 240_000 }, async (t) => {
  const home = await realpath(await tempDir(t, 'shoebox-e2e-home-'));
  await useHome(t, home);
  const beach = path.join(home, 'Pictures', 'Beach');
  const source = path.join(home, 'generated');
  const { files } = await writeDemoLibrary(source, { seed: 3, count: 6 });
  await mkdir(beach, { recursive: true });
  for (const f of files) await copyFile(path.join(source, f.path), path.join(beach, path.basename(f.path)));
  await mkdir(path.join(home, 'Pictures', 'Empty'));
  await mkdir(path.join(home, 'Documents'));
  const { server, page, problems, shot } = await startApp(t, path.join(home, '.shoebox-data'));

  await page.goto(server.launchUrl);
  await page.getByRole('heading', { name: 'Welcome to Shoebox' }).waitFor();

  // Keyboard only: Tab from the field to Browse, Enter; the list has the focus.
  await page.getByTestId('add-folder-path-browse').waitFor();
  await page.getByTestId('add-folder-path').focus();
  await page.keyboard.press('Tab');
  assert.equal(await focusedText(page), 'Browse folders…', await page.evaluate<string>(`document.activeElement.outerHTML.slice(0, 300)`));
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Choose a folder of photos' });
  await dialog.waitFor();
  const current = dialog.getByTestId('folder-browser-current');
  const showing = (folder: string) => until(async () => (await current.textContent()) === folder, `the browser to show ${folder}`);
  await until(() => focusInList(page), 'the focus in the list');
  assert.equal(await current.textContent(), home, 'it starts at the home folder');
  const names = await dialog.locator('ul.folders .name').allTextContents();
  assert.deepEqual(names, ['Documents', 'generated', 'Pictures'], 'sub-folders only, hidden ones hidden');
  await shot('folders-01-browser-home');
  while ((await focusedText(page)) !== 'Pictures') await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await showing(path.join(home, 'Pictures'));
  await until(() => focusInList(page), 'the focus in the list');
  assert.match(await dialog.locator('li', { hasText: 'Beach' }).textContent() ?? '', /Beach\s*6 photos/, 'the photos directly inside are counted');
  await shot('folders-02-browser-pictures');
  // Backspace goes up, Enter goes back down.
  await page.keyboard.press('Backspace');
  await showing(home);
  while ((await focusedText(page)) !== 'Pictures') await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await until(async () => (await focusInList(page)) && (await focusedText(page)).startsWith('Beach'), 'the focus on Beach');
  await page.keyboard.press('Enter');
  await showing(beach);
  for (let i = 0; i < 12 && (await focusedText(page)) !== 'Add this folder'; i++) await page.keyboard.press('Tab');
  assert.equal(await focusedText(page), 'Add this folder');
  await shot('folders-03-browser-beach');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await focusedText(page), 'Browse folders…', 'the focus comes back to where it was');
  await page.locator('[data-testid=index-progress][data-state=done]').waitFor({ timeout: 120_000 });
  await page.getByRole('button', { name: /^Beach/ }).waitFor();
  assert.equal((await server.api<{ photos: { indexed: number } }>('status', {})).photos.indexed, 6);

  // A typed ~/… is this account's home; a folder without photos is added with a warning.
  await typeFolder(page, '~/Pictures/Empty');
  const warning = page.getByTestId('add-folder-path-warning');
  await warning.waitFor();
  assert.match((await warning.textContent()) ?? '', new RegExp(`No photos found in ${path.join(home, 'Pictures', 'Empty')}\\.`));
  assert.ok((await server.api<{ path: string }[]>('roots.list', {})).some((r) => r.path === path.join(home, 'Pictures', 'Empty')));

  // Refusals: next to the field, role=alert, red with an icon, worded for a person.
  const alert = page.getByTestId('add-folder-path-error');
  const errorColour = await page.evaluate<string>(
    `(() => { const probe = document.createElement('span'); probe.className = 'error-text'; document.body.append(probe); const c = getComputedStyle(probe).color; probe.remove(); return c; })()`,
  );
  await typeFolder(page, '/proc');
  await alert.waitFor();
  assert.equal(await alert.getAttribute('role'), 'alert');
  assert.match((await alert.textContent()) ?? '', /\/proc is a virtual folder of running processes, not files on disk: Shoebox cannot index photos there/);
  assert.equal(await alert.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).color), errorColour);
  assert.equal(await alert.locator('svg').count(), 1);
  assert.equal(await page.getByTestId('add-folder-path').getAttribute('aria-invalid'), 'true');
  await shot('folders-04-proc-refused');

  await typeFolder(page, 'Pictures/Beach');
  await until(async () => ((await alert.textContent()) ?? '').includes('is a relative path'), 'the relative path refused');
  assert.match((await alert.textContent()) ?? '', /"Pictures\/Beach" is a relative path: give the folder's full path/);

  const long = `${home}/${'very long folder name '.repeat(190)}`.slice(0, 4000);
  await typeFolder(page, long);
  await until(async () => ((await alert.textContent()) ?? '').includes('too long'), 'the long path refused');
  const text = (await alert.textContent()) ?? '';
  assert.match(text, /…/, 'shortened in the middle');
  assert.match(text, /the path is too long for this system \(4,000 characters/);
  assert.ok(text.length < 300, `readable: ${text.length} characters`);
  const box = await alert.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, right: el.getBoundingClientRect().right, sidebar: el.closest('aside')!.getBoundingClientRect().right }));
  assert.ok(box.scroll <= box.client && box.right <= box.sidebar, `the message wraps inside the sidebar: ${JSON.stringify(box)}`);
  await shot('folders-05-long-path');

  const roots = await server.api<{ path: string }[]>('roots.list', {});
  assert.deepEqual(roots.map((r) => path.basename(r.path)), ['Beach', 'Empty'], 'nothing refused was added');
  assert.deepEqual((await problems()).filter((p) => !refusedLoad.test(p)), []);
});

test('the demo button: a double click starts one job, shows progress at once, and Cancel stops it', { skip: skip ?? false, timeout: 240_000 }, async (t) => {
  const work = await tempDir(t, 'shoebox-e2e-demo-cancel-');
  const { server, page, problems, shot } = await startApp(t, path.join(work, 'data'));
  await page.goto(server.launchUrl);
  const demo = page.getByTestId('try-demo');
  await demo.waitFor();
  const clicked = Date.now();
  await demo.dblclick();
  await page.getByRole('button', { name: /Preparing the demo library/ }).waitFor({ timeout: 1000 });
  const busyMs = Date.now() - clicked;
  assert.equal(await demo.isDisabled(), true);
  await shot('folders-06-demo-busy');
  const card = page.getByTestId('index-progress');
  await card.waitFor({ timeout: 120_000 });
  await page.locator('[data-testid=index-progress][data-state=running]').waitFor({ timeout: 60_000 });
  await shot('folders-07-demo-indexing');

  type Jobs = { active: { jobId: number; kind: string }[]; recent: { id: number; kind: string; state: string }[] };
  const jobs = await server.api<Jobs>('jobs.list', {});
  assert.deepEqual(jobs.recent.filter((j) => j.kind === 'index').length, 1, 'one index job for a double click');
  await card.getByRole('button', { name: /Cancel/ }).click();
  await page.locator('[data-testid=index-progress][data-state=cancelled]').waitFor({ timeout: 30_000 });
  assert.match((await card.textContent()) ?? '', /Indexing cancelled/);
  await shot('folders-08-demo-cancelled');
  const after = await server.api<Jobs>('jobs.list', {});
  assert.deepEqual(after.active, [], 'nothing is left running');
  assert.deepEqual(after.recent.filter((j) => j.kind === 'index').map((j) => j.state), ['cancelled']);
  assert.ok((await readdir(path.join(work, 'data', 'demo-library'))).length > 0);
  t.diagnostic(`busy state shown ${busyMs} ms after the click`);
  assert.deepEqual(await problems(), []);
});
