// The job runner: lifecycle events, persisted rows, throttled progress with rate/ETA,
// cancellation, failures, queueing and interrupted jobs after a restart.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { JobEventIn } from '../../electron/common/job-events.js';
import type { JobKindSpec } from '../../electron/core/jobs/kinds.js';
import { JobRunner, type JobRunnerOptions } from '../../electron/core/jobs/runner.js';
import { openStore, type Store } from '../../electron/core/store/index.js';

function newStore(t: TestContext): { store: Store; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'shoebox-jobs-'));
  const file = path.join(dir, 'library.sqlite');
  const store = openStore(file);
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, file };
}

/** The runner's mechanics do not depend on the app's job kinds: these tests use kinds of their own. */
type TestJobs = Record<string, JobKindSpec>;
type JobEvent = JobEventIn<TestJobs>;

function runner(store: Store, opts: JobRunnerOptions = {}): { jobs: JobRunner<TestJobs>; events: JobEvent[] } {
  const jobs = new JobRunner<TestJobs>(store.jobs, opts);
  const events: JobEvent[] = [];
  jobs.subscribe((e) => events.push(e));
  return { jobs, events };
}

/** A promise plus its resolve function, to hold a job at a known point. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

test('a job runs, reports progress and ends done, with its row saved', async (t) => {
  const { store } = newStore(t);
  const { jobs, events } = runner(store, { throttleMs: 0 });
  const handle = jobs.start('index', { rootId: 3 }, async (ctx) => {
    ctx.progress({ done: 0, total: 2, currentFile: '/p/a.jpg' });
    ctx.progress({ done: 2, currentFile: '/p/b.jpg' });
    return 'finished';
  });
  assert.deepEqual(await handle.outcome, { state: 'done', value: 'finished' });
  assert.deepEqual(events.map((e) => [e.state, e.done, e.total]), [['queued', 0, null], ['running', 0, null], ['running', 0, 2], ['running', 2, 2], ['done', 2, 2]]);
  assert.equal(events.at(-1)!.currentFile, '/p/b.jpg');
  assert.ok(events.every((e) => e.jobId === handle.id && e.kind === 'index'));
  const row = store.jobs.get(handle.id)!;
  assert.deepEqual([row.state, row.done, row.total, row.params, row.error], ['done', 2, 2, { rootId: 3 }, null]);
  assert.ok(row.startedAt !== null && row.finishedAt !== null);
  assert.deepEqual(jobs.active(), []);
});

test('progress events are throttled, and the last progress is never lost', async (t) => {
  const { store } = newStore(t);
  const { jobs, events } = runner(store, { throttleMs: 100, now: () => 1000 }); // the clock stands still
  const handle = jobs.start('index', null, async (ctx) => {
    for (let i = 1; i <= 1000; i++) ctx.progress({ done: i, total: 1000 });
  });
  await handle.outcome;
  const progress = events.filter((e) => e.state === 'running' && e.total !== null);
  assert.equal(progress.length, 1, 'one event per throttle window');
  assert.deepEqual([events.at(-1)!.state, events.at(-1)!.done], ['done', 1000]);
  assert.equal(store.jobs.get(handle.id)!.done, 1000);
});

test('rate is smoothed items per second and ETA follows from it', async (t) => {
  const { store } = newStore(t);
  let now = 0;
  const { jobs, events } = runner(store, { throttleMs: 0, now: () => now });
  const step = gate();
  const handle = jobs.start('index', null, async (ctx) => {
    now = 1000;
    ctx.progress({ done: 10, total: 100 });
    now = 1100; // too soon after the last sample to measure: the rate stays
    ctx.progress({ done: 12 });
    now = 2000;
    ctx.progress({ done: 18 });
    await step.wait;
  });
  const running = events.filter((e) => e.state === 'running');
  assert.deepEqual([running[0]!.rate, running[0]!.etaSeconds], [null, null]);
  assert.deepEqual([running[1]!.rate, running[1]!.etaSeconds], [10, 9]);
  assert.equal(running[2]!.rate, 10);
  // 10/s smoothed towards the new 8/s (8 items in 1 s since the last sample), weight 1 − e^(−1/5).
  const expected = 10 + (1 - Math.exp(-1000 / 5000)) * (8 - 10);
  assert.ok(Math.abs(running[3]!.rate! - expected) < 1e-9, String(running[3]!.rate));
  assert.ok(Math.abs(running[3]!.etaSeconds! - 82 / expected) < 1e-9);
  assert.equal(jobs.active()[0]!.rate, running[3]!.rate);
  step.open();
  await handle.outcome;
  assert.equal(events.at(-1)!.rate, null, 'no rate once finished');
});

test('cancel aborts a running job and drops a queued one without running it', async (t) => {
  const { store } = newStore(t);
  const { jobs, events } = runner(store);
  const started = gate();
  const first = jobs.start('index', null, async (ctx) => {
    started.open();
    await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
  });
  let secondRan = false;
  const second = jobs.start('export', null, async () => {
    secondRan = true;
  });
  await started.wait;
  assert.deepEqual(jobs.active().map((e) => e.state), ['running', 'queued']);
  assert.equal(jobs.cancel(second.id), true);
  assert.equal(jobs.cancel(first.id), true);
  assert.deepEqual(await first.outcome, { state: 'cancelled' });
  assert.deepEqual(await second.outcome, { state: 'cancelled' });
  assert.equal(secondRan, false);
  assert.equal(jobs.cancel(first.id), false, 'finished jobs cannot be cancelled');
  assert.equal(jobs.cancel(12345), false);
  assert.equal(store.jobs.get(first.id)!.state, 'cancelled');
  assert.equal(store.jobs.get(second.id)!.state, 'cancelled');
  assert.deepEqual(events.filter((e) => e.jobId === second.id).map((e) => e.state), ['queued', 'cancelled']);
});

test('jobs run one at a time in order; a failure is recorded and the queue goes on', async (t) => {
  const { store } = newStore(t);
  const { jobs } = runner(store);
  const order: string[] = [];
  const a = jobs.start('a', null, async () => {
    order.push('a start');
    await new Promise((r) => setImmediate(r));
    order.push('a end');
    throw new Error('decoder exploded');
  });
  const b = jobs.start('b', null, async () => {
    order.push('b');
    return 1;
  });
  const outcomeA = await a.outcome;
  assert.equal(outcomeA.state, 'failed');
  assert.equal(outcomeA.state === 'failed' && outcomeA.error.message, 'decoder exploded');
  assert.deepEqual(await b.outcome, { state: 'done', value: 1 });
  assert.deepEqual(order, ['a start', 'a end', 'b']);
  assert.equal(store.jobs.get(a.id)!.error, 'decoder exploded');
});

test('a throwing listener does not break the job', async (t) => {
  const { store } = newStore(t);
  const { jobs, events } = runner(store);
  jobs.subscribe(() => {
    throw new Error('window closed');
  });
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(w.message);
  process.on('warning', onWarning);
  t.after(() => process.off('warning', onWarning));
  assert.deepEqual(await jobs.start('x', null, async () => 5).outcome, { state: 'done', value: 5 });
  assert.equal(events.at(-1)!.state, 'done');
  await new Promise((r) => setImmediate(r));
  assert.ok(warnings.some((w) => w.includes('window closed')));
});

test('shutdown interrupts jobs; the next start marks leftovers of a killed process interrupted', async (t) => {
  const { store } = newStore(t);
  const { jobs } = runner(store);
  const started = gate();
  const running = jobs.start('train', null, async (ctx) => {
    started.open();
    while (!ctx.signal.aborted) await new Promise((r) => setImmediate(r));
    ctx.signal.throwIfAborted();
  });
  const queued = jobs.start('index', null, async () => undefined);
  await started.wait;
  await jobs.shutdown();
  assert.deepEqual(await running.outcome, { state: 'interrupted' });
  assert.deepEqual(await queued.outcome, { state: 'interrupted' });

  // A killed process leaves rows queued/running; a new runner finds them.
  const leftRunning = store.jobs.create('index', { rootId: 1 });
  store.jobs.markRunning(leftRunning);
  const leftQueued = store.jobs.create('export', null);
  const restarted = new JobRunner<TestJobs>(store.jobs);
  assert.deepEqual(restarted.interruptedAtStartup.map((j) => [j.id, j.state]).sort(), [[leftRunning, 'interrupted'], [leftQueued, 'interrupted']]);
  assert.equal(store.jobs.get(leftRunning)!.state, 'interrupted');
  assert.deepEqual(store.jobs.list(10).map((j) => j.state), ['interrupted', 'interrupted', 'interrupted', 'interrupted']);
});

test('lanes queue apart: a download does not wait for a running index job; one lane stays first come first served', async (t) => {
  const { store } = newStore(t);
  const { jobs } = runner(store, { throttleMs: 0, laneOf: (kind) => (kind === 'download' ? 'network' : 'cpu') });
  const holdIndex = gate();
  const order: string[] = [];
  const index = jobs.start('index', {}, async () => {
    order.push('index started');
    await holdIndex.wait;
    order.push('index ended');
  });
  const second = jobs.start('index', {}, async () => void order.push('second index started'));
  const download = jobs.start('download', {}, async () => void order.push('download ran'));
  await download.outcome;
  assert.deepEqual(order, ['index started', 'download ran']);
  assert.equal(jobs.active().find((j) => j.jobId === second.id)?.state, 'queued');
  holdIndex.open();
  await Promise.all([index.outcome, second.outcome]);
  assert.deepEqual(order, ['index started', 'download ran', 'index ended', 'second index started']);
});
