// An export cut short resumes from its journal, or rolls back with undo, with every photo exactly
// once and byte-identical. The cuts are made for real: a job cancelled between batches, and the
// states a kill -9 leaves between the steps of an item (made on disk exactly as the steps make
// them, with the plan already journalled), then the same export (or undo) started again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exportHistory, startExport, startUndo, type JobDeps } from '../../electron/core/export/export-job.js';
import { planExport, type ExportRequest } from '../../electron/core/export/plan.js';
import { mergeSubjects } from '../../electron/core/export/xmp.js';
import { JobRunner } from '../../electron/core/jobs/runner.js';
import type { SortAssignment } from '../../electron/core/sorting/types.js';
import { exportAndWait, hashOf, makeLibrary, snapshot, sorting, undoAndWait, type TestLibrary } from '../support/sort-export-library.js';

/** Writes the plan to the journal as the export does before its first file operation, and stops there. */
async function journalOnly(lib: TestLibrary, assignment: SortAssignment, request: ExportRequest): Promise<number> {
  const plan = await planExport({ store: lib.core.store, dataDir: lib.core.paths.root }, assignment, request);
  return lib.core.store.exports.create({ mode: plan.mode, destination: plan.destination, modelId: plan.modelId, rootPath: plan.rootPath, newFolders: plan.newFolders }, plan.items);
}

/** Deps whose runner reports every batch at once (no throttle), so a test can cancel right after the first. */
function unthrottled(lib: TestLibrary): JobDeps {
  return { store: lib.core.store, paths: lib.core.paths, jobs: new JobRunner(lib.core.store.jobs, { throttleMs: 0 }) };
}

async function cancelAfterFirstBatch(deps: JobDeps, start: () => Promise<number>): Promise<void> {
  const off = deps.jobs.subscribe((e) => {
    if (e.state === 'running' && e.done > 0) deps.jobs.cancel(e.jobId);
  });
  const jobId = await start();
  assert.equal((await deps.jobs.outcomeOf(jobId))?.outcome.state, 'cancelled');
  off();
}

const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `f/${String(i).padStart(3, '0')}.jpg`);

test('a cancelled copy resumes with the same command: each photo exactly once; another export is refused meanwhile', { timeout: 60_000 }, async (t) => {
  const lib = await makeLibrary(t, names(150));
  const deps = unthrottled(lib);
  const dest = path.join(lib.work, 'out');
  const assignment = sorting(lib, { All: lib.photos.map((_, i) => i) });
  await cancelAfterFirstBatch(deps, async () => (await startExport(deps, async () => assignment, { mode: 'copy', destination: dest })).jobId);

  const copied = (await readdir(path.join(dest, 'All'))).length;
  assert.ok(copied > 0 && copied < 150, `cut short after the first batch: ${copied} copied`);
  const [latest] = exportHistory(deps, 5);
  assert.deepEqual([latest?.state, latest?.interrupted, latest?.items.pending], ['running', true, 150 - copied]);
  await assert.rejects(exportAndWait(deps, assignment, { mode: 'copy', destination: path.join(lib.work, 'elsewhere') }), /did not finish: run that export again to complete it, or undo it/);
  await assert.rejects(exportAndWait(deps, assignment, { mode: 'link', destination: dest }), /did not finish/);

  const r = await exportAndWait(deps, assignment, { mode: 'copy', destination: dest });
  assert.deepEqual([r.resumed, r.done, r.files, r.failed.length], [true, 150, 150, 0]);
  const out = await snapshot(path.join(dest, 'All'));
  assert.equal(out.size, 150, 'no duplicates, no leftovers');
  assert.deepEqual([...out.values()].sort(), lib.photos.map((p) => p.hash).sort());
});

