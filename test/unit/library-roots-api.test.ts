// roots.add through the API: a relative path is refused (the core cannot know what it is relative
// to), `~/…` is this account's home, and the data folder, anything inside it and system folders are refused; the command line resolves a relative
// folder against its own working folder, as a person typing it in a terminal means.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { Shoebox } from '../../electron/core/shoebox.js';
import { callApi } from '../../electron/core/api/table.js';
import { ApiError } from '../../electron/core/api/define.js';
import { tempDir } from '../support/temp-dir.js';

const repo = path.resolve(import.meta.dirname, '../..');

function refused(pattern: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.code, 'bad-input');
    assert.match(err.message, pattern);
    return true;
  };
}

test('roots.add refuses relative paths, with or without reuse, and says to give a full path', async (t) => {
  const dir = await realpath(await tempDir(t, 'shoebox-rootsapi-'));
  const core = await Shoebox.open({ dataDir: path.join(dir, 'data') });
  t.after(() => core.close());
  await mkdir(path.join(dir, 'photos'));
  // Even one that exists relative to this process's working folder.
  const relative = path.relative(process.cwd(), path.join(dir, 'photos'));
  for (const reuse of [false, true]) {
    await assert.rejects(callApi(core, 'roots.add', { path: relative, reuse }), refused(/is a relative path: give the folder's full path, e\.g\. /));
  }
  await assert.rejects(callApi(core, 'roots.add', { path: 'photos' }), refused(/^"photos" is a relative path/));
  await assert.rejects(callApi(core, 'roots.add', { path: '~bob/Pictures' }), refused(/^"~bob\/Pictures" is a relative path: .*another account's ~name is not expanded/));
  assert.deepEqual(await callApi(core, 'roots.list', {}), []);
  assert.equal((await callApi(core, 'roots.add', { path: path.join(dir, 'photos') })).path, path.join(dir, 'photos'));
});

test('roots.add refuses the data folder and folders inside it, saying why', async (t) => {
  const dir = await realpath(await tempDir(t, 'shoebox-rootsapi-'));
  const dataDir = path.join(dir, 'data');
  const core = await Shoebox.open({ dataDir });
  t.after(() => core.close());
  await assert.rejects(
    callApi(core, 'roots.add', { path: dataDir }),
    refused(new RegExp(`^${dataDir} is Shoebox's data folder, which holds the library database, thumbnails and models, not photos: choose a folder of your own photos\\.$`)),
  );
  await assert.rejects(callApi(core, 'roots.add', { path: path.join(dataDir, 'thumbnails') }), refused(/is inside Shoebox's data folder/));
  await assert.rejects(callApi(core, 'roots.add', { path: path.join(dataDir, 'thumbnails'), reuse: true }), refused(/is inside Shoebox's data folder/));
  assert.deepEqual(await callApi(core, 'roots.list', {}), []);
});

test('the command line resolves a relative folder against its own working folder', async (t) => {
  const dir = await realpath(await tempDir(t, 'shoebox-rootscli-'));
  await mkdir(path.join(dir, 'photos'));
  const tsx = import.meta.resolve('tsx');
  const r = spawnSync(process.execPath, ['--import', tsx, path.join(repo, 'electron/cli/main.ts'), 'roots', 'add', 'photos', '--data-dir', path.join(dir, 'data'), '--json'], {
    cwd: dir,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const roots = JSON.parse(r.stdout) as { path: string }[];
  assert.deepEqual(roots.map((x) => x.path), [path.join(dir, 'photos')]);
});

test('roots.add expands ~ and ~/… to the home folder, and says whether the folder holds photos', async (t) => {
  const home = await realpath(await tempDir(t, 'shoebox-home-'));
  const saved = process.env['HOME'];
  process.env['HOME'] = home; // os.homedir() reads it on POSIX
  t.after(() => (saved === undefined ? delete process.env['HOME'] : (process.env['HOME'] = saved)));
  if (homedir() !== home) return t.skip('this platform does not take the home folder from HOME');
  await mkdir(path.join(home, 'Pictures', 'Trip 2024 — été'), { recursive: true });
  await mkdir(path.join(home, 'Empty'));
  await writeFile(path.join(home, 'Pictures', 'Trip 2024 — été', 'beach.JPG'), 'not decoded here');
  const core = await Shoebox.open({ dataDir: path.join(home, 'data') });
  t.after(() => core.close());
  const added = await callApi(core, 'roots.add', { path: '~/Pictures' });
  assert.equal(added.path, path.join(home, 'Pictures'));
  assert.equal(added.holdsPhotos, true, 'a photo two levels down counts');
  assert.equal((await callApi(core, 'roots.add', { path: '~/Pictures', reuse: true })).id, added.id);
  const empty = await callApi(core, 'roots.add', { path: '~/Empty/' });
  assert.equal(empty.path, path.join(home, 'Empty'));
  assert.equal(empty.holdsPhotos, false);
  await assert.rejects(callApi(core, 'roots.add', { path: '~' }), refused(/contains the library folder/));
});

test('roots.add refuses system and virtual folders, and says why a very long path cannot be opened', { skip: process.platform !== 'linux' }, async (t) => {
  const dir = await realpath(await tempDir(t, 'shoebox-rootsapi-'));
  const core = await Shoebox.open({ dataDir: path.join(dir, 'data') });
  t.after(() => core.close());
  await assert.rejects(callApi(core, 'roots.add', { path: '/proc' }), refused(/^\/proc is a virtual folder of running processes, not files on disk: Shoebox cannot index photos there\. Choose a folder of your own photos\.$/));
  await assert.rejects(callApi(core, 'roots.add', { path: '/sys/class' }), refused(/^\/sys\/class is inside \/sys, a virtual folder of kernel settings/));
  await assert.rejects(callApi(core, 'roots.add', { path: '/' }), refused(/^\/ holds the system's own folders/));
  await assert.rejects(callApi(core, 'roots.add', { path: `/tmp/${'n'.repeat(4000)}` }), refused(/^\/tmp\/n+…n+: the path is too long for this system \(4,005 characters/));
  await assert.rejects(callApi(core, 'roots.add', { path: `/tmp/${'n'.repeat(5000)}` }), refused(/the path is too long for this system/), 'longer than Linux allows: the same sentence, not a schema error');
  assert.deepEqual(await callApi(core, 'roots.list', {}), []);
});
