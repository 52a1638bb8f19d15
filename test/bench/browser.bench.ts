// Browser mode with 100 000 photos, measured in a real browser (Debian's Chromium driven by
// playwright-core) against the real server process (electron/server/start.ts, as `npm start`
// runs it), the way the e2e tests start them (test/e2e/support.ts):
//   cold start  from spawning the server process, and from navigation alone, to an interactive
//               grid (a thumbnail shown and the grid focusable); fresh process and fresh browser
//               context each run, then fresh contexts against the running server
//   search      a query typed into the search field, timed in the page: keystroke → results
//               shown (what the person waits for after the last key; it includes the UI's 40 ms
//               debounce), the debounce itself, and request → results shown; the API alone from
//               Node beside it. The first search after start (it loads the index) is reported apart.
//   scrubber    a click on the timeline's scrubber at a random height → every cell in view showing
//               its thumbnail, timed in the page (pointerdown → the frame where the last one shows)
//   grid pages  PhotoQueries.page() at 100k on the same database: the grid index (migration 002)
//               beside the version-1 plan (photos_status index + a sort of every photo).
// Library: test/support/large-library.ts (capture dates over ten years, for the timeline), with random unit embeddings of the bundled model's size
// (rankings are meaningless; the work per query is the same). About a minute on 2 cores.
// Run: npx tsx test/bench/browser.bench.ts   (or `npm run bench -- browser`)
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openDatabase } from '../../electron/core/store/db.js';
import { GRID_ORDER, gridPageSql, PhotoQueries, type PhotoFilter } from '../../electron/core/store/photo-queries.js';
import { dataPaths } from '../../electron/core/paths.js';
import { Rng } from '../../electron/core/synthetic/rng.js';
import { BACKGROUNDS, COLOURS, SHAPES } from '../../electron/core/synthetic/vocabulary.js';
import { launchBrowser, openPage, requireBuiltRenderer, skipReason, startServerProcess, type ServerProcess } from '../e2e/support.js';
import { writeLargeLibrary } from '../support/large-library.js';

const PHOTOS = 100_000;
const COLD_RUNS = 5;
const WARM_LOADS = 5;
const QUERIES = 20;
const JUMPS = 20;
const RESULTS = 200; // what the UI asks for (App.svelte)
const repo = path.resolve(import.meta.dirname, '../..');
const MODEL_DIR = path.join(repo, 'models', 'shoebox-mini');

/** Page-side timing hooks: the time of the last key pressed, and room for every resource entry. */
const INIT_SCRIPT = `window.__lastKey = 0;
addEventListener('keydown', () => { window.__lastKey = performance.now(); }, true);
performance.setResourceTimingBufferSize(100000);`;

/** Resolves (in page time) once a thumbnail is shown and the grid can take focus. */
const INTERACTIVE = `new Promise((resolve) => {
  const check = () => {
    const grid = document.querySelector('[data-testid=photo-grid]');
    const shown = Array.from(document.querySelectorAll('.cell img')).some((img) => img.complete && img.naturalWidth > 0);
    if (grid && grid.tabIndex >= 0 && shown) resolve(performance.now());
    else requestAnimationFrame(check);
  };
  check();
})`;

interface SearchTiming {
  /** Page times (ms): last keydown, DOM updated with the results, the frame after it, the request's start and response end. */
  key: number;
  dom: number;
  frame: number;
  start: number;
  end: number;
  requests: number;
}

/**
 * Arms a watcher for the results of `query`: resolves window.__rendered with the timings once the
 * heading shows the query (the results are rendered in the same update) and a frame has passed.
 * Written as a string: tsx's compiled functions reference helpers the page does not have.
 */
