// Shared set-up of the end-to-end tests: the real browser-mode server as a child process (as
// `npm start` runs it), Debian's Chromium driven by playwright-core, screenshots under
// test-output/e2e/, and a watch for CSP violations and console errors on every page.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const CHROMIUM = process.env['SHOEBOX_CHROMIUM'] ?? '/usr/bin/chromium';
export const SHOTS = path.join(REPO, 'test-output', 'e2e');

/** Why the e2e tests cannot run here, or null when they can. Only a missing browser skips them. */
export function skipReason(): string | null {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed (apt-get install chromium); the browser tests are skipped`;
  return null;
}

export function requireBuiltRenderer(): void {
  if (!existsSync(path.join(REPO, 'dist', 'renderer', 'index.html'))) {
    throw new Error('dist/renderer/index.html is missing: run `npm run build:renderer` (npm run test:e2e does it first).');
  }
}

export interface ServerProcess {
  /** http://shoebox-<random>.localhost:PORT/?token=… — Chromium resolves *.localhost itself. */
  launchUrl: string;
  /** http://127.0.0.1:PORT, for `api` (Node's resolver does not know *.localhost). */
  origin: string;
  token: string;
  /** From spawning the process to its printed address, ms. */
  startMs: number;
  /** POST /api/<name> with the token, as a script would. */
  api<T>(name: string, input: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** Starts `electron/server/start.ts` on a random port and waits for the address it prints. */
export async function startServerProcess(dataDir: string): Promise<ServerProcess> {
  const spawned = Date.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'electron/server/start.ts'), '--data-dir', dataDir, '--port', '0'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const launchUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The server printed no address in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /http:\/\/[\w.-]+:\d+\/\?token=[\w-]+/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited (${code}) before printing its address:\n${output}`));
    });
  });
  const startMs = Date.now() - spawned;
  const url = new URL(launchUrl);
  const token = url.searchParams.get('token')!;
  const origin = `http://127.0.0.1:${url.port}`;
  return {
    launchUrl,
    startMs,
    origin,
    token,
    async api<T>(name: string, input: unknown): Promise<T> {
      const r = await fetch(`${origin}/api/${name}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      const body = (await r.json()) as { ok: boolean; result: T; error?: { message: string } };
      if (!body.ok) throw new Error(`${name}: ${body.error?.message}`);
      return body.result;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(); // already gone
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function launchBrowser(): Promise<Browser> {
  // Chromium's sandbox cannot start as root (CI runs as root).
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

export interface WatchedPage {
  page: Page;
  /** CSP violations and console errors seen so far. */
  problems(): Promise<string[]>;
  shot(name: string): Promise<void>;
}

/** The built UI served from `dataDir` and a watched Chromium page, all closed when the test ends. */
export async function startApp(t: TestContext, dataDir: string): Promise<WatchedPage & { server: ServerProcess }> {
  requireBuiltRenderer();
  const server = await startServerProcess(dataDir);
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());
  return { server, ...(await openPage(browser)) };
}

export async function openPage(browser: Browser, colorScheme: 'light' | 'dark' = 'light'): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, colorScheme, locale: 'en-US' });
  return watchPage(await context.newPage());
}

/** Starts watching a page; the CSP watch applies from its next document on (navigate or reload after this). */
export async function watchPage(page: Page, shotPrefix = ''): Promise<WatchedPage> {
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (err) => consoleErrors.push(`page error: ${err.message}`));
  await page.addInitScript({
    content: `window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push('CSP ' + e.violatedDirective + ' ' + e.blockedURI));`,
  });
  await mkdir(SHOTS, { recursive: true });
  return {
    page,
    problems: async () => [...consoleErrors, ...((await page.evaluate('window.__csp')) as string[])],
    shot: async (name) => {
      await page.screenshot({ path: path.join(SHOTS, `${shotPrefix}${name}.png`) });
    },
  };
}

/** Polls `check` from the test's side until it holds (string predicates of waitForFunction are refused by the page's CSP). */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
