// The indexing pipeline under trouble, with real photos, real sharp, the bundled model in ONNX
// Runtime and a real SQLite file: a cancel stops it early, an encoder failure fails only that
// batch's photos (with the reason), and a store failure ends the run with that error — in every
// case without leaving decoders waiting forever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openClipModel, type ClipModel } from '../../electron/core/clip/clip-model.js';
import { parsePreprocessConfig, type PreprocessConfig } from '../../electron/core/imaging/decode.js';
import { indexCandidates, type EncodeImages } from '../../electron/core/library/indexer.js';
import type { IndexCandidate } from '../../electron/core/library/scan.js';
import { openStore, type Store } from '../../electron/core/store/index.js';
import { writeDemoLibrary } from '../../electron/core/synthetic/index.js';

const modelDir = path.resolve(import.meta.dirname, '../../models/shoebox-mini');
const PHOTOS = 24;

interface Fixture {
  store: Store;
  candidates: IndexCandidate[];
  work: string;
}

let model: ClipModel;
let preprocess: PreprocessConfig;
let library: string;
let files: string[];

test.before(async () => {
  model = await openClipModel(modelDir);
  const cfgFile = path.join(modelDir, 'visual', 'preprocess_cfg.json');
  preprocess = parsePreprocessConfig(JSON.parse(await readFile(cfgFile, 'utf8')), cfgFile);
  library = await mkdtemp(path.join(os.tmpdir(), 'shoebox-pipeline-lib-'));
  const { files: written } = await writeDemoLibrary(library, { seed: 3, count: PHOTOS, minSide: 320, maxSide: 480 });
  files = written.map((f) => path.join(library, f.path));
});

test.after(async () => {
  await model.close();
  await rm(library, { recursive: true, force: true });
});

async function fixture(t: { after(fn: () => unknown): void }): Promise<Fixture> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-pipeline-'));
  const store = openStore(path.join(work, 'library.sqlite'));
  t.after(async () => {
    store.close();
    await rm(work, { recursive: true, force: true });
  });
  const root = store.roots.add(library);
  const candidates = files.map((f) => ({ path: f, rootId: root.id, relPath: path.relative(library, f), size: 1, mtimeMs: 1, contentHash: null }));
  return { store, candidates, work };
}

const deps = (f: Fixture, encodeImages: EncodeImages) => ({
  store: f.store,
  modelId: 'shoebox-mini',
  preprocess,
  encoder: { encode: encodeImages, batchSize: 4 },
  thumbnailsDir: path.join(f.work, 'thumbs'),
});

test('cancelling stops the run early and keeps what was committed', async (t) => {
  const f = await fixture(t);
  const controller = new AbortController();
  const result = await indexCandidates(deps(f, (b) => model.image.encode(b)), f.candidates, {
    signal: controller.signal,
    onCommitted: () => controller.abort(),
  });
  assert.equal(result.cancelled, true);
  assert.ok(result.indexed >= 4 && result.indexed < PHOTOS, `indexed ${result.indexed}`);
  assert.equal(f.store.photos.countByStatus().indexed, result.indexed);
});

test('an encoder failure fails that batch with the reason and the run goes on', async (t) => {
  const f = await fixture(t);
  let calls = 0;
  const flaky: EncodeImages = async (batch) => {
    if (++calls === 2) throw new Error('out of memory on the device');
    return model.image.encode(batch);
  };
  const result = await indexCandidates(deps(f, flaky), f.candidates);
  assert.equal(result.failures.length, 4);
  assert.ok(result.failures.every((x) => x.stage === 'encode' && x.reason.includes(x.path) && /out of memory/.test(x.reason)));
  assert.equal(result.indexed, PHOTOS - 4);
  assert.equal(f.store.errors.count(), 4);
});

test('a store failure ends the run with its error instead of hanging', async (t) => {
  const f = await fixture(t);
  const run = indexCandidates(deps(f, (b) => model.image.encode(b)), f.candidates, {
    onCommitted: () => f.store.db.close(),
  });
  await assert.rejects(run, /database connection is not open/);
});

test('an encoder that cannot load ends the run with its reason, also when no photo needs it', async (t) => {
  const f = await fixture(t);
  const broken = (): Promise<never> => new Promise((_, reject) => setTimeout(() => reject(new Error('model.onnx is truncated')), 50));
  await assert.rejects(indexCandidates({ ...deps(f, (b) => model.image.encode(b)), encoder: broken() }, f.candidates), /truncated/);
  // Nothing to index: the run ends at once, and the later rejection is handled (an unhandled one would end this process).
  const none = await indexCandidates({ ...deps(f, (b) => model.image.encode(b)), encoder: broken() }, []);
  assert.equal(none.indexed, 0);
  await new Promise((r) => setTimeout(r, 100));
});

test('an encoder that arrives late with a batch larger than the room assumed before it is known still gets every photo', async (t) => {
  const f = await fixture(t);
  const late = new Promise<{ encode: EncodeImages; batchSize: number }>((resolve) =>
    setTimeout(() => resolve({ encode: (b) => model.image.encode(b), batchSize: 20 }), 1500),
  );
  const result = await indexCandidates({ ...deps(f, (b) => model.image.encode(b)), encoder: late }, f.candidates);
  assert.equal(result.indexed, PHOTOS);
  assert.ok(result.timings.decodersBlocked > 0, 'the decoders filled the room while the encoder loaded');
});