function armResults(query: string): string {
  return `(window.__rendered = new Promise((resolve) => {
    performance.clearResourceTimings();
    const want = ${JSON.stringify(`Results for “${query}”`)};
    const shown = () => document.querySelector('.view-head h1')?.textContent === want;
    const observer = new MutationObserver(() => {
      if (!shown()) return;
      observer.disconnect();
      const dom = performance.now();
      requestAnimationFrame(() => {
        const frame = performance.now();
        const reqs = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/api/search.text'));
        const last = reqs[reqs.length - 1];
        resolve({ key: window.__lastKey, dom, frame, start: last ? last.startTime : NaN, end: last ? last.responseEnd : NaN, requests: reqs.length });
      });
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  }), 0)`;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Page work that should finish well within this; a hang fails the benchmark instead of stalling it. */
const STEP_TIMEOUT_MS = 60_000;

async function within<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`browser bench: ${what} took over ${STEP_TIMEOUT_MS / 1000} s`)), STEP_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Opens the printed link and waits for the interactive grid. */
async function openGrid(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await within('the grid to become interactive', page.evaluate(INTERACTIVE));
}

const ms = (v: number): string => v.toFixed(0);
const ms1 = (v: number): string => v.toFixed(1);

function queries(n: number): string[] {
  const rng = new Rng(29);
  const out = new Set<string>();
  while (out.size < n) out.add(`a ${rng.pick(COLOURS)} ${rng.pick(SHAPES)} on the ${rng.pick(BACKGROUNDS)}`);
  return [...out];
}

/** Types `query` into the emptied search field and returns the page's timings. */
async function timeSearch(page: Page, query: string): Promise<SearchTiming> {
  const input = page.getByTestId('search-input');
  await input.fill('');
  await page.locator('.view-head h1').filter({ hasNotText: 'Results for' }).waitFor();
  await page.evaluate(armResults(query));
  await input.focus();
  await page.keyboard.type(query, { delay: 20 });
  return (await within(`results for "${query}"`, page.evaluate('window.__rendered'))) as SearchTiming;
}

interface ColdRun {
  serverMs: number;
  navigationMs: number;
  totalMs: number;
}

export interface BrowserBenchResult {
  cold: ColdRun[];
  warmNavigationMs: number[];
  firstSearchMs: number;
  searches: SearchTiming[];
  apiMs: number[];
  /** Scrubber click → every cell in view showing its thumbnail, ms. */
  scrubberJumpMs: number[];
}

/**
 * Arms a watcher: window.__jumped resolves with the ms from the next pointerdown on the scrubber
 * to the frame where every cell in the grid's view shows its loaded thumbnail.
 */
const ARM_JUMP = `(window.__jumped = new Promise((resolve) => {
  document.querySelector('[data-testid=scrubber]').addEventListener('pointerdown', () => {
    const start = performance.now();
    const check = () => {
      const grid = document.querySelector('[data-testid=photo-grid]');
      const view = grid.getBoundingClientRect();
      const cells = Array.from(grid.querySelectorAll('.cell')).filter((c) => {
        const r = c.getBoundingClientRect();
        return r.bottom > view.top && r.top < view.bottom;
      });
      const shown = cells.length > 0 && cells.every((c) => {
        const img = c.querySelector('img');
        return img !== null && img.complete && img.naturalWidth > 0;
      });
      if (shown) resolve(performance.now() - start);
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  }, { capture: true, once: true });
}), 0)`;

/** Clicks the scrubber at random heights and times each jump to its thumbnails. */
async function timeScrubberJumps(page: Page): Promise<number[]> {
  const box = await page.getByTestId('scrubber').boundingBox();
  if (!box) throw new Error('browser bench: the timeline scrubber is not shown');
  const rng = new Rng(41);
  const out: number[] = [];
  for (let i = 0; i < JUMPS; i++) {
    await page.evaluate(ARM_JUMP);
    await page.mouse.click(box.x + box.width / 2, box.y + 4 + rng.next() * (box.height - 8));
    out.push((await within('a scrubber jump to show its thumbnails', page.evaluate('window.__jumped'))) as number);
  }
  return out;
}

