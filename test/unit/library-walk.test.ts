// Walking library folders: what counts as a photo, what is skipped, symlinks, unreadable folders.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isPhotoName, isSkippedName, walkRoots, type WalkError, type WalkRoot } from '../../electron/core/library/walk.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function tempDir(t: TestContext): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'shoebox-walk-')));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function touch(file: string, content = 'x'): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

async function walk(roots: WalkRoot[], signal?: AbortSignal): Promise<{ files: string[]; errors: WalkError[] }> {
  const files: string[] = [];
  const errors: WalkError[] = [];
  for await (const f of walkRoots(roots, { onError: (e) => errors.push(e), signal })) files.push(f.path);
  return { files, errors };
}

test('photo extensions are recognised case-insensitively; hidden and system names are skipped', () => {
  for (const n of ['a.jpg', 'b.JPEG', 'c.Jpe', 'd.png', 'e.webp', 'f.avif', 'g.gif', 'h.tif', 'i.TIFF', 'j.heic', 'k.HEIF']) assert.equal(isPhotoName(n), true, n);
  for (const n of ['a.txt', 'jpg', 'a.jpg.part', 'a.raw', 'a.mp4']) assert.equal(isPhotoName(n), false, n);
  for (const n of ['.hidden.jpg', '.git', 'Thumbs.db', 'desktop.ini', '.DS_Store', '@eaDir', '$RECYCLE.BIN', 'System Volume Information', 'lost+found', 'THUMBS.DB']) {
    assert.equal(isSkippedName(n), true, n);
  }
  assert.equal(isSkippedName('holiday.jpg'), false);
});

test('walks nested folders with sizes and mtimes, skipping hidden/system entries, keeping unicode names', async (t) => {
  const dir = tempDir(t);
  touch(path.join(dir, 'a.jpg'), 'abc');
  touch(path.join(dir, '2020', 'Été à Zürich', '猫.PNG'));
  touch(path.join(dir, '2020', 'deep', 'er', 'x.heic'));
  touch(path.join(dir, 'notes.txt'));
  touch(path.join(dir, '.hidden.jpg'));
  touch(path.join(dir, '.thumbnails', 'cache.jpg'));
  touch(path.join(dir, '@eaDir', 'a.jpg', 'SYNOPHOTO_THUMB_XL.jpg'));
  touch(path.join(dir, '$RECYCLE.BIN', 'old.jpg'));
  mkdirSync(path.join(dir, 'folder.jpg'));
  const seen = [];
  for await (const f of walkRoots([{ id: 7, path: dir }], { onError: () => assert.fail('no errors expected') })) seen.push(f);
  assert.deepEqual(seen.map((f) => f.relPath), ['a.jpg', path.join('2020', 'deep', 'er', 'x.heic'), path.join('2020', 'Été à Zürich', '猫.PNG')]);
  assert.equal(seen[0]!.size, 3);
  assert.equal(seen[0]!.rootId, 7);
  assert.ok(seen[0]!.mtimeMs > 0);
  assert.equal(seen[2]!.path, path.join(dir, '2020', 'Été à Zürich', '猫.PNG'));
});

test('symlinks inside the roots are followed once; loops, self-links and dangling links are survived; links out are reported, not followed', async (t) => {
  const dir = tempDir(t);
  const root = path.join(dir, 'root');
  const elsewhere = path.join(dir, 'elsewhere');
  touch(path.join(root, 'album', 'a.jpg'));
  touch(path.join(elsewhere, 'b.jpg'));
  symlinkSync(root, path.join(root, 'album', 'loop'));
  symlinkSync(path.join(root, 'self'), path.join(root, 'self'));
  symlinkSync(path.join(dir, 'gone'), path.join(root, 'dangling.jpg'));
  symlinkSync(elsewhere, path.join(root, 'link-out'));
  symlinkSync(path.join(root, 'album'), path.join(root, 'aaa-alias'));
  symlinkSync(path.join(elsewhere, 'b.jpg'), path.join(root, 'linked-file.jpg'));
  const { files, errors } = await walk([{ id: 1, path: root }]);
  // The album is recorded under its real path even though its alias sorts first.
  assert.deepEqual(files.sort(), [path.join(root, 'album', 'a.jpg')]);
  assert.deepEqual(
    errors.map((e) => [e.path, e.message.includes('outside the library folders')]).sort(),
    [[path.join(root, 'link-out'), true], [path.join(root, 'linked-file.jpg'), true]],
  );
});

