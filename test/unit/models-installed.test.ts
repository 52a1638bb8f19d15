// The installed-models folder: staging folders a killed import or download left are removed at
// open (a live process's and the Hub client's resumable ones are kept), and a model folder whose
// record names another id is listed as broken rather than under two names.
import assert from 'node:assert/strict';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { removeStaleStaging } from '../../electron/core/models/import.js';
import { listModels } from '../../electron/core/models/installed.js';
import { tempDir } from '../support/temp-dir.js';

const HF = path.resolve(import.meta.dirname, '../fixtures/clip-layouts/hf');

test('stale staging folders go, a live process’s and resumable Hub work folders stay', async (t) => {
  const installed = await tempDir(t, 'shoebox-staging-');
  const staging = path.join(installed, '.staging');
  const dead = 'clip.2147483646.0a1b2c3d'; // no such process
  const live = `clip.${process.pid}.0a1b2c3e`;
  const hub = 'hub-immich-app--x@main-1234';
  for (const name of [dead, live, hub]) {
    await mkdir(path.join(staging, name, 'model'), { recursive: true });
    await writeFile(path.join(staging, name, 'model', 'part.bin'), 'x');
  }
  assert.equal(await removeStaleStaging(installed), 1);
  assert.deepEqual((await readdir(staging)).sort(), [hub, live].sort());
  assert.equal(await removeStaleStaging(path.join(installed, 'none')), 0, 'no staging folder yet: nothing to do');
});

test('a folder whose manifest.json names another id is listed as broken, saying which', async (t) => {
  const installed = await tempDir(t, 'shoebox-installed-');
  await cp(HF, path.join(installed, 'renamed'), { recursive: true });
  await writeFile(
    path.join(installed, 'renamed', 'manifest.json'),
    JSON.stringify({ id: 'original', displayName: 'x', source: 'y', license: 'MIT', files: [] }),
  );
  await cp(HF, path.join(installed, 'plain'), { recursive: true });
  const { models, broken } = await listModels(installed, path.join(installed, 'no-bundled'));
  assert.deepEqual(models.map((m) => m.id), ['plain']);
  assert.equal(broken.length, 1);
  assert.match(broken[0]!.error, /manifest\.json names it original, but the folder is renamed/);
  assert.ok((await readFile(path.join(installed, 'renamed', 'manifest.json'), 'utf8')).includes('original'), 'nothing rewritten');
});
