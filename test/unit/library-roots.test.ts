// Root folders: normalising, refusing duplicates and nesting, and containment checks for file access.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { addRoot, isInside, isInsideRoots, normaliseRoot, resolveInsideRoots } from '../../electron/core/library/roots.js';
import { openStore } from '../../electron/core/store/index.js';

function tempDir(t: TestContext): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'shoebox-roots-')));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('isInsideRoots: children yes; siblings with a common prefix, parents and .. escapes no', () => {
  const roots = ['/photos', '/data/pictures'];
  const yes = ['/photos', '/photos/', '/photos/a.jpg', '/photos/2020/b.jpg', '/photos/..hidden.jpg', '/photos/x/../y.jpg', '/data/pictures/p.png'];
  const no = ['/photos2', '/photos2/a.jpg', '/photo', '/', '/data', '/photos/../etc/passwd', '/photos/a/../../etc', '/data/pictures-old/p.png', '/photos\0/a.jpg'];
  for (const p of yes) assert.equal(isInsideRoots(p, roots), true, p);
  for (const p of no) assert.equal(isInsideRoots(p, roots), false, p);
  assert.equal(isInsideRoots('/photos/a.jpg', []), false);
  assert.equal(isInside('/photos', '/photos/'), true);
});

test('resolveInsideRoots follows symlinks: a link inside a root that leads out is refused', async (t) => {
  const dir = tempDir(t);
  const root = path.join(dir, 'photos');
  const outside = path.join(dir, 'secrets');
  mkdirSync(path.join(root, 'album'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(root, 'album', 'a.jpg'), 'a');
  writeFileSync(path.join(outside, 'key.jpg'), 'k');
  symlinkSync(outside, path.join(root, 'escape'));
  symlinkSync(path.join(outside, 'key.jpg'), path.join(root, 'key.jpg'));
  symlinkSync(path.join(root, 'album'), path.join(root, 'alias'));
  const roots = [root];
  assert.equal(await resolveInsideRoots(path.join(root, 'album', 'a.jpg'), roots), path.join(root, 'album', 'a.jpg'));
  assert.equal(await resolveInsideRoots(path.join(root, 'alias', 'a.jpg'), roots), path.join(root, 'album', 'a.jpg'));
  assert.equal(await resolveInsideRoots(path.join(root, 'escape', 'key.jpg'), roots), null);
  assert.equal(await resolveInsideRoots(path.join(root, 'key.jpg'), roots), null);
  assert.equal(await resolveInsideRoots(path.join(root, 'album', '..', '..', 'secrets', 'key.jpg'), roots), null);
  assert.equal(await resolveInsideRoots(path.join(root, 'nope.jpg'), roots), null);
  assert.equal(await resolveInsideRoots(`${root}/a\0.jpg`, roots), null);
});

test('normaliseRoot resolves links and relative paths and explains bad input', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'real'));
  symlinkSync(path.join(dir, 'real'), path.join(dir, 'link'));
  writeFileSync(path.join(dir, 'file.jpg'), 'x');
  assert.equal(await normaliseRoot(path.join(dir, 'link') + path.sep), path.join(dir, 'real'));
  assert.equal(await normaliseRoot(path.relative(process.cwd(), path.join(dir, 'real'))), path.join(dir, 'real'));
  await assert.rejects(normaliseRoot(path.join(dir, 'absent')), /absent: folder does not exist/);
  await assert.rejects(normaliseRoot(path.join(dir, 'file.jpg')), /file\.jpg: is a file, not a folder/);
  await assert.rejects(normaliseRoot('  '), /Not a folder path/);
});

test('addRoot refuses duplicates (also through a link) and roots inside or around another root', async (t) => {
  const dir = tempDir(t);
  for (const d of ['photos/2020', 'photos2', 'all']) mkdirSync(path.join(dir, d), { recursive: true });
  symlinkSync(path.join(dir, 'photos'), path.join(dir, 'photos-link'));
  const store = openStore(path.join(dir, 'library.sqlite'));
  t.after(() => store.close());
  const photos = await addRoot(store, path.join(dir, 'photos'));
  assert.equal(photos.path, path.join(dir, 'photos'));
  await assert.rejects(addRoot(store, path.join(dir, 'photos-link')), /already a library folder/);
  await assert.rejects(addRoot(store, path.join(dir, 'photos', '2020')), /is inside the library folder/);
  await assert.rejects(addRoot(store, dir), /contains the library folder/);
  await addRoot(store, path.join(dir, 'photos2'));
  assert.deepEqual(store.roots.list().map((r) => path.basename(r.path)), ['photos', 'photos2']);
});