/** page() at 100k: the grid index beside the version-1 plan, p50 of a few calls per offset. */
function gridPaging(dataDir: string): Record<string, string>[] {
  const db = openDatabase(dataPaths(dataDir).database);
  try {
    const q = new PhotoQueries(db);
    const rootId = db.prepare<[], number>('SELECT id FROM roots LIMIT 1').pluck().get()!;
    const v1 = (f: PhotoFilter) => {
      const where = ["status = 'indexed'", ...(f.rootId !== undefined ? ['root_id = ?'] : [])].join(' AND ');
      const count = db.prepare<number[], number>(`SELECT count(*) FROM photos INDEXED BY photos_status WHERE ${where}`).pluck();
      const sql = gridPageSql(f).replace(/INDEXED BY \w+/, 'INDEXED BY photos_status');
      if (!sql.includes(GRID_ORDER)) throw new Error('the page query changed its order');
      const page = db.prepare<number[], unknown>(sql);
      return (offset: number) => {
        const params = f.rootId !== undefined ? [f.rootId] : [];
        count.get(...params);
        page.all(...params, RESULTS, offset);
      };
    };
    const time = (fn: () => void): number => {
      const times: number[] = [];
      for (let i = 0; i < 9; i++) {
        const t0 = performance.now();
        fn();
        times.push(performance.now() - t0);
      }
      return percentile(times, 0.5);
    };
    const rows: Record<string, string>[] = [];
    for (const [name, f] of [
      ['all photos', {}],
      ['one folder', { rootId }],
    ] as const) {
      const old = v1(f);
      for (const offset of [0, PHOTOS / 2, PHOTOS - RESULTS]) {
        const before = time(() => old(offset));
        const after = time(() => q.page(f, offset, RESULTS));
        rows.push({ view: name, offset: String(offset), 'v1 plan (sort) ms': ms1(before), 'grid index ms': ms1(after), ratio: `${(before / after).toFixed(1)}×` });
      }
    }
    return rows;
  } finally {
    db.close();
  }
}

export async function runBrowserBench(): Promise<BrowserBenchResult | null> {
  const skip = skipReason();
  if (skip) {
    console.log(`\nBrowser mode at 100k: skipped (${skip})`);
    return null;
  }
  requireBuiltRenderer();
  const config = JSON.parse(readFileSync(path.join(MODEL_DIR, 'config.json'), 'utf8')) as { embed_dim: number };
  const manifest = JSON.parse(readFileSync(path.join(MODEL_DIR, 'manifest.json'), 'utf8')) as { id: string };
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-bench-browser-'));
  const browser = await launchBrowser();
  const servers: ServerProcess[] = []; // every server started; all stopped in the end
  try {
    const built = performance.now();
    const { dataDir } = await writeLargeLibrary(work, { photos: PHOTOS, thumbnails: 8, timeline: true, embeddings: { modelId: manifest.id, dim: config.embed_dim, seed: 5 } });
    const buildS = (performance.now() - built) / 1000;

    // Cold starts: a fresh server process and a fresh browser context (no cache) each time. The
    // context is made before the spawn: a person's browser is already running.
    const cold: ColdRun[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      await servers[servers.length - 1]?.stop();
      const { page } = await openPage(browser);
      await page.addInitScript({ content: INIT_SCRIPT });
      const spawned = performance.now();
      const started = await startServerProcess(dataDir);
      servers.push(started);
      const serverMs = performance.now() - spawned;
      const navigated = performance.now();
      await openGrid(page, started.launchUrl);
      const now = performance.now();
      cold.push({ serverMs, navigationMs: now - navigated, totalMs: now - spawned });
      await page.context().close();
    }
    const server = servers[servers.length - 1]!;
    const warmNavigationMs: number[] = [];
    for (let i = 0; i < WARM_LOADS; i++) {
      const { page } = await openPage(browser);
      const t0 = performance.now();
      await openGrid(page, server.launchUrl);
      warmNavigationMs.push(performance.now() - t0);
      await page.context().close();
    }

    const { page } = await openPage(browser);
    await page.addInitScript({ content: INIT_SCRIPT });
    await openGrid(page, server.launchUrl);
    // Distinct queries throughout, so that no answer can come from a cache.
    const all = queries(2 * QUERIES + 1);
    const firstTiming = await timeSearch(page, all[0]!);
    const searches: SearchTiming[] = [];
    for (const query of all.slice(1, QUERIES + 1)) searches.push(await timeSearch(page, query));
    const apiMs: number[] = [];
    for (const query of all.slice(QUERIES + 1)) {
      const t0 = performance.now();
      await server.api('search.text', { query, limit: RESULTS, show: 'strong' }); // what the app asks
      apiMs.push(performance.now() - t0);
    }
    await page.context().close();
    const { page: timeline } = await openPage(browser);
    await openGrid(timeline, server.launchUrl);
    const scrubberJumpMs = await timeScrubberJumps(timeline);
    await timeline.context().close();
    await server.stop();

    const result: BrowserBenchResult = {
      cold,
      warmNavigationMs,
      firstSearchMs: firstTiming.frame - firstTiming.key,
      searches,
      apiMs,
      scrubberJumpMs,
    };
    report(result, buildS, config.embed_dim);
    console.log(`\nGrid pages at ${PHOTOS.toLocaleString('en-US')} photos: PhotoQueries.page(filter, offset, ${RESULTS}) incl. its count, p50 of 9 calls, same database`);
    console.table(gridPaging(dataDir));
    return result;
  } finally {
    for (const s of servers) await s.stop();
    await browser.close();
    await rm(work, { recursive: true, force: true });
  }
}

