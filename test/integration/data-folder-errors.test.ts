// A data folder that cannot be used, through the real command line (a child process): a
// read-only disk (tmpfs remounted ro), a folder the user may not write in (run as `nobody`), a
// file in the way. The message names the folder, the cause and what to do; the exit code is 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../electron/core/store/db.js';
import { tempDir } from '../support/temp-dir.js';
import { mountTmpfs, remountReadOnly } from '../support/tmpfs.js';

const repo = path.resolve(import.meta.dirname, '../..');
const CHOOSE = /choose (another|a) data folder .*with --data-dir <folder> or SHOEBOX_DATA_DIR/;

function shoeboxStatus(dataDir: string, asUser?: string[]): { code: number | null; stderr: string } {
  const cli = [process.execPath, '--import', 'tsx', path.join(repo, 'electron/cli/main.ts'), 'status', '--data-dir', dataDir];
  const [cmd, ...args] = asUser ? [...asUser, ...cli] : cli;
  const r = spawnSync(cmd!, args, { cwd: repo, encoding: 'utf8', env: { ...process.env, HOME: '/tmp' } });
  return { code: r.status, stderr: r.stderr };
}

test('a read-only disk: a new data folder and an existing one are refused, naming the folder and the cause', { timeout: 60_000 }, async (t) => {
  const mount = await mountTmpfs(t, '4m');
  if (!mount) return;
  const existing = path.join(mount, 'existing');
  // A library made while the disk was writable, then the disk goes read-only.
  assert.equal(shoeboxStatus(existing).code, 0);
  remountReadOnly(mount);

  const fresh = path.join(mount, 'new', 'data');
  const created = shoeboxStatus(fresh);
  assert.equal(created.code, 1, created.stderr);
  assert.ok(created.stderr.includes(`Cannot create the data folder ${fresh}: ${mount} is on a read-only file system.`), created.stderr);
  assert.match(created.stderr, CHOOSE);
  assert.doesNotMatch(created.stderr, /ENOENT/);

  const used = shoeboxStatus(existing);
  assert.equal(used.code, 1, used.stderr);
  assert.ok(used.stderr.includes(`Cannot use the data folder ${existing}: it is on a read-only file system.`), used.stderr);
  assert.match(used.stderr, /remount that disk read-write/);

  // The store on its own (tests, tools) says the same instead of "unable to open database file" alone.
  assert.throws(() => openDatabase(path.join(mount, 'other.sqlite')), (err: Error) => {
    assert.match(err.message, /unable to open database file/);
    assert.match(err.message, /is on a read-only file system/);
    return true;
  });
});

test('a data folder inside a file, or that is a file, names the file', { timeout: 60_000 }, async (t) => {
  const dir = await tempDir(t, 'shoebox-datafile-');
  const file = path.join(dir, 'notes.txt');
  await writeFile(file, 'not a folder');

  const inside = shoeboxStatus(path.join(file, 'data'));
  assert.equal(inside.code, 1, inside.stderr);
  assert.ok(inside.stderr.includes(`Cannot create the data folder ${path.join(file, 'data')}: ${file} is a file, not a folder.`), inside.stderr);
  assert.match(inside.stderr, /move that file away, or choose another data folder/);

  const itself = shoeboxStatus(file);
  assert.equal(itself.code, 1, itself.stderr);
  assert.ok(itself.stderr.includes(`Cannot use the data folder ${file}: it is a file, not a folder.`), itself.stderr);
});

test('a folder the user may not write in: permission denied, with the user and the folder', { timeout: 60_000 }, async (t) => {
  // root may write anywhere, so the check runs as `nobody` (setpriv, util-linux).
  if (process.getuid?.() !== 0 || spawnSync('setpriv', ['--version']).status !== 0) {
    t.skip('needs root and setpriv to run the command as another user');
    return;
  }
  const nobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
  // A checkout in a private folder (mktemp -d makes it 0700) cannot be run by `nobody` at all.
  const tsx = path.join(repo, 'node_modules', 'tsx', 'package.json');
  if (spawnSync(nobody[0]!, [...nobody.slice(1), 'test', '-r', tsx]).status !== 0) {
    t.skip(`nobody cannot read this checkout (${tsx}), so cannot run Shoebox from it`);
    return;
  }
  const dir = await tempDir(t, 'shoebox-noperm-');
  await chmod(dir, 0o755); // nobody may enter but not write
  const owned = path.join(dir, 'library');
  await mkdir(owned);

  const fresh = path.join(dir, 'data');
  const created = shoeboxStatus(fresh, nobody);
  assert.equal(created.code, 1, created.stderr);
  assert.ok(created.stderr.includes(`Cannot create the data folder ${fresh}: permission denied: the user running Shoebox (nobody) may not write in ${dir}.`), created.stderr);
  assert.match(created.stderr, new RegExp(`give that user write permission on ${dir}, or choose another data folder`));
  assert.equal(existsSync(fresh), false);

  const used = shoeboxStatus(owned, nobody);
  assert.equal(used.code, 1, used.stderr);
  assert.ok(used.stderr.includes(`Cannot use the data folder ${owned}: permission denied: the user running Shoebox (nobody) may not write in it.`), used.stderr);
});
