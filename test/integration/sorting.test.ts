// Custom-category sorting on a real library: a real Shoebox on a temp data folder, the bundled
// model, generated scenes of one shape each. Categories are added, edited, reordered and removed
// through the API; the sorting puts most photos of a shape into its category; corrections move
// photos and survive a reopen; the categories' prompt embeddings are encoded once per model and an
// edit encodes only its new prompt; the preview answers while a name is typed; a model switch
// sorts with the new model's vectors; bad input is refused with the right error codes.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { callApi } from '../../electron/core/api/table.js';
import { Shoebox } from '../../electron/core/shoebox.js';
import { renderScene, Rng, sampleScene, SHAPES } from '../../electron/core/synthetic/index.js';
import { rejectsWith } from '../support/compare.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const PER_SHAPE = 8;


/** PER_SHAPE one-group scenes of each shape, named by their shape: "star-03.jpg". */
async function writeLibrary(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const rng = new Rng(77);
  for (const shape of SHAPES) {
    for (let i = 0; i < PER_SHAPE; i++) {
      const spec = sampleScene(rng.fork(), { maxGroups: 1, minSide: 160, maxSide: 240, onlyCombos: [['red', shape], ['blue', shape], ['green', shape], ['white', shape], ['black', shape]] });
      await writeFile(path.join(dir, `${shape}-${String(i).padStart(2, '0')}.jpg`), await renderScene(spec, { format: 'jpeg' }));
    }
  }
}

const shapeOf = (p: string) => path.basename(p).split('-')[0] as string;

function textRows(core: Shoebox, modelId: string): number {
  return core.store.db.prepare('SELECT count(*) FROM text_embeddings WHERE model_id = ?').pluck().get(modelId) as number;
}

/** Counts the texts the active model's text encoder is asked for. */
async function countEncodes(core: Shoebox): Promise<{ texts: string[] }> {
  const model = await core.models.active();
  const seen = { texts: [] as string[] };
  const encode = model.client.encodeTexts.bind(model.client);
  model.client.encodeTexts = async (texts: string[]) => {
    seen.texts.push(...texts);
    return encode(texts);
  };
  return seen;
}

