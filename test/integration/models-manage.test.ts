// Managing models on a real library: importing a published folder (copied with our record, the
// original untouched), switching to it as a background job while search keeps answering from the
// current model, switching back instantly, refusing to remove what is in use, removing what is
// not, and a kill -9 in the middle of a switch that leaves the choice as it was and resumes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { callApi } from '../../electron/core/api/table.js';
import { loadModelFolder, verifyManifest } from '../../electron/core/clip/model-folder.js';
import { Shoebox } from '../../electron/core/shoebox.js';
import { writeDemoLibrary } from '../../electron/core/synthetic/index.js';
import { rejectsWith } from '../support/compare.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(REPO, 'test/fixtures/clip-layouts');


test('import, switch while search answers, switch back, remove', { timeout: 180_000 }, async (t) => {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-models-'));
  const core = await Shoebox.open({ dataDir: path.join(work, 'data') });
  t.after(async () => {
    await core.close();
    await rm(work, { recursive: true, force: true });
  });
  const library = path.join(work, 'library');
  await writeDemoLibrary(library, { seed: 3, count: 24 });
  const root = await callApi(core, 'roots.add', { path: library });
  await callApi(core, 'jobs.wait', { jobId: (await callApi(core, 'index.start', { rootIds: [root.id] })).jobId });
  const indexed = (await callApi(core, 'status', { loadModel: false })).photos.indexed;
  assert.ok(indexed >= 20);

  // Import: copied with a record of every file; the person's folder is not written to.
  const source = path.join(work, 'clip-vit-test');
  await cp(path.join(FIXTURES, 'hf'), source, { recursive: true });
  const before = (await readdir(source, { recursive: true })).sort();
  const imported = await callApi(core, 'models.import', { path: source });
  assert.equal(imported.id, 'clip-vit-test');
  assert.deepEqual((await readdir(source, { recursive: true })).sort(), before);
  const folder = await loadModelFolder(imported.dir);
  assert.equal(folder.manifest?.source, `imported from ${source}`);
  assert.deepEqual(await verifyManifest(folder), { ok: true, problems: [] });
  await rejectsWith(callApi(core, 'models.import', { path: source }), 'bad-input', /already installed/);
  const broken = path.join(work, 'broken');
  await cp(path.join(FIXTURES, 'hf'), broken, { recursive: true });
  await rm(path.join(broken, 'onnx', 'text_model.onnx'));
  await rejectsWith(callApi(core, 'models.import', { path: broken }), 'bad-input', /onnx\/text_model\.onnx/);
  assert.deepEqual(await readdir(path.join(core.paths.models, '.staging')), [], 'a failed import leaves no staging folder');

  const listed = await callApi(core, 'models.list', {});
  assert.equal(listed.activeId, 'shoebox-mini');
  const entry = listed.installed.find((m) => m.id === 'clip-vit-test');
  assert.ok(entry && entry.layout === 'hf' && entry.embedDim === 32 && !entry.bundled && entry.embedded === 0);
  assert.ok(entry.bytes > 1_700_000, `disk use ${entry.bytes}`);

  // Measured on this machine, in a worker of its own, and listed beside the model.
  const speed = await callApi(core, 'models.measure', { id: 'clip-vit-test' });
  assert.ok(speed.imagesPerSecond > 0 && speed.textsPerSecond > 0 && speed.provider === 'cpu' && speed.batch === 'dynamic', JSON.stringify(speed));
  assert.deepEqual((await callApi(core, 'models.list', {})).installed.find((m) => m.id === 'clip-vit-test')?.speed, {
    imagesPerSecond: speed.imagesPerSecond,
    textsPerSecond: speed.textsPerSecond,
    provider: speed.provider,
    batch: speed.batch,
    measuredAt: speed.measuredAt,
  });
  assert.equal(core.models.chosenId(), 'shoebox-mini', 'measuring does not switch');

  // Switch: while the new model embeds, search answers from the current one. A search first, as a
  // person would have made: the first one also loads the text tower and measures the relevance
  // floor, which can outlast this 24-photo switch, and the check is about answering during it.
  assert.equal((await callApi(core, 'search.text', { query: 'a red star', limit: 5 })).hits.length, 5);
  const searchesDuring: Promise<{ model: string; hits: number }>[] = [];
  const unsubscribe = core.jobs.subscribe((e) => {
    if (e.kind === 'model-switch' && e.state === 'running' && e.done > 0 && searchesDuring.length === 0) {
      searchesDuring.push(
        callApi(core, 'search.text', { query: 'a red star', limit: 5 }).then(async (r) => ({ model: core.models.chosenId(), hits: r.hits.length })),
      );
    }
  });
  const { jobId } = await callApi(core, 'models.use', { id: 'clip-vit-test' });
  await rejectsWith(callApi(core, 'models.use', { id: 'shoebox-mini' }), 'conflict', /switch is running/);
  const outcome = await callApi(core, 'jobs.wait', { jobId });
  unsubscribe();
  assert.ok(outcome.kind === 'model-switch' && outcome.state === 'done', JSON.stringify(outcome));
  assert.equal(outcome.value.embedding.indexed, indexed);
  assert.equal(searchesDuring.length, 1, 'a search ran during the switch');
  assert.deepEqual(await searchesDuring[0], { model: 'shoebox-mini', hits: 5 });
  assert.equal((await callApi(core, 'models.list', {})).activeId, 'clip-vit-test');
  assert.equal((await callApi(core, 'status', {})).model?.embedDim, 32);
  assert.equal((await callApi(core, 'search.text', { query: 'a red star', limit: 5 })).hits.length, 5);
  assert.equal(core.store.embeddings.countIndexed('shoebox-mini'), indexed, 'the previous model’s embeddings are kept');

  // Back: nothing to embed.
  const back = await callApi(core, 'jobs.wait', { jobId: (await callApi(core, 'models.use', { id: 'shoebox-mini' })).jobId });
  assert.ok(back.kind === 'model-switch' && back.state === 'done');
  assert.equal(back.value.embedding.indexed, 0);
  assert.equal((await callApi(core, 'status', {})).model?.modelId, 'shoebox-mini');

  // Removing: not the active one, not a bundled one; the other goes with its embeddings.
  await rejectsWith(callApi(core, 'models.remove', { id: 'shoebox-mini' }), 'conflict', /comes with Shoebox/);
  await rejectsWith(callApi(core, 'models.use', { id: 'nope' }), 'not-found', /No installed model/);
  const removed = await callApi(core, 'models.remove', { id: 'clip-vit-test' });
  assert.equal(removed.embeddingsDeleted, indexed);
  await assert.rejects(stat(imported.dir), /ENOENT/);
  assert.ok((await readdir(source)).length > 0, 'the imported original is still there');
});

