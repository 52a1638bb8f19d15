// Thumbnail temp files: written in the cache's one temp folder, and those a killed process left
// there are removed when a library opens; those of a live writer are left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Shoebox } from '../../electron/core/shoebox.js';
import { removeStaleTempFiles, thumbnailPath, writeThumbnail } from '../../electron/core/imaging/thumbnails.js';
import { tempDir } from '../support/temp-dir.js';

const HASH = 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12';

/** The pid of a process that has ended, as a kill -9 leaves it. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

test('writes go through <cache>/.tmp and leave nothing there', async (t) => {
  const cache = await tempDir(t, 'shoebox-thumbtmp-');
  await Promise.all([writeThumbnail(cache, HASH, Buffer.from('a')), writeThumbnail(cache, HASH, Buffer.from('b'))]);
  assert.deepEqual(await readdir(path.join(cache, '.tmp')), []);
  assert.deepEqual(await readdir(path.dirname(thumbnailPath(cache, HASH))), [`${HASH}.webp`]);
});

test('removeStaleTempFiles removes dead writers\' and old files, keeps a live writer\'s and foreign names', async (t) => {
  const cache = await tempDir(t, 'shoebox-thumbtmp-');
  const temp = path.join(cache, '.tmp');
  await mkdir(temp);
  const dead = `${HASH}.${deadPid()}.0a0b0c0d0e0f.tmp`;
  const live = `${HASH}.${process.pid}.111111111111.tmp`;
  const liveButOld = `${HASH}.${process.pid}.222222222222.tmp`;
  const foreign = 'notes.txt';
  for (const name of [dead, live, liveButOld, foreign]) await writeFile(path.join(temp, name), 'x');
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
  await utimes(path.join(temp, liveButOld), twoHoursAgo, twoHoursAgo);

  assert.equal(await removeStaleTempFiles(cache), 2);
  assert.deepEqual((await readdir(temp)).sort(), [foreign, live].sort());
  assert.equal(await removeStaleTempFiles(path.join(cache, 'absent')), 0);
});

test('opening a library removes the temp thumbnails a killed process left', async (t) => {
  const dataDir = await tempDir(t, 'shoebox-thumbtmp-');
  const temp = path.join(dataDir, 'thumbnails', '.tmp');
  await mkdir(temp, { recursive: true });
  const left = `${HASH}.${deadPid()}.0a0b0c0d0e0f.tmp`;
  await writeFile(path.join(temp, left), 'half a thumbnail');
  const core = await Shoebox.open({ dataDir });
  t.after(() => core.close());
  assert.deepEqual(await readdir(temp), []);
});
