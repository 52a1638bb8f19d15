// Indexing is resumable: a real `shoebox index` child process is killed with SIGKILL in the middle
// of a run; the database must pass PRAGMA integrity_check with no half-written rows, and a second
// run must finish the library with no duplicates and nothing lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { writeDemoLibrary } from '../../electron/core/synthetic/index.js';

const repo = path.resolve(import.meta.dirname, '../..');
const cli = path.join(repo, 'electron', 'cli', 'main.ts');
const PHOTOS = 120;

function cliArgs(...args: string[]): string[] {
  return ['--import', 'tsx', cli, ...args];
}

function countRows(dbFile: string): { photos: number; embeddings: number } {
  try {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      const photos = db.prepare('SELECT count(*) FROM photos').pluck().get() as number;
      const embeddings = db.prepare('SELECT count(*) FROM embeddings').pluck().get() as number;
      return { photos, embeddings };
    } finally {
      db.close();
    }
  } catch {
    return { photos: 0, embeddings: 0 }; // not created or not migrated yet
  }
}

test('kill -9 during indexing loses nothing and a rerun completes without duplicates', { timeout: 240_000 }, async (t) => {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-kill-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const library = path.join(work, 'library');
  const dataDir = path.join(work, 'data');
  const dbFile = path.join(dataDir, 'library.sqlite');
  // Large photos so that the run lasts long enough to be killed in the middle.
  await writeDemoLibrary(library, { seed: 7, count: PHOTOS, minSide: 1400, maxSide: 1600 });

  const child = spawn(process.execPath, cliArgs('index', library, '--data-dir', dataDir, '--json'), {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? null : code)));

  // Wait until some, but not all, photos are committed, then kill without warning.
  let atKill = { photos: 0, embeddings: 0 };
  for (let i = 0; i < 1200; i++) {
    await new Promise((r) => setTimeout(r, 100));
    atKill = countRows(dbFile);
    if (atKill.photos >= 10 || child.exitCode !== null) break;
  }
  assert.equal(child.exitCode, null, `the indexer finished before it could be killed (stderr: ${stderr})`);
  child.kill('SIGKILL');
  assert.equal(await exited, null, 'child should die by signal');

  const db = new Database(dbFile);
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual(db.pragma('foreign_key_check'), []);
    const indexed = db.prepare("SELECT count(*) FROM photos WHERE status = 'indexed'").pluck().get() as number;
    assert.ok(indexed >= 10 && indexed < PHOTOS, `killed mid-run: ${indexed} of ${PHOTOS} committed`);
    // Every indexed photo has its embedding and thumbnail; nothing half-written.
    const orphans = db
      .prepare("SELECT count(*) FROM photos p WHERE p.status = 'indexed' AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.photo_id = p.id)")
      .pluck()
      .get();
    assert.equal(orphans, 0);
    const badBlobs = db.prepare('SELECT count(*) FROM embeddings WHERE length(vector) <> dim * 4').pluck().get();
    assert.equal(badBlobs, 0);
  } finally {
    db.close();
  }

  const rerun = spawnSync(process.execPath, cliArgs('index', '--data-dir', dataDir, '--json'), { cwd: repo, encoding: 'utf8' });
  assert.equal(rerun.status, 0, rerun.stderr);
  const summary = JSON.parse(rerun.stdout) as { indexed: number; unchanged: number; failed: unknown[] };
  assert.equal(summary.failed.length, 0);
  assert.equal(summary.unchanged + summary.indexed, PHOTOS);
  assert.ok(summary.unchanged >= 10, 'photos committed before the kill are not redone');

  const after = new Database(dbFile, { readonly: true });
  try {
    assert.equal(after.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(after.prepare("SELECT count(*) FROM photos WHERE status = 'indexed'").pluck().get(), PHOTOS);
    assert.equal(after.prepare('SELECT count(DISTINCT path) FROM photos').pluck().get(), PHOTOS);
    assert.equal(after.prepare('SELECT count(*) FROM embeddings').pluck().get(), PHOTOS);
    const interrupted = after.prepare("SELECT count(*) FROM jobs WHERE state = 'interrupted'").pluck().get();
    assert.equal(interrupted, 1, 'the killed run is recorded as interrupted');
  } finally {
    after.close();
  }
});