test('a root that does not exist is reported as an unreadable folder, other roots still walk', async (t) => {
  const dir = tempDir(t);
  touch(path.join(dir, 'ok', 'a.jpg'));
  const { files, errors } = await walk([{ id: 1, path: path.join(dir, 'unplugged') }, { id: 2, path: path.join(dir, 'ok') }]);
  assert.deepEqual(files, [path.join(dir, 'ok', 'a.jpg')]);
  assert.equal(errors.length, 1);
  assert.deepEqual([errors[0]!.kind, errors[0]!.path, errors[0]!.rootId, errors[0]!.code], ['folder', path.join(dir, 'unplugged'), 1, 'ENOENT']);
});

test('an unreadable folder is reported and skipped, and the walk carries on', async (t) => {
  const dir = tempDir(t);
  touch(path.join(dir, 'a.jpg'));
  touch(path.join(dir, 'locked', 'secret.jpg'));
  touch(path.join(dir, 'z', 'b.jpg'));
  chmodSync(path.join(dir, 'locked'), 0o000);
  let result: { files: string[]; errors: WalkError[] };
  if (process.getuid?.() !== 0) {
    try {
      result = await walk([{ id: 1, path: dir }]);
    } finally {
      chmodSync(path.join(dir, 'locked'), 0o755);
    }
  } else {
    // Permissions do not stop root: walk as the unprivileged 'nobody' user in a child process.
    chmodSync(dir, 0o755);
    const walkUrl = pathToFileURL(path.join(repoRoot, 'electron/core/library/walk.ts')).href;
    const child = spawnSync(
      process.execPath,
      [
        '--import', 'tsx', '--input-type=module', '-e',
        `import { walkRoots } from ${JSON.stringify(walkUrl)};
         const files = [], errors = [];
         for await (const f of walkRoots([{ id: 1, path: process.argv[1] }], { onError: (e) => errors.push(e) })) files.push(f.path);
         console.log(JSON.stringify({ files, errors }));`,
        dir,
      ],
      { cwd: repoRoot, uid: 65534, gid: 65534, encoding: 'utf8', env: { ...process.env, HOME: tmpdir() } },
    );
    if (child.error || child.status !== 0) {
      t.skip(`running as root and could not run the walk as user 65534: ${child.error?.message ?? child.stderr}`);
      return;
    }
    result = JSON.parse(child.stdout) as typeof result;
  }
  assert.deepEqual(result.files, [path.join(dir, 'a.jpg'), path.join(dir, 'z', 'b.jpg')]);
  assert.equal(result.errors.length, 1);
  assert.equal(result.errors[0]!.path, path.join(dir, 'locked'));
  assert.equal(result.errors[0]!.code, 'EACCES');
  assert.match(result.errors[0]!.message, /cannot list folder/);
});

test('aborting stops the walk with an AbortError', async (t) => {
  const dir = tempDir(t);
  touch(path.join(dir, 'a', 'a.jpg'));
  touch(path.join(dir, 'b', 'b.jpg'));
  const controller = new AbortController();
  const files: string[] = [];
  await assert.rejects(async () => {
    for await (const f of walkRoots([{ id: 1, path: dir }], { onError: () => undefined, signal: controller.signal })) {
      files.push(f.path);
      controller.abort();
    }
  }, { name: 'AbortError' });
  assert.equal(files.length, 1);
});