test('kill -9 during a switch leaves the active model as it was, and the same switch resumes', { timeout: 240_000 }, async (t) => {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-switch-kill-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const dataDir = path.join(work, 'data');
  const library = path.join(work, 'library');
  const photos = 90;
  await writeDemoLibrary(library, { seed: 5, count: photos, minSide: 1200, maxSide: 1400 });
  const cli = (...args: string[]) => spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'electron/cli/main.ts'), ...args, '--data-dir', dataDir], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const run = (...args: string[]) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = cli(...args);
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => resolve({ code, out }));
    });
  assert.equal((await run('index', library, '--json')).code, 0, 'indexed');
  const imported = await run('models', 'import', path.join(FIXTURES, 'immich'), '--json');
  assert.equal(imported.code, 0, imported.out);

  const embeddedBy = (model: string): number => {
    const db = new Database(path.join(dataDir, 'library.sqlite'), { readonly: true });
    try {
      return db.prepare('SELECT count(*) FROM embeddings WHERE model_id = ?').pluck().get(model) as number;
    } finally {
      db.close();
    }
  };
  const child = cli('models', 'use', 'immich', '--json');
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let atKill = 0;
  for (let i = 0; i < 1200 && child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 100));
    atKill = embeddedBy('immich');
    if (atKill >= 5) break;
  }
  assert.equal(child.exitCode, null, 'the switch finished before it could be killed');
  child.kill('SIGKILL');
  await exited;
  assert.ok(atKill >= 5 && atKill < photos, `killed mid-switch: ${atKill} of ${photos} embedded`);

  const status = JSON.parse((await run('status', '--json')).out) as { model: { modelId: string } };
  assert.equal(status.model.modelId, 'shoebox-mini', 'the choice is unchanged after the kill');
  const resumed = await run('models', 'use', 'immich', '--json');
  assert.equal(resumed.code, 0, resumed.out);
  const result = JSON.parse(resumed.out) as { modelId: string; embedding: { indexed: number } };
  assert.equal(result.modelId, 'immich');
  assert.ok(result.embedding.indexed <= photos - atKill, `resumed: ${result.embedding.indexed} embedded now, ${atKill} before the kill`);
  assert.equal(embeddedBy('immich'), embeddedBy('shoebox-mini'));
});
