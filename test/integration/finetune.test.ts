// Fine-tuning on a real library: a real Shoebox on a temp data folder with the bundled model and
// generated scenes, 160 of them captioned in a "personal vocabulary" (every colour and "triangle"
// in words of the person's own: mauve, amber, wedge …). The job trains in a worker and its adapter is accepted and
// active at once for text search (similar-photo search, image to image, stays as it was); use and
// rollback switch results at once; a kill -9 of a real child process mid-training leaves the
// previous version active and no new row; shuffled captions are refused and nothing changes; a
// model switch deactivates the adapter and switching back restores it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { callApi } from '../../electron/core/api/table.js';
import { Shoebox } from '../../electron/core/shoebox.js';
import { canonicalCaption, renderScene, Rng, sampleScene } from '../../electron/core/synthetic/index.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const PHOTOS = 200;
const CAPTIONED = 160;
// Words of the person's own, which the bundled model never saw: the adapter must learn them, and
// the model's own classes (its forgetting probe) must keep their meaning.
const PERSONAL: Record<string, string> = {
  red: 'vermy', blue: 'skoo', green: 'leafen', yellow: 'sunno', purple: 'mauve', orange: 'amber', white: 'snowen', black: 'inky', triangle: 'wedge', triangles: 'wedges',
};
const personal = (caption: string): string => caption.replace(/\b(red|blue|green|yellow|purple|orange|white|black|triangles?)\b/g, (w) => PERSONAL[w] ?? w);

async function writeLibrary(dir: string): Promise<Map<string, string>> {
  await mkdir(dir, { recursive: true });
  const rng = new Rng(5);
  const captions = new Map<string, string>();
  for (let i = 0; i < PHOTOS; i++) {
    const spec = sampleScene(rng.fork(), { minSide: 96, maxSide: 160 });
    const name = `p${String(i).padStart(3, '0')}.jpg`;
    await writeFile(path.join(dir, name), await renderScene(spec, { format: 'jpeg' }));
    if (i < CAPTIONED) captions.set(name, personal(canonicalCaption(spec)));
  }
  return captions;
}

function writeCaptions(core: Shoebox, captions: Map<string, string>, shuffle = false): void {
  const rows = core.store.db.prepare('SELECT id, path FROM photos ORDER BY path').all() as { id: number; path: string }[];
  const mine = rows.filter((r) => captions.has(path.basename(r.path)));
  const texts = mine.map((r) => captions.get(path.basename(r.path))!);
  if (shuffle) texts.push(texts.shift()!, texts.shift()!, texts.shift()!); // every photo gets another's caption
  const put = core.store.db.prepare(
    "INSERT INTO captions (photo_id, text, source, updated_at) VALUES (?, ?, 'user', 0) ON CONFLICT(photo_id) DO UPDATE SET text = excluded.text",
  );
  core.store.db.transaction(() => mine.forEach((r, i) => put.run(r.id, texts[i]!)))();
}

async function ranking(core: Shoebox, query: string): Promise<string[]> {
  const r = await callApi(core, 'search.text', { query, limit: 10 });
  return r.hits.map((h) => `${h.id}:${h.score.toFixed(4)}`);
}

async function similar(core: Shoebox, photoId: number): Promise<string[]> {
  const r = await callApi(core, 'search.similar', { photoId, limit: 10 });
  return r.hits.map((h) => `${h.id}:${h.score.toFixed(4)}`);
}

function versionRows(dataDir: string): number {
  const db = new Database(path.join(dataDir, 'library.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM adapter_versions').pluck().get() as number;
  } finally {
    db.close();
  }
}

