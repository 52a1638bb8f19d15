// Exporting a sorting to real folders on a real disk, through the export jobs and the API table:
// copy (collisions, multi-label, folder names, re-run, undo), link and tags (sidecars written,
// merged into existing ones, restored byte for byte), and the destinations that are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, readFile, readdir, readlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { callApi } from '../../electron/core/api/table.js';
import { exportAndWait, hashOf, makeLibrary, snapshot, sorting, undoAndWait } from '../support/sort-export-library.js';

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

/** The rdf:li values of a property in a sidecar, read back with an XML parser. */
function subjectsIn(xml: string, ns: string, local: string): string[] {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const property = doc.getElementsByTagNameNS(ns, local)[0];
  if (!property) return [];
  return Array.from(property.getElementsByTagNameNS(RDF, 'li')).map((li) => li.textContent ?? '');
}

test('copy: every photo into its category folder, byte-identical; collisions get a suffix; undo removes exactly the copies', async (t) => {
  const lib = await makeLibrary(t, ['2024/IMG_1.jpg', '2025/IMG_1.jpg', 'beach.jpg', 'cat.jpg', 'doc.jpg', 'left-out.jpg']);
  const dest = path.join(lib.work, 'Sorted');
  // A file the person already has where a copy would go: it must survive untouched.
  await mkdir(path.join(dest, 'Cats'), { recursive: true });
  await writeFile(path.join(dest, 'Cats', 'cat.jpg'), 'my own file');
  const before = await snapshot(lib.work);
  const rowsBefore = lib.core.store.photos.countByStatus();

  // Multi-label: the cat photo is in two categories, so it is copied twice.
  const assignment = sorting(lib, { Cats: [0, 1, 3], 'Receipts: 2024/25?': [4], CON: [2, 3] }, true);
  const r = await exportAndWait(lib.core, assignment, { mode: 'copy', destination: dest });
  assert.deepEqual([r.files, r.done, r.skipped, r.failed.length], [6, 6, 0, 0]);

  const cats = (await readdir(path.join(dest, 'Cats'))).sort();
  assert.deepEqual(cats, ['IMG_1 (2).jpg', 'IMG_1.jpg', 'cat (2).jpg', 'cat.jpg']);
  assert.equal(await readFile(path.join(dest, 'Cats', 'cat.jpg'), 'utf8'), 'my own file', 'never overwritten');
  assert.equal(await hashOf(path.join(dest, 'Cats', 'IMG_1.jpg')), lib.photos[0]!.hash);
  assert.equal(await hashOf(path.join(dest, 'Cats', 'IMG_1 (2).jpg')), lib.photos[1]!.hash);
  assert.equal(await hashOf(path.join(dest, 'Cats', 'cat (2).jpg')), lib.photos[3]!.hash);
  // Folder names safe on every system: no ":" "/" "?" and no reserved device name.
  assert.ok(existsSync(path.join(dest, 'Receipts_ 2024_25_', 'doc.jpg')));
  assert.equal(await hashOf(path.join(dest, 'CON_', 'cat.jpg')), lib.photos[3]!.hash);
  assert.equal(await hashOf(path.join(dest, 'CON_', 'beach.jpg')), lib.photos[2]!.hash);
  assert.ok(!existsSync(path.join(dest, 'left-out.jpg')), 'unsorted photos are not exported');
  // The copies keep the originals' modification times, and the library gained no rows.
  const mtimes = await Promise.all([path.join(dest, 'Cats', 'IMG_1.jpg'), lib.photos[0]!.path].map(async (f) => (await lstat(f)).mtimeMs));
  assert.ok(Math.abs(mtimes[0]! - mtimes[1]!) < 0.01, `mtime kept: ${mtimes.join(' vs ')}`);
  assert.deepEqual(lib.core.store.photos.countByStatus(), rowsBefore);
  // No temp file is left behind.
  assert.deepEqual([...(await snapshot(dest)).keys()].filter((f) => path.basename(f).startsWith('.')), []);

  // The same export again finds everything there already: nothing is copied twice.
  const again = await exportAndWait(lib.core, assignment, { mode: 'copy', destination: dest });
  assert.deepEqual([again.done, again.skipped], [0, 6]);
  assert.equal((await readdir(path.join(dest, 'Cats'))).length, 4);

  const undoAgain = await undoAndWait(lib.core);
  assert.equal(undoAgain.complete, true);
  const undo = await undoAndWait(lib.core);
  assert.deepEqual([undo.undone, undo.kept.length, undo.failed.length, undo.complete], [6, 0, 0, true]);
  assert.deepEqual(await snapshot(lib.work).then((s) => new Map([...s].filter(([f]) => !f.startsWith('data')))), new Map([...before].filter(([f]) => !f.startsWith('data'))));
  assert.ok(!existsSync(path.join(dest, 'CON_')), 'the folders the export created are removed');
  assert.ok(existsSync(path.join(dest, 'Cats')), 'a folder that was there before stays');
  await assert.rejects(undoAndWait(lib.core), /no export to undo/);
});

