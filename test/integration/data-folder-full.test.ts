// A full disk under the data folder, on a real (tmpfs) file system: indexing stops with an error
// that names the data folder and says the disk is full and what to do; the job ends 'failed' for
// everyone (its events, jobs.list, the store), even when the disk is so full that its row cannot
// be written; and the library keeps answering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { rm } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { Shoebox } from '../../electron/core/shoebox.js';
import { callApi } from '../../electron/core/api/table.js';
import { MIN_FREE_BYTES } from '../../electron/core/paths.js';
import { writeDemoLibrary } from '../../electron/core/synthetic/index.js';
import type { JobEvent } from '../../electron/common/job-events.js';
import { tempDir } from '../support/temp-dir.js';
import { fillDisk, freeBytes, mountTmpfs } from '../support/tmpfs.js';

// Enough photos that their thumbnails and rows need more than the 1 MB left above the reserve
// (60 photos sometimes fitted: the test then saw the job end 'done').
const PHOTOS = 120;

test('indexing fills the disk: the job fails naming the data folder, jobs.list agrees, search still answers', { timeout: 180_000 }, async (t) => {
  const mount = await mountTmpfs(t, '48m');
  if (!mount) return;
  const library = await tempDir(t, 'shoebox-full-lib-');
  await writeDemoLibrary(library, { seed: 11, count: PHOTOS, minSide: 600, maxSide: 900 });
  const dataDir = path.join(mount, 'data');
  const core = await Shoebox.open({ dataDir });
  t.after(() => core.close());
  // 1 MB above the reserve: some photos go in, then the disk is full for Shoebox.
  fillDisk(path.join(mount, 'filler'), MIN_FREE_BYTES + 1024 * 1024);

  await callApi(core, 'roots.add', { path: library });
  const { jobId } = await callApi(core, 'index.start', {});
  const outcome = await callApi(core, 'jobs.wait', { jobId });
  assert.equal(outcome.state, 'failed');
  const error = (outcome as { error: string }).error;
  assert.ok(error.includes(dataDir), error);
  assert.match(error, /the disk holding the data folder .* is full/);
  assert.match(error, /free some space on that disk, or move the data folder/);

  const jobs = await callApi(core, 'jobs.list', {});
  assert.equal(jobs.active.length, 0);
  const row = jobs.recent.find((j) => j.id === jobId);
  assert.equal(row?.state, 'failed');
  assert.equal(row?.error, error);

  const status = await callApi(core, 'status', {});
  assert.ok(status.photos.indexed > 0 && status.photos.indexed < PHOTOS, `stopped part-way: ${status.photos.indexed} of ${PHOTOS}`);
  const hits = await callApi(core, 'search.text', { query: 'a dog on a beach' });
  assert.ok(hits.hits.length > 0);
  // It stopped with room left, so that the database could record the end.
  assert.ok(freeBytes(mount) > 0);
});

test('a disk too full to record the end: events and the runner say failed, and the next start fixes the row', { timeout: 180_000 }, async (t) => {
  const mount = await mountTmpfs(t, '16m');
  if (!mount) return;
  const library = await tempDir(t, 'shoebox-full-lib-');
  await writeDemoLibrary(library, { seed: 12, count: 8, minSide: 480, maxSide: 600 });
  const dataDir = path.join(mount, 'data');
  const filler = path.join(mount, 'filler');
  const core = await Shoebox.open({ dataDir });
  let closed = false;
  t.after(async () => {
    if (!closed) await core.close();
  });
  await callApi(core, 'roots.add', { path: library });

  // The disk fills up completely the moment the job starts running (its 'running' row is written).
  const events: JobEvent[] = [];
  core.jobs.subscribe((e) => {
    events.push(e);
    if (e.state === 'running' && events.filter((x) => x.state === 'running').length === 1) fillDisk(filler);
  });
  const { jobId } = await callApi(core, 'index.start', {});
  const outcome = await callApi(core, 'jobs.wait', { jobId });
  assert.equal(outcome.state, 'failed');
  const error = (outcome as { error: string }).error;
  assert.ok(error.includes(dataDir) && /is full/.test(error), error);
  assert.equal(freeBytes(mount), 0, 'the disk really is full');

  const last = events.filter((e) => e.jobId === jobId).at(-1);
  assert.equal(last?.state, 'failed');
  assert.equal(last?.error, error);
  assert.deepEqual(core.jobs.active(), []);
  assert.equal(core.jobs.recent().find((j) => j.id === jobId)?.state, 'failed');
  // Reads still work: the library keeps answering.
  assert.equal((await callApi(core, 'status', { loadModel: false })).roots.length, 1);

  await core.close(); // must not throw, and must let go of the file, though SQLite cannot write
  closed = true;
  const db = new Database(path.join(dataDir, 'library.sqlite'), { readonly: true });
  const stored = db.prepare('SELECT state FROM jobs WHERE id = ?').pluck().get(jobId);
  db.close();
  assert.equal(stored, 'running', 'the row could not be written on the full disk');

  await rm(filler);
  const again = await Shoebox.open({ dataDir });
  t.after(() => again.close());
  const row = (await callApi(again, 'jobs.list', {})).recent.find((j) => j.id === jobId);
  assert.equal(row?.state, 'interrupted', 'the next start no longer shows it running');
});

