// Making an int8 copy of the bundled model through the real API: a cancel installs nothing; the
// job installs <id>-int8 with its speed (and the original's) measured, leaves the original's files
// byte for byte as they were, and the copy embeds a real library within cosine 0.99 of fp32 and
// ranks searches nearly as fp32 does; a second copy, a copy of the copy and unknown ids are refused.
// The CLI prints the new id, the sizes and both speeds, and refuses in words a person can act on.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { callApi } from '../../electron/core/api/table.js';
import { loadModelFolder, verifyManifest } from '../../electron/core/clip/model-folder.js';
import { listFolderFiles, sha256File } from '../../electron/core/clip/model-record.js';
import { storedSpeed } from '../../electron/core/models/measure.js';
import { Shoebox } from '../../electron/core/shoebox.js';
import { writeDemoLibrary } from '../../electron/core/synthetic/index.js';
import { cosine, rejectsWith } from '../support/compare.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const ORIGINAL = path.join(REPO, 'models/shoebox-mini');
const COPY = 'shoebox-mini-int8';
const QUERIES = ['a red star', 'a blue circle on the beach', 'a green triangle in the snow', 'a yellow heart at night', 'a purple square on grass', 'a cross by a wall'];


async function checksums(dir: string): Promise<Map<string, string>> {
  const sums = new Map<string, string>();
  for (const rel of [...(await listFolderFiles(dir)), 'manifest.json']) sums.set(rel, await sha256File(path.join(dir, rel)));
  return sums;
}


async function topTen(core: Shoebox): Promise<number[][]> {
  const ranked: number[][] = [];
  for (const query of QUERIES) ranked.push((await callApi(core, 'search.text', { query, limit: 10, show: 'all' })).hits.map((h) => h.id));
  return ranked;
}

test('an int8 copy of the bundled model: cancelled, made, compared with fp32, refused again', { timeout: 240_000 }, async (t) => {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-quantize-'));
  const core = await Shoebox.open({ dataDir: path.join(work, 'data') });
  t.after(async () => {
    await core.close();
    await rm(work, { recursive: true, force: true });
  });
  const library = path.join(work, 'library');
  await writeDemoLibrary(library, { seed: 11, count: 40 });
  const root = await callApi(core, 'roots.add', { path: library });
  await callApi(core, 'jobs.wait', { jobId: (await callApi(core, 'index.start', { rootIds: [root.id] })).jobId });
  const photos = core.store.embeddings.indexedIds('shoebox-mini');
  assert.ok(photos.length >= 36, `${photos.length} photos indexed`);
  const fp32Ranking = await topTen(core);
  const before = await checksums(ORIGINAL);
  assert.equal(storedSpeed(core.store.settings, 'shoebox-mini'), null, 'the original has no speed yet');

  // A cancel once the first tower is done installs nothing and keeps no figure of the copy.
  const cancelled = await callApi(core, 'models.quantize', { id: 'shoebox-mini' });
  const stop = core.jobs.subscribe((e) => {
    if (e.jobId === cancelled.jobId && e.kind === 'model-quantize' && e.state === 'running' && e.done >= 1) void callApi(core, 'jobs.cancel', { jobId: cancelled.jobId });
  });
  const cancelledOutcome = await callApi(core, 'jobs.wait', { jobId: cancelled.jobId });
  stop();
  assert.equal(cancelledOutcome.state, 'cancelled', JSON.stringify(cancelledOutcome));
  assert.equal(core.models.folderOf(COPY), null);
  assert.equal(storedSpeed(core.store.settings, COPY), null);
  assert.deepEqual(await readdir(path.join(core.paths.models, '.staging')), [], 'a cancelled copy leaves no staging folder');

  // The copy, step by step; a second request while it runs is refused.
  const steps = new Set<string>();
  const follow = core.jobs.subscribe((e) => {
    if (e.kind === 'model-quantize' && e.state === 'running' && e.step) steps.add(e.step);
  });
  const { jobId } = await callApi(core, 'models.quantize', { id: 'shoebox-mini' });
  await rejectsWith(callApi(core, 'models.quantize', { id: 'shoebox-mini' }), 'conflict', /being made already/);
  const outcome = await callApi(core, 'jobs.wait', { jobId });
  follow();
  assert.ok(outcome.kind === 'model-quantize' && outcome.state === 'done', JSON.stringify(outcome));
  const made = outcome.value;
  assert.equal(made.id, COPY);
  assert.equal(made.sourceId, 'shoebox-mini');
  assert.ok(steps.has('image tower') && steps.has('speed'), `steps seen: ${[...steps].join(', ')}`);
  for (const tower of [made.towers.visual, made.towers.textual]) {
    assert.ok(tower.quantized.MatMul + tower.quantized.Gemm > 0, JSON.stringify(tower));
    assert.ok(tower.bytesAfter < tower.bytesBefore, JSON.stringify(tower));
  }
  assert.ok(made.bytesAfter < made.bytesBefore, `${made.bytesAfter} bytes after, ${made.bytesBefore} before`);
  assert.ok(made.speed.imagesPerSecond > 0 && made.sourceSpeed.imagesPerSecond > 0);
  assert.deepEqual(await checksums(ORIGINAL), before, 'the original folder is byte for byte as it was');
  assert.deepEqual(await readdir(path.join(core.paths.models, '.staging')), []);

  // Installed with a record of its own that verifies, listed with both speeds.
  const folder = await loadModelFolder(made.dir);
  assert.deepEqual(await verifyManifest(folder), { ok: true, problems: [] });
  assert.equal(folder.manifest?.license, 'MIT');
  const listed = await callApi(core, 'models.list', {});
  const copy = listed.installed.find((m) => m.id === COPY);
  const original = listed.installed.find((m) => m.id === 'shoebox-mini');
  assert.ok(copy && original);
  assert.equal(copy.displayName, `${original.displayName} (int8)`);
  assert.match(copy.source ?? '', /^int8 copy of shoebox-mini, made by Shoebox/);
  assert.equal(copy.int8Of, 'shoebox-mini');
  assert.equal(original.int8Of, null);
  assert.deepEqual(copy.speed, made.speed);
  assert.deepEqual(original.speed, made.sourceSpeed);
  assert.match(original.int8Refusal ?? '', /already has an int8 copy/);

  // Refused: a second copy, a copy of the copy, an unknown id.
  await rejectsWith(callApi(core, 'models.quantize', { id: 'shoebox-mini' }), 'conflict', /already has an int8 copy, shoebox-mini-int8: remove it first/);
  await rejectsWith(callApi(core, 'models.quantize', { id: COPY }), 'conflict', /already an int8 copy \(of shoebox-mini\)/);
  await rejectsWith(callApi(core, 'models.quantize', { id: 'no-such-model' }), 'not-found', /No installed model has the id no-such-model/);

  // Use works as for any model: the copy embeds the library close to fp32 and ranks searches nearly alike.
  const used = await callApi(core, 'jobs.wait', { jobId: (await callApi(core, 'models.use', { id: COPY })).jobId });
  assert.ok(used.kind === 'model-switch' && used.state === 'done', JSON.stringify(used));
  assert.equal(used.value.embedding.indexed, photos.length);
  let worst = 1;
  for (const id of photos) worst = Math.min(worst, cosine(core.store.embeddings.get(id, 'shoebox-mini')!, core.store.embeddings.get(id, COPY)!));
  assert.ok(worst >= 0.99, `lowest cosine to fp32 over ${photos.length} photos: ${worst.toFixed(4)}`);
  const int8Ranking = await topTen(core);
  const recall = fp32Ranking.reduce((sum, top, i) => sum + top.filter((id) => int8Ranking[i]!.includes(id)).length / top.length, 0) / QUERIES.length;
  assert.ok(recall >= 0.95, `recall@10 against fp32: ${recall.toFixed(3)}`);
  t.diagnostic(`lowest cosine ${worst.toFixed(4)}, recall@10 ${recall.toFixed(3)}, ${made.sourceSpeed.imagesPerSecond.toFixed(1)} → ${made.speed.imagesPerSecond.toFixed(1)} images/s`);
});