test('an undo cut short is finished by the next undo; until then no export starts', { timeout: 60_000 }, async (t) => {
  const lib = await makeLibrary(t, names(150));
  const deps = unthrottled(lib);
  const before = await snapshot(lib.library);
  const dest = path.join(lib.work, 'moved');
  await exportAndWait(deps, sorting(lib, { All: lib.photos.map((_, i) => i) }), { mode: 'move', destination: dest });
  await cancelAfterFirstBatch(deps, async () => startUndo(deps).jobId);
  assert.equal(exportHistory(deps, 1)[0]?.state, 'undoing');
  await assert.rejects(exportAndWait(deps, sorting(lib, { All: [0] }), { mode: 'copy', destination: path.join(lib.work, 'x') }), /The undo of export #1 did not finish/);
  const undo = await undoAndWait(deps);
  assert.equal(undo.complete, true);
  assert.deepEqual(await snapshot(lib.library), before);
  for (const p of lib.photos) assert.equal(lib.core.store.photos.getById(p.id)!.path, p.path);
});

/**
 * A move journalled, then cut at a different step for each photo:
 *   0: hard-linked at the target, original not yet removed (both names, one inode)
 *   1: moved (original removed), not journalled
 *   2: a half-written copy under the item's temp name (another disk's path, cut mid-copy)
 *   3: not started
 *   4: its file deleted before its turn
 * The library folder the move adds is not added yet either.
 */
async function halfDoneMove(lib: TestLibrary, dest: string): Promise<{ exportId: number; request: ExportRequest; assignment: SortAssignment }> {
  const request: ExportRequest = { mode: 'move', destination: dest };
  const assignment = sorting(lib, { Box: [0, 1, 2, 3, 4] });
  const exportId = await journalOnly(lib, assignment, request);
  const items = lib.core.store.exports.items(exportId);
  await mkdir(path.join(dest, 'Box'), { recursive: true });
  await link(items[0]!.source, items[0]!.target);
  await link(items[1]!.source, items[1]!.target);
  await unlink(items[1]!.source);
  await writeFile(path.join(dest, 'Box', `.shoebox-export-${exportId}-2.tmp`), 'half a copy');
  await unlink(items[4]!.source);
  return { exportId, request, assignment };
}

test('move killed between the steps of its items: the same command finishes each exactly once, rows follow', { timeout: 60_000 }, async (t) => {
  const lib = await makeLibrary(t, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg']);
  const dest = path.join(lib.work, 'Sorted');
  const { request, assignment } = await halfDoneMove(lib, dest);

  const r = await exportAndWait(lib.core, assignment, request);
  assert.deepEqual([r.resumed, r.done, r.addedLibraryFolder], [true, 4, dest]);
  assert.deepEqual(r.failed, [{ path: lib.photos[4]!.path, reason: `${lib.photos[4]!.path}: the file is gone (moved or deleted since the export was planned)` }]);
  assert.deepEqual((await readdir(path.join(dest, 'Box'))).sort(), ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg'], 'each once, no temp file, no "(2)"');
  const root = lib.core.store.roots.list().find((x) => x.path === dest)!;
  for (const p of lib.photos.slice(0, 4)) {
    const target = path.join(dest, 'Box', path.basename(p.path));
    assert.equal(await hashOf(target), p.hash);
    assert.ok(!existsSync(p.path));
    assert.deepEqual([lib.core.store.photos.getById(p.id)!.path, lib.core.store.photos.getById(p.id)!.rootId], [target, root.id]);
  }

  const undo = await undoAndWait(lib.core);
  assert.deepEqual([undo.undone, undo.complete, undo.removedLibraryFolder], [4, true, dest]);
  for (const p of lib.photos.slice(0, 4)) {
    assert.equal(await hashOf(p.path), p.hash);
    assert.equal(lib.core.store.photos.getById(p.id)!.path, p.path);
  }
  assert.ok(!existsSync(dest));
});

test('undo of a move killed mid-way takes back what it did, found on the disk, without finishing it', { timeout: 60_000 }, async (t) => {
  const lib = await makeLibrary(t, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg']);
  const dest = path.join(lib.work, 'Sorted');
  await halfDoneMove(lib, dest);
  const before = await snapshot(lib.library);
  const undo = await undoAndWait(lib.core);
  assert.equal(undo.complete, true);
  // b.jpg was moved before the kill: it is back; the others never left.
  assert.equal(await hashOf(lib.photos[1]!.path), lib.photos[1]!.hash);
  assert.deepEqual(await snapshot(lib.library), new Map([...before, ['b.jpg', lib.photos[1]!.hash]]));
  assert.ok(!existsSync(dest), 'the hard link, the temp file and the folders are gone');
  for (const p of lib.photos) assert.equal(lib.core.store.photos.getById(p.id)!.path, p.path);
  // Undone for good: the interrupted export is not resumed by running it again, it starts anew.
  const again = await exportAndWait(lib.core, sorting(lib, { Box: [0] }), { mode: 'move', destination: dest });
  assert.deepEqual([again.resumed, again.done], [false, 1]);
});

test('copy and tags killed after writing, before journalling: resumed without a duplicate, and undone exactly', { timeout: 60_000 }, async (t) => {
  const lib = await makeLibrary(t, ['a.jpg', 'b.jpg']);
  const dest = path.join(lib.work, 'out');
  const copyId = await journalOnly(lib, sorting(lib, { K: [0, 1] }), { mode: 'copy', destination: dest });
  const [first] = lib.core.store.exports.items(copyId);
  await mkdir(path.dirname(first!.target), { recursive: true });
  await copyFile(first!.source, first!.target);
  const copied = await exportAndWait(lib.core, sorting(lib, { K: [0, 1] }), { mode: 'copy', destination: dest });
  assert.deepEqual([copied.resumed, copied.done], [true, 2]);
  assert.deepEqual((await readdir(path.join(dest, 'K'))).sort(), ['a.jpg', 'b.jpg']);
  await undoAndWait(lib.core);
  assert.ok(!existsSync(dest));

  const tagsId = await journalOnly(lib, sorting(lib, { Sea: [0, 1] }), { mode: 'tags', destination: null });
  // The sidecar of a.jpg was written (as the export writes it) just before the kill.
  lib.core.store.exports.recordSidecars(tagsId, [{ seq: 0, sidecarExisted: false, backup: null }]);
  await writeFile(`${lib.photos[0]!.path}.xmp`, mergeSubjects(null, ['Sea']).text);
  const tagged = await exportAndWait(lib.core, sorting(lib, { Sea: [0, 1] }), { mode: 'tags', destination: null });
  assert.deepEqual([tagged.resumed, tagged.done, tagged.skipped], [true, 2, 0]);
  await undoAndWait(lib.core);
  for (const p of lib.photos) assert.ok(!existsSync(`${p.path}.xmp`));
});
