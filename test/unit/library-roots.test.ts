// Root folders: normalising, refusing duplicates and nesting, and containment checks for file access.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import {
  addRoot,
  expandHome,
  folderError,
  isInside,
  isInsideRoots,
  isSystemFolder,
  normaliseRoot,
  openFoldersUnder,
  requireAbsolute,
  resolveInsideRoots,
  shortenMiddle,
  systemFolderReason,
} from '../../electron/core/library/roots.js';
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

test('expandHome expands ~ and ~/x to the home folder, and leaves other paths and ~name alone', () => {
  const home = '/home/ada';
  assert.equal(expandHome('~', home), home);
  assert.equal(expandHome('~/Pictures', home), '/home/ada/Pictures');
  assert.equal(expandHome('~/Pictures/../Photos 2024/été', home), '/home/ada/Photos 2024/été');
  assert.equal(expandHome('~bob/Pictures', home), '~bob/Pictures');
  assert.equal(expandHome('/srv/~/x', home), '/srv/~/x');
  assert.equal(expandHome('Pictures', home), 'Pictures');
});

test('requireAbsolute refuses relative paths with the reason and an example, ~name included', () => {
  requireAbsolute('/srv/photos');
  assert.throws(() => requireAbsolute('photos'), /^Error: "photos" is a relative path: give the folder's full path, e\.g\. .* or ~\/Pictures\.$/);
  assert.throws(() => requireAbsolute('./photos'), /relative path/);
  assert.throws(() => requireAbsolute('~bob/Pictures'), /another account's ~name is not expanded/);
});

test('system and virtual folders are refused with a reason, and so is a folder that holds them', () => {
  for (const p of ['/proc', '/sys/kernel', '/dev', '/run/user/1000']) {
    assert.equal(isSystemFolder(p, 'linux'), true, p);
    assert.match(systemFolderReason(p, 'linux') ?? '', /^\/(proc|sys|dev|run)\S*( is| is inside \/\w+,) .*: Shoebox cannot index photos there\./, p);
  }
  assert.match(systemFolderReason('/proc', 'linux') ?? '', /^\/proc is a virtual folder of running processes/);
  assert.match(systemFolderReason('/', 'linux') ?? '', /^\/ holds the system's own folders \(\/proc among them\)/);
  assert.equal(isSystemFolder('/', 'linux'), false, 'the top is browsed, not added');
  for (const p of ['/home/ada/Pictures', '/procedures', '/srv/run', '/mnt/photos']) assert.equal(systemFolderReason(p, 'linux'), null, p);
  assert.match(systemFolderReason('/System/Library', 'darwin') ?? '', /inside \/System, the macOS system folder/);
  assert.equal(systemFolderReason('/Users/ada/Pictures', 'darwin'), null);
});

test('removable disks under /run/media are library folders; /run itself and the rest of /run are not', () => {
  for (const p of ['/run/media', '/run/media/ada', '/run/media/ada/SD card/DCIM']) {
    assert.equal(systemFolderReason(p, 'linux'), null, p);
    assert.equal(isSystemFolder(p, 'linux'), false, p);
  }
  for (const p of ['/run', '/run/user/1000/media', '/run/mediax', '/run/media/../user', '/run/mount']) assert.equal(isSystemFolder(p, 'linux'), true, p);
  assert.match(systemFolderReason('/run', 'linux') ?? '', /^\/run is a folder of the running system’s temporary state: Shoebox cannot index photos there\./);
  assert.match(systemFolderReason('/run/mediax', 'linux') ?? '', /^\/run\/mediax is inside \/run,/);
  // The folder browser goes through /run to /run/media, and from the top of the disk.
  assert.deepEqual(openFoldersUnder('/run', 'linux'), ['/run/media']);
  assert.deepEqual(openFoldersUnder('/', 'linux'), ['/run/media']);
  for (const p of ['/run/media', '/run/user', '/proc']) assert.deepEqual(openFoldersUnder(p, 'linux'), [], p);
  assert.deepEqual(openFoldersUnder('C:\\Windows', 'win32'), []);
});

test('shortenMiddle keeps the start and the end of a long path; folderError names the path and the reason', () => {
  const long = `/tmp/${'a'.repeat(3990)}/end`;
  const short = shortenMiddle(long);
  assert.equal(short.length, 160);
  assert.ok(short.startsWith('/tmp/aaa') && short.endsWith('aaa/end') && short.includes('…'), short);
  assert.equal(shortenMiddle('/short/path'), '/short/path');
  const tooLong = Object.assign(new Error('ENAMETOOLONG: name too long'), { code: 'ENAMETOOLONG' });
  assert.match(folderError(long, tooLong).message, /^\/tmp\/a+…a+\/end: the path is too long for this system \(3,999 characters; a folder name may have at most 255\)$/);
  const denied = Object.assign(new Error('EACCES'), { code: 'EACCES' });
  assert.equal(folderError('/srv/x', denied).message, '/srv/x: Shoebox is not allowed to open this folder (permission denied)');
});

test('addRoot refuses /proc and a 4,000-character path in words, and takes a path with spaces and unicode', async (t) => {
  const dir = tempDir(t);
  const odd = path.join(dir, 'Photos 2024 — été 🌅');
  mkdirSync(odd);
  const store = openStore(path.join(dir, 'library.sqlite'));
  t.after(() => store.close());
  if (process.platform === 'linux') await assert.rejects(addRoot(store, '/proc'), /^Error: \/proc is a virtual folder of running processes, not files on disk: Shoebox cannot index photos there\./);
  const long = path.join(dir, 'x'.repeat(4000 - dir.length - 1));
  assert.equal(long.length, 4000);
  await assert.rejects(addRoot(store, long), (err: Error) => {
    assert.match(err.message, /: the path is too long for this system \(4,000 characters; a folder name may have at most 255\)$/);
    assert.ok(err.message.length < 260, `a message a person can read, not the whole path: ${err.message.length} characters`);
    return true;
  });
  assert.equal((await addRoot(store, odd)).path, odd);
});
