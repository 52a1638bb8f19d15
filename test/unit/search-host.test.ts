// The search host: the index loads from the store for the active model (the tiny fixture model
// in a real inference worker), follows committed vectors, and applies an adapter set before or
// after it loaded (a two-sided adapter rebuilds the image side).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Shoebox } from '../../electron/core/shoebox.js';
import { LinearAdapter } from '../../electron/core/search/adapter.js';
import { Rng } from '../../electron/core/synthetic/rng.js';

const TINY = fileURLToPath(new URL('../fixtures/onnx/tiny-dynamic', import.meta.url));
const DIM = 16;

function unit(...values: number[]): Float32Array {
  const v = new Float32Array(DIM);
  values.forEach((x, i) => (v[i] = x));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** Commits one photo per vector under `dir`/photos, as the index job would; their ids in order. */
function commitPhotos(core: Shoebox, dir: string, vectors: readonly Float32Array[]): number[] {
  const root = core.store.roots.add(path.join(dir, 'photos'));
  return vectors.map((vector, i) =>
    core.store.photos.commitIndexed({
      path: path.join(dir, 'photos', `${i}.jpg`), rootId: root.id, relPath: `${i}.jpg`, size: i, mtimeMs: i, contentHash: `h${i}`,
      width: null, height: null, format: null, takenAt: null, cameraMake: null, cameraModel: null, latitude: null, longitude: null,
      thumbPath: null, embedding: { modelId: 'tiny-dynamic', vector },
    }),
  );
}

async function withCore(fn: (core: Shoebox, ids: number[]) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-search-host-'));
  const core = await Shoebox.open({ dataDir: dir, modelDir: TINY, provider: 'cpu', threads: 1 });
  try {
    await fn(core, commitPhotos(core, dir, [unit(1, 0), unit(0, 1), unit(1, 1)]));
  } finally {
    await core.close();
    await rm(dir, { recursive: true, force: true });
  }
}

// Scores come from the index's float16 rerank, hence a tolerance of 2e-3.
/** y = normalise(W x) with W adding the second coordinate to the first: (1,0)→(1,0), (0,1)→(1,1)/√2. */
function shear(): LinearAdapter {
  const weight = new Float32Array(DIM * DIM);
  for (let i = 0; i < DIM; i++) weight[i * DIM + i] = 1;
  weight[1] = 1;
  return new LinearAdapter({ id: 'shear', inDim: DIM, outDim: DIM, weight, bias: new Float32Array(DIM), applyToImages: true });
}

async function scores(core: Shoebox, photoId: number): Promise<Map<number, number>> {
  const { service } = await core.search.service();
  return new Map(service.searchSimilar(photoId, 10).map((h) => [h.id, h.score]));
}

test('a two-sided adapter set after the index loaded rebuilds it; one set before applies at load', async () => {
  await withCore(async (core, [a, b, c]) => {
    const before = await scores(core, a!);
    assert.ok(Math.abs(before.get(b!)! - 0) < 2e-3, `identity: a·b = 0, got ${before.get(b!)}`);
    core.search.useAdapters(() => shear());
    await new Promise((r) => setImmediate(r)); // the host checks the loaded service asynchronously
    const after = await scores(core, a!);
    assert.ok(Math.abs(after.get(b!)! - Math.SQRT1_2) < 2e-3, `sheared: a·b = 1/√2, got ${after.get(b!)}`);
    assert.ok(Math.abs(after.get(c!)! - 2 / Math.sqrt(5)) < 2e-3, `sheared: a·c = 2/√5, got ${after.get(c!)}`);
  });
  await withCore(async (core, [a, b]) => {
    core.search.useAdapters(() => shear());
    const first = await scores(core, a!);
    assert.ok(Math.abs(first.get(b!)! - Math.SQRT1_2) < 2e-3, `adapter applied at load: got ${first.get(b!)}`);
  });
});

test('vectors committed while the index is loaded are searchable at once', async () => {
  await withCore(async (core, [a, b]) => {
    await core.search.service();
    core.search.upsert([{ photoId: b!, vector: unit(1, 0) }]);
    await new Promise((r) => setImmediate(r));
    const s = await scores(core, a!);
    assert.ok(Math.abs(s.get(b!)! - 1) < 2e-3, `b now equals a: got ${s.get(b!)}`);
  });
});

test('the relevance floor: measured once per index, and for each vector committed after, without re-measuring', async () => {
  await withCore(async (core, [a, b]) => {
    await core.search.relevance();
    const { index } = await core.search.service();
    const judged = (): Map<number, boolean> => new Map(index.searchJudged(unit(1, 0), 10).hits.map((h) => [h.id, h.aboveFloor]));
    // b's vector becomes a's: once its floor is measured from the cached prompts, b is judged as a is.
    core.search.upsert([{ photoId: b!, vector: unit(1, 0) }]);
    await new Promise((r) => setTimeout(r, 50));
    const now = judged();
    assert.equal(now.get(b!), now.get(a!), 'the new row has its floor (an unmeasured row is never above it)');
    assert.equal(now.get(a!), true, 'a photo scoring 1 with itself is above its floor');
  });
});

test('the relevance floor uses the z the model\'s record gives (relevanceZ), else STRONG_Z', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-search-host-z-'));
  const rng = new Rng(5);
  const vec = (): Float32Array => unit(...Array.from({ length: DIM }, () => rng.normal()));
  const photos = Array.from({ length: 60 }, vec);
  const queries = Array.from({ length: 20 }, vec);
  /** Good matches over all the queries, with the tiny model's record set to `z` (undefined: as published). */
  const goodMatches = async (z: number | undefined): Promise<number> => {
    const work = path.join(dir, `z-${z ?? 'none'}`);
    const modelDir = path.join(work, 'model');
    await cp(TINY, modelDir, { recursive: true });
    if (z !== undefined) {
      const record = JSON.parse(await readFile(path.join(modelDir, 'manifest.json'), 'utf8')) as object;
      await writeFile(path.join(modelDir, 'manifest.json'), JSON.stringify({ ...record, relevanceZ: z }));
    }
    const core = await Shoebox.open({ dataDir: path.join(work, 'data'), modelDir, provider: 'cpu', threads: 1 });
    try {
      commitPhotos(core, work, photos);
      await core.search.relevance();
      const { index } = await core.search.service();
      return queries.reduce((sum, q) => sum + index.searchJudged(q, photos.length).aboveFloor, 0);
    } finally {
      await core.close();
    }
  };
  try {
    const [low, plain, two, high] = [await goodMatches(0.5), await goodMatches(undefined), await goodMatches(2), await goodMatches(6)];
    assert.equal(plain, two, 'no relevanceZ is STRONG_Z (2)');
    assert.ok(low > plain && plain > high, `good matches at z 0.5, 2 and 6: ${low}, ${plain}, ${high}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
