// The first-run demo library: written once into the data folder, added as a library folder and
// indexed as a job; asking again reuses it instead of writing a second copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Shoebox } from '../../electron/core/shoebox.js';
import type { IndexSummary } from '../../electron/core/library/index-job.js';
import { callApi } from '../../electron/core/api/table.js';
import { ApiError } from '../../electron/core/api/define.js';

test('library.addDemo writes, adds and indexes the demo library once', { timeout: 120_000 }, async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-demo-'));
  const core = await Shoebox.open({ dataDir });
  t.after(async () => {
    await core.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const first = await callApi(core, 'library.addDemo', { count: 12 });
  assert.equal(first.root.path, path.join(await realpath(dataDir), 'demo-library'));
  const outcome = await callApi(core, 'jobs.wait', { jobId: first.jobId });
  assert.equal(outcome.state, 'done');
  const summary = (outcome as { value: IndexSummary }).value;
  assert.equal(summary.indexed, 12);
  assert.equal(summary.failed.length, 4, 'the demo library shows how broken files are reported');

  const again = await callApi(core, 'library.addDemo', { count: 12 });
  assert.equal(again.root.id, first.root.id);
  await callApi(core, 'jobs.wait', { jobId: again.jobId });
  assert.equal((await callApi(core, 'roots.list', {})).length, 1);
  assert.equal((await callApi(core, 'status', { loadModel: false })).photos.indexed, 12);
  assert.ok((await readdir(path.join(dataDir, 'demo-library'))).includes('manifest.json'));

  // A query that parses but leaves nothing to search for is the person's input, not a crash.
  await assert.rejects(callApi(core, 'search.text', { query: 'dog - dog' }), (err: unknown) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 'bad-input');
    assert.match(err.message, /cancel each other out/);
    return true;
  });
  await assert.rejects(callApi(core, 'search.text', { query: '"unclosed' }), { name: 'ApiError', code: 'bad-input' });
});
