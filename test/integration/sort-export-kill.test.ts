// kill -9 of a real `shoebox sort export --move` child process at several points of a run (right
// after the plan is journalled, and twice in the middle of the file operations), each time followed
// by the same command, which resumes; then the same for `shoebox sort undo`. The library is real:
// generated photos indexed by the bundled model and sorted into categories typed in words. After
// the export: every photo exactly once, byte-identical, its row pointing at it; after the undo:
// the library exactly as it was. Also the preview (--dry-run) and exit code 3 for a failed file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { writeDemoLibrary } from '../../electron/core/synthetic/index.js';
import { snapshot } from '../support/sort-export-library.js';
import { tempDir } from '../support/temp-dir.js';

const repo = path.resolve(import.meta.dirname, '../..');
const MAIN = path.join(repo, 'electron', 'cli', 'main.ts');
const PHOTOS = 300;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function shoebox(dataDir: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args, '--data-dir', dataDir], { cwd: repo, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function sort(dataDir: string, ...args: string[]): Run {
  return shoebox(dataDir, 'sort', ...args);
}

/** Runs `sort …` and kills it with SIGKILL as soon as `ready()` says so; fails if it ended first. */
async function killWhen(dataDir: string, args: string[], ready: () => Promise<boolean>): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'sort', ...args, '--data-dir', dataDir], { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const deadline = Date.now() + 120_000;
  while (child.exitCode === null && Date.now() < deadline && !(await ready())) await new Promise((r) => setTimeout(r, 1));
  assert.equal(child.exitCode, null, `sort ${args.join(' ')} ended before it could be killed (stderr: ${stderr})`);
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
}

/** Reads the library database the way a second process would; null until the table exists. */
function query<T>(dbFile: string, sql: string): T | null {
  try {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).get() as T;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

async function filesUnder(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && !e.name.startsWith('.')).length;
}