test('when space comes back, the next write records the end that could not be written', { timeout: 180_000 }, async (t) => {
  const mount = await mountTmpfs(t, '48m');
  if (!mount) return;
  const library = await tempDir(t, 'shoebox-full-lib-');
  await writeDemoLibrary(library, { seed: 13, count: 4, minSide: 480, maxSide: 600 });
  const dataDir = path.join(mount, 'data');
  const filler = path.join(mount, 'filler');
  const core = await Shoebox.open({ dataDir });
  t.after(() => core.close());
  await callApi(core, 'roots.add', { path: library });
  let filled = false;
  core.jobs.subscribe((e) => {
    if (e.state === 'running' && !filled) {
      filled = true;
      fillDisk(filler);
    }
  });
  const first = (await callApi(core, 'index.start', {})).jobId;
  assert.equal((await callApi(core, 'jobs.wait', { jobId: first })).state, 'failed');
  assert.equal(core.store.jobs.get(first)?.state, 'running', 'the row could not be written yet');
  assert.equal((await callApi(core, 'jobs.list', {})).recent.find((j) => j.id === first)?.state, 'failed', 'jobs.list says how it ended all the same');

  await rm(filler);
  const second = (await callApi(core, 'index.start', {})).jobId;
  assert.equal((await callApi(core, 'jobs.wait', { jobId: second })).state, 'done');
  const rows = (await callApi(core, 'jobs.list', {})).recent;
  assert.equal(rows.find((j) => j.id === first)?.state, 'failed');
  assert.match(rows.find((j) => j.id === first)?.error ?? '', /is full/);
  assert.equal(rows.find((j) => j.id === second)?.state, 'done');
});

test('a disk filled by another program in the middle of a run gives the same message', { timeout: 180_000 }, async (t) => {
  const mount = await mountTmpfs(t, '48m');
  if (!mount) return;
  const library = await tempDir(t, 'shoebox-full-lib-');
  await writeDemoLibrary(library, { seed: 14, count: 40, minSide: 600, maxSide: 900 });
  const dataDir = path.join(mount, 'data');
  const core = await Shoebox.open({ dataDir });
  t.after(() => core.close());
  await callApi(core, 'roots.add', { path: library });
  let filled = false;
  core.jobs.subscribe((e) => {
    // Some photos are in: now the disk is full to the last byte, between two of Shoebox's checks.
    if (e.state === 'running' && e.done >= 3 && !filled) {
      filled = true;
      fillDisk(path.join(mount, 'filler'));
    }
  });
  const { jobId } = await callApi(core, 'index.start', {});
  const outcome = await callApi(core, 'jobs.wait', { jobId });
  assert.ok(filled);
  assert.equal(outcome.state, 'failed');
  const error = (outcome as { error: string }).error;
  assert.ok(error.startsWith(`Indexing stopped: the disk holding the data folder ${dataDir} is full (0 B left;`), error);
  assert.deepEqual(core.jobs.active(), []);
  assert.equal(core.jobs.recent().find((j) => j.id === jobId)?.state, 'failed');
  assert.ok((await callApi(core, 'status', { loadModel: false })).photos.indexed >= 3);
});