function report(r: BrowserBenchResult, buildS: number, dim: number): void {
  const n = PHOTOS.toLocaleString('en-US');
  console.log(`\nBrowser mode at ${n} photos (${dim}-d embeddings, library written in ${buildS.toFixed(1)} s), Chromium and the real server process:`);
  const col = (values: readonly number[]) => ({ p50: ms(percentile(values, 0.5)), max: ms(Math.max(...values)), runs: values.length });
  console.table([
    { measure: 'server process spawn → address printed', ...col(r.cold.map((c) => c.serverMs)), target: '' },
    { measure: 'navigation → interactive grid (just-started server)', ...col(r.cold.map((c) => c.navigationMs)), target: '' },
    { measure: 'server process spawn → interactive grid', ...col(r.cold.map((c) => c.totalMs)), target: '≤ 2000' },
    { measure: 'navigation → interactive grid (running server, fresh context)', ...col(r.warmNavigationMs), target: '' },
  ]);
  const s = r.searches;
  const row = (measure: string, values: readonly number[], target = '') => ({
    measure,
    p50: ms(percentile(values, 0.5)),
    p95: ms(percentile(values, 0.95)),
    n: values.length,
    target,
  });
  console.log(`\nSearch as you type at ${n} photos (bundled model, ${RESULTS} results; the UI waits 40 ms after the last key before it asks):`);
  console.table([
    row('keystroke → results shown (what the person waits for)', s.map((t) => t.frame - t.key), '≤ 100'),
    row('  of which the debounce: keystroke → request sent', s.map((t) => t.start - t.key)),
    row('  request sent → results shown', s.map((t) => t.frame - t.start)),
    row('    request → response (server + HTTP)', s.map((t) => t.end - t.start)),
    row('    response → results shown (client + render + frame)', s.map((t) => t.frame - t.end)),
    row('search.text from Node (no browser)', r.apiMs),
  ]);
  const extra = s.filter((t) => t.requests !== 1).length;
  console.log(
    `First search after start (loads the ${n}-photo index): ${ms(r.firstSearchMs)} ms from the last key.` +
      (extra > 0 ? ` ${extra} of ${s.length} queries sent more than one request (a key came later than the debounce).` : ''),
  );
  console.log(`\nTimeline at ${n} photos (ten years of dates): a click on the scrubber at a random height:`);
  console.table([row('scrubber jump → thumbnails shown (every cell in view)', r.scrubberJumpMs)]);
}

if (import.meta.url === `file://${process.argv[1]}`) await runBrowserBench();