function integrity(dbFile: string): void {
  const db = new Database(dbFile, { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual(db.pragma('foreign_key_check'), []);
  } finally {
    db.close();
  }
}

test('kill -9 during sort export --move and during sort undo: the same command finishes it, every photo exactly once, undo exact', { timeout: 300_000 }, async (t) => {
  const work = await tempDir(t, 'shoebox-export-kill-');
  const library = path.join(work, 'library');
  const dataDir = path.join(work, 'data');
  const dbFile = path.join(dataDir, 'library.sqlite');
  const dest = path.join(work, 'Sorted');
  await writeDemoLibrary(library, { seed: 11, count: PHOTOS, minSide: 320, maxSide: 400 });
  assert.equal(shoebox(dataDir, 'index', library, '--json').code, 0);
  for (const name of ['beach', 'snow', 'grass', 'night']) assert.equal(shoebox(dataDir, 'categories', 'add', name).code, 0);
  const original = await snapshot(library);
  const rowsBefore = new Database(dbFile, { readonly: true }).prepare('SELECT id, path FROM photos ORDER BY id').all() as { id: number; path: string }[];

  // Bad usage is refused before the library is touched.
  for (const args of [['export', dest, '--tags'], ['export', dest, '--copy', '--move'], ['export'], ['undo', '--move']]) {
    const r = sort(dataDir, ...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
  }

  // The preview says what goes where and writes nothing.
  const dry = sort(dataDir, 'export', dest, '--move', '--dry-run', '--json');
  assert.equal(dry.code, 0, dry.stderr);
  const preview = JSON.parse(dry.stdout) as { files: number; addsLibraryFolder: string; categories: { name: string; photos: number }[]; unsorted: number };
  const sorted = preview.files;
  assert.ok(sorted > 50 && sorted < PHOTOS, `${sorted} photos sorted into the categories`);
  assert.equal(preview.files + preview.unsorted, PHOTOS);
  assert.equal(preview.addsLibraryFolder, dest);
  assert.ok(!existsSync(dest));

  // Killed right after the plan is journalled, then twice while files move.
  const exportRow = (): { id: number; state: string } | null => query(dbFile, 'SELECT id, state FROM exports ORDER BY id DESC LIMIT 1');
  await killWhen(dataDir, ['export', dest, '--move', '--json'], async () => exportRow() !== null);
  for (const atLeast of [Math.round(sorted / 4), Math.round((sorted * 2) / 3)]) {
    await killWhen(dataDir, ['export', dest, '--move', '--json'], async () => (await filesUnder(dest)) >= atLeast);
    integrity(dbFile);
    // Nothing is lost at any point: every photo is somewhere (a photo between its two steps is in both places).
    const now = new Set([...(await snapshot(library)).values(), ...(await snapshot(dest)).values()]);
    for (const hash of original.values()) assert.ok(now.has(hash));
  }
  assert.equal(exportRow()?.state, 'running');

  const done = sort(dataDir, 'export', dest, '--move', '--json');
  assert.equal(done.code, 0, done.stderr);
  const result = JSON.parse(done.stdout) as { resumed: boolean; done: number; files: number; failed: unknown[]; addedLibraryFolder: string };
  assert.deepEqual([result.resumed, result.done, result.files, result.failed, result.addedLibraryFolder], [true, sorted, sorted, [], dest]);
  integrity(dbFile);

  // Every photo exactly once, byte-identical, and its row pointing at it.
  const after = [...(await snapshot(library)).entries()].map(([f, h]) => [path.join(library, f), h] as const).concat(
    [...(await snapshot(dest)).entries()].map(([f, h]) => [path.join(dest, f), h] as const),
  );
  const photoFiles = after.filter(([f]) => path.basename(f) !== 'manifest.json');
  assert.equal(photoFiles.length, PHOTOS, 'no duplicate, nothing lost, no temp file');
  assert.deepEqual(photoFiles.map(([, h]) => h).sort(), [...original].filter(([f]) => f !== 'manifest.json').map(([, h]) => h).sort());
  const hashAt = new Map(after);
  const db = new Database(dbFile, { readonly: true });
  const rows = db.prepare("SELECT p.id, p.path, p.status, r.path AS root FROM photos p JOIN roots r ON r.id = p.root_id ORDER BY p.id").all() as { id: number; path: string; status: string; root: string }[];
  const interrupted = db.prepare("SELECT count(*) FROM jobs WHERE kind = 'sort-export' AND state = 'interrupted'").pluck().get();
  db.close();
  assert.equal(rows.length, PHOTOS);
  for (const [i, row] of rows.entries()) {
    const before = rowsBefore[i]!;
    assert.equal(row.id, before.id);
    assert.equal(row.status, 'indexed');
    assert.equal(hashAt.get(row.path), original.get(path.relative(library, before.path)), `photo ${row.id} is at ${row.path}`);
    assert.equal(row.root, row.path.startsWith(dest) ? dest : library);
  }
  assert.equal(rows.filter((r) => r.path.startsWith(dest)).length, sorted);
  // The first kill may land before its job's row is written (the plan is journalled first).
  assert.ok(Number(interrupted) >= 2, `the killed runs are recorded as interrupted jobs (${interrupted})`);

  // Undo, killed mid-way, then finished by running it again.
  await killWhen(dataDir, ['undo', '--json'], async () => (await filesUnder(dest)) <= sorted / 2);
  const undo = sort(dataDir, 'undo', '--json');
  assert.equal(undo.code, 0, undo.stderr);
  assert.deepEqual(JSON.parse(undo.stdout).complete, true);
  integrity(dbFile);
  assert.deepEqual(await snapshot(library), original, 'every photo back where it was, byte for byte');
  assert.ok(!existsSync(dest));
  const back = new Database(dbFile, { readonly: true });
  assert.deepEqual(back.prepare('SELECT id, path FROM photos ORDER BY id').all(), rowsBefore);
  assert.deepEqual(back.prepare('SELECT path FROM roots').pluck().all(), [library]);
  const firstSource = back.prepare('SELECT source FROM export_items ORDER BY seq LIMIT 1').pluck().get() as string;
  back.close();

  // A copy with one photo gone: the others are copied, that one is named, and the exit code is 3.
  await unlink(firstSource);
  const copy = sort(dataDir, 'export', path.join(work, 'Copies'), '--json');
  assert.equal(copy.code, 3, copy.stderr);
  const copied = JSON.parse(copy.stdout) as { done: number; failed: { path: string; reason: string }[] };
  assert.equal(copied.done, sorted - 1);
  assert.deepEqual(copied.failed.map((f) => f.path), [firstSource]);
  assert.match(copied.failed[0]!.reason, /the file is gone/);
});