test('undo leaves a copy that changed after the export, and says so', async (t) => {
  const lib = await makeLibrary(t, ['a.jpg', 'b.jpg']);
  const dest = path.join(lib.work, 'out');
  await exportAndWait(lib.core, sorting(lib, { Keep: [0, 1] }), { mode: 'copy', destination: dest });
  const edited = path.join(dest, 'Keep', 'a.jpg');
  await writeFile(edited, 'edited by the person');
  const undo = await undoAndWait(lib.core);
  assert.equal(undo.undone, 1);
  assert.deepEqual(undo.kept.map((k) => k.path), [edited]);
  assert.match(undo.kept[0]!.reason, /a\.jpg changed after the export: left in place/);
  assert.equal(await readFile(edited, 'utf8'), 'edited by the person');
  assert.ok(!existsSync(path.join(dest, 'Keep', 'b.jpg')));
  assert.equal(undo.complete, true);
});

test('link: symbolic links to the photos, the photos untouched; undo removes the links', async (t) => {
  const lib = await makeLibrary(t, ['x/one.jpg', 'y/one.jpg', 'two.jpg']);
  const dest = path.join(lib.work, 'links');
  const before = await snapshot(lib.library);
  const r = await exportAndWait(lib.core, sorting(lib, { Pets: [0, 1], Food: [2] }), { mode: 'link', destination: dest });
  assert.equal(r.done, 3);
  for (const [name, k] of [['Pets/one.jpg', 0], ['Pets/one (2).jpg', 1], ['Food/two.jpg', 2]] as const) {
    const link = path.join(dest, name);
    assert.ok((await lstat(link)).isSymbolicLink(), `${name} is a symbolic link`);
    assert.equal(await readlink(link), lib.photos[k]!.path);
    assert.equal(await hashOf(link), lib.photos[k]!.hash);
  }
  assert.deepEqual(await snapshot(lib.library), before);
  const undo = await undoAndWait(lib.core);
  assert.deepEqual([undo.undone, undo.complete], [3, true]);
  assert.ok(!existsSync(dest));
  assert.deepEqual(await snapshot(lib.library), before);
});

