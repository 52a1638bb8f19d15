// Moving photos into category folders: the library's rows follow the files (same ids, same
// embeddings; a rescan finds nothing to index, nothing moved or missing), a destination outside
// the library becomes a library folder and stops being one on undo, a move inside a library folder
// reorganises it, and a move to another disk copies, verifies and then removes the original.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { planScan } from '../../electron/core/library/scan.js';
import { exportAndWait, hashOf, makeLibrary, snapshot, sorting, undoAndWait, type TestLibrary } from '../support/sort-export-library.js';
import { mountTmpfs } from '../support/tmpfs.js';

/** A rescan of every library folder, as the index job does it: it must find nothing to do. */
async function assertRescanIsQuiet(lib: TestLibrary, photos: number): Promise<void> {
  const plan = await planScan(lib.core.store, lib.core.store.roots.list(), 'test');
  assert.deepEqual({ toIndex: plan.toIndex.length, moved: plan.moved.length, missing: plan.missing, unchanged: plan.unchanged }, { toIndex: 0, moved: 0, missing: 0, unchanged: photos });
}

test('move out of the library: files moved byte-identical, rows follow, the destination becomes a library folder; undo puts everything back', async (t) => {
  const lib = await makeLibrary(t, ['2024/a.jpg', '2025/a.jpg', 'b.jpg', 'c.jpg', 'stays.jpg']);
  const before = await snapshot(lib.library);
  const dest = path.join(lib.work, 'Sorted');
  // Multi-label: a move puts b.jpg in its best category only, Food (surer there: second vs third).
  const r = await exportAndWait(lib.core, sorting(lib, { Pets: [0, 1, 2], Food: [3, 2] }, true), { mode: 'move', destination: dest });
  assert.deepEqual([r.files, r.done, r.failed.length, r.addedLibraryFolder], [4, 4, 0, dest]);

  const moved = { 0: 'Pets/a.jpg', 1: 'Pets/a (2).jpg', 2: 'Food/b.jpg', 3: 'Food/c.jpg' } as const;
  const root = lib.core.store.roots.list().find((x) => x.path === dest);
  assert.ok(root, 'the destination is a library folder');
  for (const [k, rel] of Object.entries(moved)) {
    const photo = lib.photos[Number(k)]!;
    const file = path.join(dest, rel);
    assert.equal(await hashOf(file), photo.hash, `${rel} is the photo, byte for byte`);
    assert.ok(!existsSync(photo.path), `${photo.path} is gone from its old place`);
    const row = lib.core.store.photos.getById(photo.id)!;
    assert.deepEqual([row.path, row.rootId, row.relPath, row.status, row.size, row.mtimeMs], [file, root.id, rel, 'indexed', statSync(file).size, statSync(file).mtimeMs]);
    assert.ok(lib.core.store.embeddings.get(photo.id, 'test'), 'the embedding stays with the photo');
  }
  assert.ok(!existsSync(path.join(dest, 'Pets', 'b.jpg')));
  assert.equal(lib.core.store.photos.getById(lib.photos[4]!.id)!.path, lib.photos[4]!.path, 'an unsorted photo stays');
  await assertRescanIsQuiet(lib, 5);

  const undo = await undoAndWait(lib.core);
  assert.deepEqual([undo.undone, undo.complete, undo.removedLibraryFolder], [4, true, dest]);
  assert.deepEqual(await snapshot(lib.library), before, 'every photo back where it was, byte for byte');
  assert.ok(!existsSync(dest), 'the folders the move created are gone');
  assert.deepEqual(lib.core.store.roots.list().map((x) => x.path), [lib.library]);
  for (const photo of lib.photos) assert.equal(lib.core.store.photos.getById(photo.id)!.path, photo.path);
  await assertRescanIsQuiet(lib, 5);
});

test('move inside a library folder reorganises it: no new library folder, relative paths follow; a name held by a missing photo is not reused', async (t) => {
  const lib = await makeLibrary(t, ['inbox/x.jpg', 'inbox/y.jpg', 'gone.jpg']);
  const dest = path.join(lib.library, 'Sorted');
  // A photo row whose file went missing still owns its path: a move must not land on it.
  const ghost = path.join(dest, 'Trips', 'x.jpg');
  const st = statSync(lib.photos[2]!.path);
  const root = lib.core.store.roots.list()[0]!;
  lib.core.store.photos.relocate(lib.photos[2]!.id, { path: ghost, rootId: root.id, relPath: path.relative(lib.library, ghost), size: st.size, mtimeMs: st.mtimeMs });
  lib.core.store.photos.markMissing([lib.photos[2]!.id]);

  const r = await exportAndWait(lib.core, sorting(lib, { Trips: [0, 1] }), { mode: 'move', destination: dest });
  assert.deepEqual([r.done, r.addedLibraryFolder], [2, null]);
  const row = lib.core.store.photos.getById(lib.photos[0]!.id)!;
  assert.deepEqual([row.path, row.rootId, row.relPath], [path.join(dest, 'Trips', 'x (2).jpg'), root.id, path.join('Sorted', 'Trips', 'x (2).jpg')]);
  assert.equal(await hashOf(row.path), lib.photos[0]!.hash);
  assert.deepEqual(lib.core.store.roots.list().map((x) => x.path), [lib.library]);

  // Moving again to the same place: every photo is already in place.
  const again = await exportAndWait(lib.core, sorting(lib, { Trips: [0, 1] }), { mode: 'move', destination: dest });
  assert.deepEqual([again.done, again.skipped], [0, 2]);
});

test('move to another disk: copied, fsynced, verified by sha256, then the original removed; undo moves it back across', { timeout: 60_000 }, async (t) => {
  const mount = await mountTmpfs(t, '16m');
  if (!mount) return;
  const lib = await makeLibrary(t, ['p/one.jpg', 'p/two.jpg', 'three.jpg'], { side: 400 });
  assert.notEqual(statSync(mount).dev, statSync(lib.library).dev, 'the tmpfs is another device: hard links fail with EXDEV');
  const before = await snapshot(lib.library);
  const dest = path.join(mount, 'Sorted');
  const r = await exportAndWait(lib.core, sorting(lib, { A: [0, 2], B: [1] }), { mode: 'move', destination: dest });
  assert.deepEqual([r.done, r.failed.length], [3, 0]);
  const items = lib.core.store.exports.items(r.exportId);
  assert.deepEqual(items.map((i) => i.method), ['copy', 'copy', 'copy'], 'hard links are impossible across disks: each was copied');
  for (const item of items) {
    const photo = lib.photos.find((p) => p.id === item.photoId)!;
    assert.equal(item.hash, photo.hash);
    assert.equal(await hashOf(item.target), photo.hash);
    assert.ok(!existsSync(photo.path));
    assert.equal(lib.core.store.photos.getById(photo.id)!.path, item.target);
  }
  await assertRescanIsQuiet(lib, 3);
  const undo = await undoAndWait(lib.core);
  assert.equal(undo.complete, true);
  assert.deepEqual(await snapshot(lib.library), before);
  assert.ok(!existsSync(dest));
  await assertRescanIsQuiet(lib, 3);
});
