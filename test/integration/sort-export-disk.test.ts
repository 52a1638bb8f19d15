// Exports against disks that say no, for real (tmpfs mounts): a read-only destination fails each
// file with its name and the reason while the rest goes on; a destination too small is refused by
// the preview; a disk that fills up mid-way stops the export with the rest pending, and the same
// export finishes once there is room. Also a photo deleted before the export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { startExport } from '../../electron/core/export/export-job.js';
import { planExport } from '../../electron/core/export/plan.js';
import { exportAndWait, makeLibrary, snapshot, sorting, undoAndWait } from '../support/sort-export-library.js';
import { fillDisk, mountTmpfs, remountReadOnly } from '../support/tmpfs.js';

test('a read-only destination: every file fails with its name and the reason; the export ends and reports them', { timeout: 60_000 }, async (t) => {
  const mount = await mountTmpfs(t, '4m');
  if (!mount) return;
  const lib = await makeLibrary(t, ['a.jpg', 'b.jpg', 'c.jpg']);
  remountReadOnly(mount);
  const r = await exportAndWait(lib.core, sorting(lib, { Pets: [0, 1], Food: [2] }), { mode: 'copy', destination: path.join(mount, 'out') });
  assert.deepEqual([r.files, r.done, r.failed.length], [3, 0, 3]);
  for (const [i, f] of r.failed.entries()) {
    assert.equal(f.path, lib.photos[i]!.path);
    assert.match(f.reason, new RegExp(`^Cannot copy ${lib.photos[i]!.path} to ${mount}/out/(Pets|Food)/${path.basename(lib.photos[i]!.path)}: the disk is read-only$`));
  }
  assert.equal(lib.core.store.exports.get(r.exportId)?.state, 'done');
  const undo = await undoAndWait(lib.core);
  assert.deepEqual([undo.undone, undo.complete], [0, true]);
});

test('a destination too small is refused before anything is written; one that fills up stops the export, which resumes once there is room', { timeout: 60_000 }, async (t) => {
  const mount = await mountTmpfs(t, '2m');
  if (!mount) return;
  const lib = await makeLibrary(t, Array.from({ length: 12 }, (_, i) => `p${i}.jpg`), { randomBytes: 256 * 1024 });
  const dest = path.join(mount, 'out');
  const assignment = sorting(lib, { All: lib.photos.map((_, i) => i) });
  const plan = await planExport({ store: lib.core.store, dataDir: lib.core.paths.root }, assignment, { mode: 'copy', destination: dest });
  assert.equal(plan.preview.fits, false);
  assert.equal(plan.preview.bytesNeeded, 12 * 256 * 1024);
  await assert.rejects(startExport(lib.core, async () => assignment, { mode: 'copy', destination: dest }), /The export needs 3\.0 MB on the disk of .*out, but only .* are free/);
  assert.deepEqual(lib.core.store.exports.list(), []);

  // Room for the whole export at planning time; then another program fills the disk.
  execFileSync('mount', ['-o', 'remount,size=8m', mount]);
  const filler = path.join(mount, 'filler');
  const { jobId, exportId } = await startExport(lib.core, async () => assignment, { mode: 'copy', destination: dest });
  fillDisk(filler, 1024 * 1024);
  const outcome = (await lib.core.jobs.outcomeOf(jobId))!.outcome;
  assert.equal(outcome.state, 'failed');
  assert.match(outcome.state === 'failed' ? outcome.error.message : '', /The disk of .*out is full .*: the export stopped with \d+ files still to do\. Free some space, then run the same export again/);
  const copied = await readdir(path.join(dest, 'All'));
  assert.ok(copied.length < 12, `${copied.length} copied before the disk was full`);
  assert.ok(copied.every((f) => !f.startsWith('.')), 'no partial copy is left');

  await unlink(filler);
  const r = await exportAndWait(lib.core, assignment, { mode: 'copy', destination: dest });
  assert.deepEqual([r.exportId, r.resumed, r.done, r.failed.length], [exportId, true, 12, 0]);
  const out = await snapshot(path.join(dest, 'All'));
  assert.deepEqual([...out.values()].sort(), lib.photos.map((p) => p.hash).sort());
});

test('a photo deleted before the export: named in the preview and the result, the others exported', async (t) => {
  const lib = await makeLibrary(t, ['a.jpg', 'b.jpg', 'c.jpg']);
  await unlink(lib.photos[1]!.path);
  const assignment = sorting(lib, { Box: [0, 1, 2] });
  const dest = path.join(lib.work, 'out');
  const plan = await planExport({ store: lib.core.store, dataDir: lib.core.paths.root }, assignment, { mode: 'move', destination: dest });
  assert.deepEqual(plan.preview.missing.map((m) => m.path), [lib.photos[1]!.path]);
  const r = await exportAndWait(lib.core, assignment, { mode: 'move', destination: dest });
  assert.deepEqual([r.done, r.failed.length], [2, 1]);
  assert.match(r.failed[0]!.reason, /b\.jpg: the file is gone \(moved or deleted since it was indexed\)/);
  assert.deepEqual((await readdir(path.join(dest, 'Box'))).sort(), ['a.jpg', 'c.jpg']);
});