test('tags: XMP sidecars with dc:subject and lr:hierarchicalSubject; an existing sidecar keeps its content; undo restores it byte for byte', async (t) => {
  const lib = await makeLibrary(t, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg']);
  const [a, b, c] = lib.photos;
  // darktable's sidecar of b.jpg, with an edit history that must survive.
  const existing = `<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="${RDF}">
  <rdf:Description rdf:about="" xmlns:darktable="http://darktable.sf.net/" xmlns:dc="http://purl.org/dc/elements/1.1/" darktable:xmp_version="5">
   <dc:subject><rdf:Bag><rdf:li>holiday</rdf:li></rdf:Bag></dc:subject>
   <darktable:history><rdf:Seq><rdf:li darktable:operation="exposure"/></rdf:Seq></darktable:history>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
`;
  await writeFile(`${b!.path}.xmp`, existing);
  await writeFile(`${c!.path}.xmp`, 'not xml at all <');
  const photosBefore = await snapshot(lib.library);

  await assert.rejects(exportAndWait(lib.core, sorting(lib, { Beach: [0] }), { mode: 'tags', destination: lib.work }), /takes no destination/);
  const r = await exportAndWait(lib.core, sorting(lib, { Beach: [0, 1], 'Trips|Italy': [0, 2] }, true), { mode: 'tags', destination: null });
  assert.deepEqual([r.files, r.done, r.failed.length], [3, 2, 1]);
  assert.match(r.failed[0]!.reason, new RegExp(`${c!.path}\\.xmp is not an XMP sidecar Shoebox can read .*left unchanged`));
  assert.equal(await readFile(`${c!.path}.xmp`, 'utf8'), 'not xml at all <');

  const created = await readFile(`${a!.path}.xmp`, 'utf8');
  assert.deepEqual(subjectsIn(created, 'http://purl.org/dc/elements/1.1/', 'subject'), ['Beach', 'Trips|Italy']);
  assert.deepEqual(subjectsIn(created, 'http://ns.adobe.com/lightroom/1.0/', 'hierarchicalSubject'), ['Beach', 'Trips|Italy']);
  const merged = await readFile(`${b!.path}.xmp`, 'utf8');
  assert.deepEqual(subjectsIn(merged, 'http://purl.org/dc/elements/1.1/', 'subject'), ['holiday', 'Beach']);
  assert.deepEqual(subjectsIn(merged, 'http://ns.adobe.com/lightroom/1.0/', 'hierarchicalSubject'), ['Beach']);
  assert.match(merged, /<darktable:history><rdf:Seq><rdf:li darktable:operation="exposure"\/><\/rdf:Seq><\/darktable:history>/);
  // The photos themselves are not touched.
  for (const [file, hash] of photosBefore) if (!file.endsWith('.xmp')) assert.equal(await hashOf(path.join(lib.library, file)), hash);

  const undo = await undoAndWait(lib.core);
  assert.deepEqual([undo.undone, undo.complete], [2, true], 'the failed item had nothing to undo');
  assert.equal(await readFile(`${b!.path}.xmp`, 'utf8'), existing, 'restored byte for byte');
  assert.ok(!existsSync(`${a!.path}.xmp`), 'a sidecar the export created is removed');
  assert.deepEqual(await snapshot(lib.library), photosBefore);
  assert.ok(!existsSync(path.join(lib.work, 'data', 'exports', String(r.exportId))), 'the saved original is removed once restored');
});

test('refused destinations: inside a library folder (copy, link), the data folder, one holding a library folder (move)', async (t) => {
  const lib = await makeLibrary(t, ['a.jpg']);
  const assignment = sorting(lib, { Pets: [0] });
  for (const mode of ['copy', 'link'] as const) {
    await assert.rejects(exportAndWait(lib.core, assignment, { mode, destination: path.join(lib.library, 'sorted') }), (err: Error) => {
      assert.match(err.message, new RegExp(`${path.join(lib.library, 'sorted', 'Pets')} is inside the library folder ${lib.library}: a ${mode} there would show every photo twice`));
      return true;
    });
  }
  // A category folder that lands in a library folder is refused too (the destination holds the library).
  await assert.rejects(exportAndWait(lib.core, sorting(lib, { library: [0] }), { mode: 'copy', destination: lib.work }), /is inside the library folder/);
  await assert.rejects(exportAndWait(lib.core, assignment, { mode: 'copy', destination: path.join(lib.work, 'data', 'x') }), /is inside Shoebox's data folder/);
  await assert.rejects(exportAndWait(lib.core, assignment, { mode: 'move', destination: lib.work }), /holds the library folder .*: move into a folder inside that library folder/);
  await assert.rejects(exportAndWait(lib.core, assignment, { mode: 'copy', destination: 'relative/path' }), /relative path/);
  await assert.rejects(exportAndWait(lib.core, sorting(lib, {}), { mode: 'copy', destination: path.join(lib.work, 'out') }), /nothing to export/);
  await writeFile(path.join(lib.work, 'a-file'), '');
  await assert.rejects(exportAndWait(lib.core, assignment, { mode: 'copy', destination: path.join(lib.work, 'a-file') }), /is a file, not a folder/);
  // Nothing was written anywhere, and the API says why with the right error code.
  assert.deepEqual(lib.core.store.exports.list(), []);
  await assert.rejects(callApi(lib.core, 'sort.export', { mode: 'tags', destination: lib.work }), (err: Error & { code?: string }) => err.code === 'bad-input' && /tags takes no destination/.test(err.message));
});