test('fine-tuning: accepted and active at once, use and rollback, kill -9, refusal, model switch', { timeout: 300_000 }, async (t) => {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-finetune-'));
  const dataDir = path.join(work, 'data');
  const library = path.join(work, 'library');
  const captions = await writeLibrary(library);
  let core = await Shoebox.open({ dataDir });
  t.after(async () => {
    await core.close();
    await rm(work, { recursive: true, force: true });
  });
  const root = await callApi(core, 'roots.add', { path: library });
  assert.equal((await callApi(core, 'jobs.wait', { jobId: (await callApi(core, 'index.start', { rootIds: [root.id] })).jobId })).state, 'done');

  await t.test('too few captions are refused with a message', async () => {
    await assert.rejects(callApi(core, 'finetune.start', {}), /at least 10 captioned photos/);
  });

  writeCaptions(core, captions);
  const query = 'a large mauve wedge';
  const probePhoto = (core.store.db.prepare('SELECT id FROM photos ORDER BY path LIMIT 1').pluck().get() as number);
  const plain = await ranking(core, query);
  const plainSimilar = await similar(core, probePhoto);
  let first = 0;
  let adapted: string[] = [];

  await t.test('a job on personal captions is accepted and active at once', async () => {
    const status = await callApi(core, 'finetune.status', {});
    assert.equal(status.usable, CAPTIONED);
    assert.equal(status.activeVersion, null);
    const events: { epoch?: number; loss?: number; etaSeconds: number | null }[] = [];
    const off = core.jobs.subscribe((e) => {
      if (e.kind === 'finetune' && e.state === 'running') events.push(e as never);
    });
    const { jobId } = await callApi(core, 'finetune.start', { seed: 1 });
    const done = await callApi(core, 'jobs.wait', { jobId });
    off();
    assert.equal(done.state, 'done');
    assert.ok(done.kind === 'finetune' && done.state === 'done');
    const r = done.value;
    assert.equal(r.activated, true, r.version.reason ?? '');
    assert.ok(r.version.figures.after.at1 > r.version.figures.before.at1, JSON.stringify(r.version.figures));
    assert.ok(r.version.figures.forgetting <= 2);
    assert.ok(events.some((e) => typeof e.loss === 'number' && typeof e.epoch === 'number'), 'progress carries epoch and loss');
    first = r.version.id;
    assert.equal((await callApi(core, 'finetune.status', {})).activeVersion, first);
    adapted = await ranking(core, query);
    assert.notDeepEqual(adapted, plain, 'text search uses the adapter at once');
    // The default adapter reshapes the captions' side only: photos keep their vectors, so
    // photo-to-photo similarity (and the index) is left as it was (docs/FINETUNING.md).
    assert.deepEqual(await similar(core, probePhoto), plainSimilar, 'similar-photo search is image to image: unchanged');
  });

  await t.test('use none, use again and rollback switch search results at once', async () => {
    await callApi(core, 'finetune.use', { version: null });
    assert.deepEqual(await ranking(core, query), plain);
    assert.deepEqual(await similar(core, probePhoto), plainSimilar);
    await callApi(core, 'finetune.use', { version: first });
    assert.deepEqual(await ranking(core, query), adapted);
    const back = await callApi(core, 'finetune.rollback', {});
    assert.deepEqual(back, { from: first, to: null });
    assert.deepEqual(await ranking(core, query), plain);
    await callApi(core, 'finetune.use', { version: first });
    assert.deepEqual(await ranking(core, query), adapted);
    const list = await callApi(core, 'finetune.list', {});
    assert.deepEqual(list.map((v) => [v.id, v.active, v.accepted]), [[first, true, true]]);
  });

  await t.test('kill -9 mid-training leaves the previous version active and no new row', async () => {
    await core.close();
    const child = path.join(work, 'train-child.mts');
    await writeFile(
      child,
      `import { Shoebox } from ${JSON.stringify(pathToFileURL(path.join(REPO, 'electron/core/shoebox.ts')).href)};
const core = await Shoebox.open({ dataDir: ${JSON.stringify(dataDir)} });
core.jobs.subscribe((e) => { if (e.kind === 'finetune' && typeof e.epoch === 'number' && e.epoch >= 3) console.log('epoch', e.epoch); });
core.finetune.start({ epochs: 1000000 });
`,
    );
    const proc = spawn(process.execPath, ['--import', 'tsx', child], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<string | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('epoch')) resolve();
      });
      proc.on('exit', () => reject(new Error(`the child ended before training: ${stderr}`)));
    });
    proc.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    assert.equal(versionRows(dataDir), 1, 'no half-trained version');
    core = await Shoebox.open({ dataDir });
    assert.equal((await callApi(core, 'finetune.status', {})).activeVersion, first);
    assert.deepEqual(await ranking(core, query), adapted, 'the previous adapter applies after the restart');
    const job = core.jobs.recent(5).find((j) => j.kind === 'finetune');
    assert.equal(job?.state, 'interrupted');
  });

  await t.test('shuffled captions make a worse adapter: refused, nothing changes', async () => {
    writeCaptions(core, captions, true);
    const done = await callApi(core, 'jobs.wait', { jobId: (await callApi(core, 'finetune.start', { seed: 1 })).jobId });
    assert.ok(done.kind === 'finetune' && done.state === 'done');
    assert.equal(done.value.activated, false);
    assert.equal(done.value.version.accepted, false);
    assert.ok((done.value.version.reason ?? '').length > 0);
    assert.equal((await callApi(core, 'finetune.status', {})).activeVersion, first);
    assert.deepEqual(await ranking(core, query), adapted);
    await assert.rejects(callApi(core, 'finetune.use', { version: done.value.version.id }), /refused/);
    writeCaptions(core, captions);
  });

  await t.test('switching models deactivates the adapter; switching back restores it', async () => {
    const imported = await callApi(core, 'models.import', { path: path.join(REPO, 'test/fixtures/clip-layouts/hf') });
    assert.equal((await callApi(core, 'jobs.wait', { jobId: (await callApi(core, 'models.use', { id: imported.id })).jobId })).state, 'done');
    const other = await callApi(core, 'finetune.status', {});
    assert.equal(other.modelId, imported.id);
    assert.equal(other.activeVersion, null);
    await assert.rejects(callApi(core, 'finetune.use', { version: first }), /trained for shoebox-mini/);
    assert.equal((await callApi(core, 'jobs.wait', { jobId: (await callApi(core, 'models.use', { id: 'shoebox-mini' })).jobId })).state, 'done');
    assert.equal((await callApi(core, 'finetune.status', {})).activeVersion, first);
    assert.deepEqual(await ranking(core, query), adapted);
  });
});
