// Indexing cut short by a kill -9 goes on by itself when the app (or the browser-mode server)
// starts again: Shoebox.open({ resumeInterrupted: true }) starts an index job with the same
// folders and says so. A one-shot command (`shoebox status`) in between neither resumes it nor
// makes the later start forget it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Shoebox } from '../../electron/core/shoebox.js';
import { callApi } from '../../electron/core/api/table.js';
import { writeDemoLibrary } from '../../electron/core/synthetic/index.js';
import { tempDir } from '../support/temp-dir.js';

const repo = path.resolve(import.meta.dirname, '../..');
const cli = path.join(repo, 'electron', 'cli', 'main.ts');
const PHOTOS = 60;

function indexedRows(dbFile: string): number {
  try {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      return db.prepare("SELECT count(*) FROM photos WHERE status = 'indexed'").pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created or not migrated yet
  }
}

test('an index job killed with -9 is resumed at the next start of the app, not by one-shot commands', { timeout: 240_000 }, async (t) => {
  const work = await tempDir(t, 'shoebox-resume-');
  const library = path.join(work, 'library');
  const dataDir = path.join(work, 'data');
  const dbFile = path.join(dataDir, 'library.sqlite');
  await writeDemoLibrary(library, { seed: 5, count: PHOTOS, minSide: 1400, maxSide: 1600 });

  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'index', library, '--data-dir', dataDir, '--json'], { cwd: repo, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let atKill = 0;
  for (let i = 0; i < 1200 && child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 100));
    atKill = indexedRows(dbFile);
    if (atKill >= 5) break;
  }
  assert.equal(child.exitCode, null, 'the indexer finished before it could be killed');
  child.kill('SIGKILL');
  await exited;
  assert.ok(atKill >= 5 && atKill < PHOTOS);

  // A one-shot command marks the job interrupted and starts nothing.
  const status = spawnSync(process.execPath, ['--import', 'tsx', cli, 'status', '--data-dir', dataDir, '--json'], { cwd: repo, encoding: 'utf8' });
  assert.equal(status.status, 0, status.stderr);
  assert.deepEqual((JSON.parse(status.stdout) as { jobs: unknown[] }).jobs, []);
  assert.doesNotMatch(status.stdout + status.stderr, /Resuming/);
  const db = new Database(dbFile, { readonly: true });
  const killed = db.prepare("SELECT id, state FROM jobs WHERE kind = 'index' ORDER BY id DESC").get() as { id: number; state: string };
  db.close();
  assert.equal(killed.state, 'interrupted');

  // The app starts: the indexing goes on, and it says so.
  const logged: string[] = [];
  t.mock.method(console, 'log', (...args: unknown[]) => void logged.push(args.join(' ')));
  const core = await Shoebox.open({ dataDir, resumeInterrupted: true });
  t.after(() => core.close());
  t.mock.restoreAll();
  const jobId = core.resumedIndexJob;
  assert.ok(jobId !== null, 'an index job was started');
  assert.deepEqual(logged, [`Resuming the indexing that was interrupted (job ${killed.id}) as job ${jobId}.`]);
  const outcome = await callApi(core, 'jobs.wait', { jobId });
  assert.equal(outcome.state, 'done');
  assert.equal((await callApi(core, 'status', { loadModel: false })).photos.indexed, PHOTOS);
  await core.close();

  // Finished: the next start has nothing to resume.
  const next = await Shoebox.open({ dataDir, resumeInterrupted: true });
  t.after(() => next.close());
  assert.equal(next.resumedIndexJob, null);
  assert.deepEqual(next.jobs.active(), []);
});