test('custom categories: sorting, corrections, the prompt cache, preview, a model switch', { timeout: 240_000 }, async (t) => {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-sorting-'));
  const dataDir = path.join(work, 'data');
  const library = path.join(work, 'library');
  await writeLibrary(library);
  let core = await Shoebox.open({ dataDir });
  t.after(async () => {
    await core.close();
    await rm(work, { recursive: true, force: true });
  });
  const root = await callApi(core, 'roots.add', { path: library });
  const indexed = await callApi(core, 'jobs.wait', { jobId: (await callApi(core, 'index.start', { rootIds: [root.id] })).jobId });
  assert.equal(indexed.state, 'done');

  await t.test('categories: add, update, reorder, remove', async () => {
    const star = await callApi(core, 'categories.add', { name: 'star' });
    const tmp = await callApi(core, 'categories.add', { name: 'Receipts', prompts: ['a receipt on a table'], strictness: 0.8 });
    assert.deepEqual(tmp.prompts, ['a receipt on a table']);
    assert.equal(tmp.strictness, 0.8);
    const renamed = await callApi(core, 'categories.update', { id: tmp.id, name: 'bills', strictness: null });
    assert.equal(renamed.name, 'bills');
    assert.equal(renamed.strictness, null);
    assert.deepEqual(renamed.prompts, ['a receipt on a table'], 'what an update leaves out stays');
    const order = await callApi(core, 'categories.reorder', { ids: [tmp.id, star.id] });
    assert.deepEqual(order.map((c) => c.name), ['bills', 'star']);
    const removed = await callApi(core, 'categories.remove', { name: 'bills' });
    assert.equal(removed.removed.id, tmp.id);
    assert.deepEqual((await callApi(core, 'categories.list', {})).map((c) => [c.name, c.position]), [['star', 0]]);
  });

  await t.test('bad input is refused', async () => {
    await assert.rejects(callApi(core, 'categories.add', { name: '   ' }));
    await rejectsWith(callApi(core, 'categories.add', { name: 'STAR' }), 'conflict', /exists already/);
    await rejectsWith(callApi(core, 'categories.reorder', { ids: [12345] }), 'bad-input', /each of the 1 categories once/);
    await rejectsWith(callApi(core, 'categories.update', { id: 9999, name: 'x' }), 'not-found');
    await assert.rejects(callApi(core, 'categories.remove', { id: 1, name: 'star' }));
    await rejectsWith(callApi(core, 'sort.correct', { category: 'star', photoIds: [999999] }), 'not-found', /not an indexed photo/);
    await rejectsWith(callApi(core, 'sort.correct', { category: 'nope', photoIds: [1] }), 'not-found', /No category named "nope"/);
    await rejectsWith(callApi(core, 'sort.photos', { place: 4242 }), 'not-found');
    await assert.rejects(callApi(core, 'categories.add', { name: 'x', strictness: 2 }));
  });

  const modelId = (await core.models.active()).id;
  const encoded = await countEncodes(core);

  await t.test('sort.result puts most photos of a shape into its category', async () => {
    for (const shape of SHAPES.filter((s) => s !== 'star')) await callApi(core, 'categories.add', { name: shape });
    const result = await callApi(core, 'sort.result', {});
    assert.equal(result.modelId, 'shoebox-mini');
    const total = result.categories.reduce((s, c) => s + c.photos.length, 0) + result.unsorted.length;
    assert.equal(total, SHAPES.length * PER_SHAPE, 'every photo is somewhere, once');
    for (const c of result.categories) {
      const right = c.photos.filter((p) => shapeOf(p.path) === c.name).length;
      assert.ok(right >= PER_SHAPE / 2, `${c.name}: ${right} of its ${PER_SHAPE} photos (${c.photos.map((p) => path.basename(p.path)).join(', ')})`);
      assert.ok(right >= c.photos.length * 0.7, `${c.name}: ${right} right of ${c.photos.length}`);
      for (let i = 1; i < c.photos.length; i++) assert.ok((c.photos[i - 1]?.confidence ?? 0) >= (c.photos[i]?.confidence ?? 0), 'surest first');
    }
  });

  await t.test('the prompt embeddings are encoded once; an edit encodes only its new prompt', async () => {
    const rows = textRows(core, modelId);
    assert.equal(rows, 6 * 5 + 5, 'five templates for each of the six categories and the background');
    encoded.texts.length = 0;
    core.sorting.changed();
    await callApi(core, 'sort.result', {});
    assert.deepEqual(encoded.texts, [], 'a second sort encodes nothing');
    assert.equal(textRows(core, modelId), rows);

    const heart = (await callApi(core, 'categories.list', {})).find((c) => c.name === 'heart');
    assert.ok(heart);
    await callApi(core, 'categories.update', { id: heart.id, prompts: ['a drawing of a heart'] });
    await callApi(core, 'sort.result', {});
    assert.deepEqual(encoded.texts, ['a drawing of a heart']);
    assert.equal(textRows(core, modelId), rows + 1);
  });

  await t.test('sort.preview returns the photos a category being typed would take', async () => {
    // As while the star category's name is being edited (a draft beside an identical category takes nothing).
    const star = (await callApi(core, 'categories.list', {})).find((c) => c.name === 'star');
    assert.ok(star);
    const preview = await callApi(core, 'sort.preview', { name: 'star', replacing: star.id, limit: 5 });
    assert.ok(preview.count > 0 && preview.photos.length > 0 && preview.photos.length <= 5);
    const stars = preview.photos.filter((p) => shapeOf(p.path) === 'star').length;
    assert.ok(stars >= preview.photos.length - 1, `preview of "star": ${preview.photos.map((p) => path.basename(p.path)).join(', ')}`);
    const none = await callApi(core, 'sort.preview', { name: 'star', replacing: star.id, limit: 0 });
    assert.deepEqual(none.photos, []);
    assert.equal(none.count, preview.count);
  });

  const moved = path.join(library, 'circle-00.jpg');
  const outed = path.join(library, 'square-00.jpg');
  await t.test('corrections move photos and stay', async () => {
    await callApi(core, 'sort.correct', { category: 'heart', paths: [moved] });
    await callApi(core, 'sort.correct', { category: null, paths: [outed] });
    const result = await callApi(core, 'sort.result', {});
    const heart = result.categories.find((c) => c.name === 'heart');
    assert.deepEqual(heart?.photos[0] && { path: heart.photos[0].path, corrected: heart.photos[0].corrected }, { path: moved, corrected: true }, 'corrected photos come first');
    assert.ok(result.unsorted.some((p) => p.path === outed && p.corrected));
    assert.ok(!result.categories.some((c) => c.photos.some((p) => p.path === outed)));
    const summary = await callApi(core, 'sort.summary', {});
    assert.equal(summary.categories.find((c) => c.name === 'heart')?.corrected, 1);
  });

  await t.test('corrections are remembered across a reopen', async () => {
    await core.close();
    core = await Shoebox.open({ dataDir });
    const result = await callApi(core, 'sort.result', {});
    assert.ok(result.categories.find((c) => c.name === 'heart')?.photos.some((p) => p.path === moved && p.corrected));
    assert.ok(result.unsorted.some((p) => p.path === outed && p.corrected));
    assert.equal(textRows(core, modelId), 6 * 5 + 5 + 1, 'the prompt cache is on disk');
    const cleared = await callApi(core, 'sort.uncorrect', { paths: [moved] });
    assert.equal(cleared.cleared, 1);
    const again = await callApi(core, 'sort.result', {});
    assert.ok(!again.categories.some((c) => c.photos.some((p) => p.path === moved && p.corrected)), 'the rule decides again');
  });

  await t.test('a model switch sorts with the new model’s vectors', async () => {
    const imported = await callApi(core, 'models.import', { path: path.join(REPO, 'test/fixtures/clip-layouts/hf') });
    const done = await callApi(core, 'jobs.wait', { jobId: (await callApi(core, 'models.use', { id: imported.id })).jobId });
    assert.equal(done.state, 'done');
    const result = await callApi(core, 'sort.result', {});
    assert.equal(result.modelId, imported.id);
    assert.equal(result.categories.length, 6);
    assert.equal(result.categories.reduce((s, c) => s + c.photos.length, 0) + result.unsorted.length, SHAPES.length * PER_SHAPE);
    assert.ok(result.unsorted.some((p) => p.path === outed && p.corrected), 'a correction outlives a model switch');
    assert.equal(textRows(core, imported.id), 6 * 5 + 5 + 1, 'the new model encoded every prompt once');
    const dim = core.store.db.prepare('SELECT DISTINCT dim FROM text_embeddings WHERE model_id = ?').pluck().all(imported.id);
    assert.deepEqual(dim, [32], 'with its own text tower');
    const summary = await callApi(core, 'sort.summary', {});
    assert.equal(summary.modelId, imported.id);
    assert.ok(Number.isFinite(summary.spread) && summary.spread > 0);
  });
});