test('shoebox models quantize: the copy with its sizes and both speeds, then a refusal', { timeout: 120_000 }, async (t) => {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-quantize-cli-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const run = (...args: string[]) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'electron/cli/main.ts'), ...args, '--data-dir', path.join(work, 'data')], { cwd: REPO });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => resolve({ code, out, err }));
    });

  const json = await run('models', 'quantize', 'shoebox-mini', '--json');
  assert.equal(json.code, 0, json.err);
  const made = JSON.parse(json.out) as { id: string; bytesBefore: number; bytesAfter: number; speed: { imagesPerSecond: number }; sourceSpeed: { imagesPerSecond: number } };
  assert.equal(made.id, COPY);
  assert.ok(made.bytesAfter < made.bytesBefore && made.speed.imagesPerSecond > 0 && made.sourceSpeed.imagesPerSecond > 0, json.out);

  const listed = await run('models');
  assert.equal(listed.code, 0, listed.err);
  assert.match(listed.out, /shoebox-mini-int8 +Shoebox mini \(synthetic scenes\) \(int8\) \(128-d, immich, int8 copy of shoebox-mini, [^)]*\), 0 photos embedded, [\d.]+ photos\/s/);

  const again = await run('models', 'quantize', 'shoebox-mini');
  assert.equal(again.code, 1);
  assert.match(again.err, /already has an int8 copy, shoebox-mini-int8: remove it first/);
  assert.equal((await run('models', 'remove', COPY)).code, 0);

  // Made again in plain text: the new id, the sizes before and after, both speeds.
  const plain = await run('models', 'quantize', 'shoebox-mini');
  assert.equal(plain.code, 0, plain.err);
  assert.match(plain.out, /^Installed shoebox-mini-int8 \(Shoebox mini \(synthetic scenes\) \(int8\)\) in .*shoebox-mini-int8\.$/m);
  assert.match(plain.out, /^On disk: [\d.]+ MB → [\d.]+ MB\.$/m);
  assert.match(plain.out, /^Speed here \(cpu\): shoebox-mini [\d.]+ photos\/s, shoebox-mini-int8 [\d.]+ photos\/s \([\d.]+×\)\.$/m);
});
