// The shared UI scenario (ui-scenario.ts) in the desktop app itself: Electron's main process, the
// preload bridge, the app:// and shoebox-media:// protocols, IPC and the core in its utility
// process, driven through playwright-core's _electron. It needs Electron's binary (`npm run
// setup` writes node_modules/electron/path.txt), the compiled main process (`npm run build`:
// dist/electron/main/main.js), the built renderer, and on Linux a display (`xvfb-run npm test`
// on a headless machine). Without them it is skipped with the reason: browser mode runs the same
// renderer through the same scenario (browser-ui.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { _electron } from 'playwright-core';
import { tempDir } from '../support/temp-dir.js';
import { REPO, requireBuiltRenderer, watchPage } from './support.js';
import { runLibraryScenario } from './ui-scenario.js';

const MAIN = path.join(REPO, 'dist', 'electron', 'main', 'main.js');

/** Why the Electron scenario cannot run here, or null when it can. */
function electronSkipReason(): string | null {
  if (!existsSync(path.join(REPO, 'node_modules', 'electron', 'path.txt'))) {
    return 'Electron binary not installed (offline install): browser-mode scenarios cover the same UI';
  }
  if (!existsSync(MAIN)) return 'dist/electron/main/main.js is missing: run `npm run build` (Electron runs the compiled main process)';
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) {
    return "no display for Electron's window: run the tests under xvfb-run";
  }
  return null;
}

/** process.env without its unset entries, as launch() takes it. */
function environment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return env;
}

interface Reply<T> {
  ok: boolean;
  result: T;
  error?: { code: string; message: string };
}

const skip = electronSkipReason();

test('the Electron app end to end: index, errors, search, viewer, similar, filters, themes', { skip: skip ?? false, timeout: 300_000 }, async (t) => {
  requireBuiltRenderer();
  const work = await tempDir(t, 'shoebox-e2e-electron-');
  // Without an executablePath, playwright-core starts node_modules/electron's binary with its
  // loader, which holds 'ready' until it is attached, so the first window is not missed.
  const app = await _electron.launch({
    // --user-data-dir: its own profile, so the single-instance lock does not meet a running Shoebox.
    args: [MAIN, `--data-dir=${path.join(work, 'data')}`, `--user-data-dir=${path.join(work, 'profile')}`],
    cwd: REPO,
    env: environment(),
    colorScheme: 'light',
    locale: 'en-US',
    timeout: 60_000,
  });
  t.after(() => app.close());

  const page = await app.firstWindow();
  const watched = await watchPage(page, 'electron-');
  await page.reload(); // the CSP watch applies from the next document on
  assert.match(page.url(), /^app:\/\/shoebox\//, 'the window shows the app from app://shoebox/');
  assert.equal(await page.evaluate('typeof require'), 'undefined', 'no Node.js in the page');

  // The ground truth goes through the preload's bridge, the page's only way to the core.
  const api = async <T>(name: string, input: unknown): Promise<T> => {
    const reply = (await page.evaluate(`window.shoebox.call(${JSON.stringify(name)}, ${JSON.stringify(input)})`)) as Reply<T>;
    if (!reply.ok) throw new Error(`${name}: ${reply.error?.message ?? 'failed'}`);
    return reply.result;
  };
  await runLibraryScenario(t, { page, api, problems: watched.problems, shot: watched.shot }, work);

  // Quitting closes the core first (jobs end 'interrupted', SQLite closes), then the app exits.
  await app.close();
});
