// EmbeddingIndex against brute-force search: top-k ids and scores, recall on clustered data,
// incremental updates, subarray byteOffsets, filters, the worker-thread scan and bad input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EmbeddingIndex, type SearchHit } from '../../electron/core/search/embedding-index.js';
import { Rng } from '../../electron/core/synthetic/rng.js';
import { naiveSearch, recallAtK, syntheticEmbeddings } from '../bench/search.bench.js';

function gaussianRows(rng: Rng, n: number, dim: number): Float32Array {
  return Float32Array.from({ length: n * dim }, () => rng.normal());
}

function unitRows(m: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let off = 0; off < m.length; off += dim) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += m[off + j]! ** 2;
    for (let j = 0; j < dim; j++) out[off + j] = m[off + j]! / Math.sqrt(s);
  }
  return out;
}

/** Brute force over an id → vector map (vectors normalised), best first, ties by id. */
function bruteForce(vectors: Map<number, Float32Array>, q: Float32Array, k: number, keep: (id: number) => boolean = () => true): SearchHit[] {
  let qn = 0;
  for (const v of q) qn += v * v;
  const hits: SearchHit[] = [];
  for (const [id, v] of vectors) {
    if (!keep(id)) continue;
    let s = 0;
    let vn = 0;
    for (let j = 0; j < v.length; j++) {
      s += v[j]! * q[j]!;
      vn += v[j]! * v[j]!;
    }
    hits.push({ id, score: s / Math.sqrt(qn * vn) });
  }
  return hits.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, k);
}

function assertSameHits(got: SearchHit[], want: SearchHit[], tol: number, what: string): void {
  assert.deepEqual(got.map((h) => h.id), want.map((h) => h.id), `${what}: ids`);
  got.forEach((h, i) => assert.ok(Math.abs(h.score - want[i]!.score) <= tol, `${what}: score of ${h.id} ${h.score} vs ${want[i]!.score}`));
}

test('top-k ids and scores match brute force on random data (float32 rerank, several dims)', () => {
  for (const dim of [37, 64, 512]) {
    const rng = new Rng(dim);
    const n = 2500;
    const m = gaussianRows(rng, n, dim);
    const ids = Array.from({ length: n }, (_, i) => 1000 + i * 3);
    const index = new EmbeddingIndex(dim, { threads: 1, precision: 'float32' });
    index.load(ids, m);
    assert.equal(index.size, n);
    const vectors = new Map(ids.map((id, i) => [id, m.subarray(i * dim, (i + 1) * dim)]));
    for (let t = 0; t < 10; t++) {
      const q = Float32Array.from({ length: dim }, () => rng.normal());
      for (const k of [1, 10, 50]) assertSameHits(index.search(q, k), bruteForce(vectors, q, k), 1e-6, `dim ${dim} k ${k}`);
    }
  }
});

test('float16 rerank keeps brute-force ids and scores within 1e-3', () => {
  const dim = 128;
  const rng = new Rng(5);
  const n = 3000;
  const m = gaussianRows(rng, n, dim);
  const ids = Array.from({ length: n }, (_, i) => i);
  const index = new EmbeddingIndex(dim, { threads: 1 });
  index.load(ids, m);
  const vectors = new Map(ids.map((id, i) => [id, m.subarray(i * dim, (i + 1) * dim)]));
  let recall = 0;
  for (let t = 0; t < 20; t++) {
    const q = Float32Array.from({ length: dim }, () => rng.normal());
    const got = index.search(q, 10);
    const want = bruteForce(vectors, q, 10);
    recall += recallAtK(want, got) / 20;
    const exact = new Map(bruteForce(vectors, q, n).map((h) => [h.id, h.score]));
    for (const h of got) assert.ok(Math.abs(h.score - exact.get(h.id)!) < 1e-3, `score of ${h.id}`);
  }
  assert.ok(recall >= 0.99, `recall ${recall}`);
});

test('recall@10 ≥ 0.99 against exact float32 search on a seeded clustered set', () => {
  const dim = 512;
  const n = 20_000;
  // 200 clusters of ~100: the top 10 come from inside one tight cluster, the hard case.
  const data = syntheticEmbeddings(n, dim, { seed: 11, kind: 'clustered', queries: 40, clusters: 200 });
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  const truth = data.queries.map((q) => naiveSearch(data.matrix, dim, q, 10));
  for (const precision of ['float16', 'float32'] as const) {
    const index = new EmbeddingIndex(dim, { threads: 1, precision });
    index.load(ids, data.matrix);
    let recall = 0;
    data.queries.forEach((q, i) => (recall += recallAtK(truth[i]!, index.search(q, 10))));
    recall /= data.queries.length;
    assert.ok(recall >= 0.99, `${precision}: recall@10 ${recall}`);
  }
});

test('upsert, update and remove keep the index equal to brute force, across capacity growth', () => {
  const dim = 48;
  const rng = new Rng(21);
  const index = new EmbeddingIndex(dim, { threads: 1, precision: 'float32' });
  const model = new Map<number, Float32Array>();
  const randomVec = (): Float32Array => Float32Array.from({ length: dim }, () => rng.normal());
  const check = (what: string): void => {
    assert.equal(index.size, model.size, `${what}: size`);
    for (let t = 0; t < 5; t++) {
      const q = randomVec();
      assertSameHits(index.search(q, 20), bruteForce(model, q, 20), 1e-6, what);
    }
  };
  const initial = gaussianRows(rng, 300, dim);
  const ids = Array.from({ length: 300 }, (_, i) => i * 2);
  index.load(ids, initial);
  ids.forEach((id, i) => model.set(id, initial.slice(i * dim, (i + 1) * dim)));
  check('after load');

  // 2500 inserts force several doublings past the initial capacity.
  for (let i = 0; i < 2500; i++) {
    const v = randomVec();
    index.upsert(10_000 + i, v);
    model.set(10_000 + i, v);
  }
  check('after inserts');

  for (const id of [0, 2, 598, 10_000, 12_499, 11_111]) {
    assert.equal(index.remove(id), true);
    model.delete(id);
  }
  assert.equal(index.remove(0), false, 'removing twice');
  assert.equal(index.remove(999_999), false, 'removing an unknown id');
  check('after removes');

  for (const id of [4, 10_001, 12_498]) {
    const v = randomVec();
    index.upsert(id, v);
    model.set(id, v);
  }
  check('after updates');
  assert.equal(index.has(4), true);
  assert.equal(index.has(0), false);

  // vector(id) is the stored normalised copy, unaffected by later swaps.
  const v = index.vector(12_498)!;
  const want = unitRows(model.get(12_498)!, dim);
  for (let j = 0; j < dim; j++) assert.ok(Math.abs(v[j]! - want[j]!) < 1e-6);
  assert.equal(index.vector(0), undefined);

  // Removing everything leaves an empty, searchable index.
  for (const id of [...model.keys()]) index.remove(id);
  assert.equal(index.size, 0);
  assert.deepEqual(index.search(randomVec(), 5), []);
});

test('subarray inputs are read at their byteOffset (load, upsert and query)', () => {
  const dim = 32;
  const n = 200;
  const rng = new Rng(4);
  const m = gaussianRows(rng, n, dim);
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  // The same matrix 3 floats into a larger buffer whose other values are garbage.
  const big = Float32Array.from({ length: n * dim + 10 }, () => 1e3 * rng.normal());
  big.set(m, 3);
  const view = big.subarray(3, 3 + n * dim);
  assert.equal(view.byteOffset, 12);
  const a = new EmbeddingIndex(dim, { threads: 1, precision: 'float32' });
  const b = new EmbeddingIndex(dim, { threads: 1, precision: 'float32' });
  a.load(ids, m);
  b.load(ids, view);
  const q = Float32Array.from({ length: dim }, () => rng.normal());
  const qBuf = new Float32Array(dim + 7);
  qBuf.fill(99);
  qBuf.set(q, 5);
  assert.deepEqual(b.search(qBuf.subarray(5, 5 + dim), 15), a.search(q, 15));

  // A vector over a byte buffer at an odd-looking offset, as a SQLite BLOB Buffer can be.
  const bytes = new ArrayBuffer((dim + 9) * 4);
  const blobView = new Float32Array(bytes, 36, dim);
  blobView.set(q);
  new Float32Array(bytes, 0, 9).fill(-7);
  b.upsert(5000, blobView);
  a.upsert(5000, q);
  assert.deepEqual(b.search(q, 3), a.search(q, 3));
  assert.equal(b.search(q, 1)[0]!.id, 5000);
});

test('filter (function or set) and exclude restrict results and still return k when possible', () => {
  const dim = 64;
  const n = 3000;
  const rng = new Rng(8);
  const m = gaussianRows(rng, n, dim);
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  const index = new EmbeddingIndex(dim, { threads: 1, precision: 'float32' });
  index.load(ids, m);
  const vectors = new Map(ids.map((id, i) => [id, m.subarray(i * dim, (i + 1) * dim)]));
  const q = Float32Array.from({ length: dim }, () => rng.normal());

  const even = (id: number): boolean => id % 2 === 0;
  assertSameHits(index.search(q, 25, { filter: even }), bruteForce(vectors, q, 25, even), 1e-6, 'function filter');

  // A very selective set: the answer is every member, ranked, even though none is a global top hit.
  const few = new Set([17, 2222, 999, 3000, 1]);
  const got = index.search(q, 10, { filter: few });
  assertSameHits(got, bruteForce(vectors, q, 10, (id) => few.has(id)), 1e-6, 'set filter');
  assert.equal(got.length, 5);

  const top = index.search(q, 5);
  const excluded = top.slice(0, 3).map((h) => h.id);
  const rest = index.search(q, 5, { exclude: excluded });
  assertSameHits(rest, bruteForce(vectors, q, 5, (id) => !excluded.includes(id)), 1e-6, 'exclude');
  assert.ok(rest.every((h) => !excluded.includes(h.id)));

  const both = index.search(q, 5, { filter: even, exclude: excluded });
  assertSameHits(both, bruteForce(vectors, q, 5, (id) => even(id) && !excluded.includes(id)), 1e-6, 'filter + exclude');
  assert.deepEqual(index.search(q, 5, { filter: new Set<number>() }), []);
});

test('searchJudged ranks and judges every row against its floor in one scan, and floors move with their rows', async () => {
  const dim = 48;
  const n = 4000;
  const rng = new Rng(21);
  const m = gaussianRows(rng, n, dim);
  const ids = Array.from({ length: n }, (_, i) => 10 + i * 2);
  const one = new EmbeddingIndex(dim, { threads: 1, precision: 'float32' });
  const two = new EmbeddingIndex(dim, { threads: 2, parallelMinRows: 0, precision: 'float32' });
  try {
    for (const index of [one, two]) index.load(ids, m);
    assert.equal(await two.whenParallelReady(), true);
    const vectors = new Map(ids.map((id, i) => [id, m.subarray(i * dim, (i + 1) * dim)]));
    const q = Float32Array.from({ length: dim }, () => rng.normal());
    const cos = new Map(bruteForce(vectors, q, n).map((h) => [h.id, h.score]));
    // Floors around each row's own score, set in a shuffled order; one id is not in the index.
    const floorOf = new Map(ids.map((id) => [id, cos.get(id)! + (rng.next() < 0.1 ? -0.05 : 0.05)]));
    const order = rng.shuffle([...ids, 99_999]);
    for (const index of [one, two]) index.setFloors(order, Float32Array.from(order, (id) => floorOf.get(id) ?? 0));
    const above = (id: number): boolean => cos.get(id)! >= floorOf.get(id)!;
    const quarter = new Set(ids.filter((id) => id % 4 === 0));
    for (const index of [one, two]) {
      const all = index.searchJudged(q, 30);
      assertSameHits(all.hits, bruteForce(vectors, q, 30), 1e-6, 'judged: same ranking as search');
      assert.equal(all.aboveFloor, ids.filter(above).length);
      assert.ok(all.aboveFloor > 300 && all.aboveFloor < 500, `about a tenth above: ${all.aboveFloor}`);
      for (const h of all.hits) assert.equal(h.aboveFloor, above(h.id), `hit ${h.id}`);
      const only = index.searchJudged(q, 50, { onlyAboveFloor: true, filter: quarter });
      assertSameHits(only.hits, bruteForce(vectors, q, 50, (id) => above(id) && quarter.has(id)), 1e-6, 'only above the floor, filtered');
      assert.equal(only.aboveFloor, ids.filter((id) => above(id) && quarter.has(id)).length);
      assert.ok(only.hits.every((h) => h.aboveFloor));
      assert.equal(index.searchJudged(q, 0).aboveFloor, all.aboveFloor, 'k = 0 still counts');
    }
    // Removing a row moves the last row (and its floor) into the hole; a new or rewritten row has no floor until set.
    const best = one.searchJudged(q, 1, { onlyAboveFloor: true }).hits[0]!;
    one.remove(ids[0]!);
    one.upsert(1, q);
    one.upsert(best.id, vectors.get(best.id)!);
    const after = one.searchJudged(q, n);
    const flags = new Map(after.hits.map((h) => [h.id, h.aboveFloor]));
    assert.equal(flags.get(1), false, 'a new row is not above a floor never measured for it');
    assert.equal(flags.get(best.id), false, 'a rewritten row loses its floor');
    assert.equal(flags.get(ids[n - 1]!), above(ids[n - 1]!), 'the moved row keeps its own floor');
    const lost = [ids[0]!, best.id].filter(above).length;
    assert.equal(after.aboveFloor, ids.filter(above).length - lost);
  } finally {
    two.close();
  }
});

test('two-thread and adaptive scans return exactly what the one-thread scan returns, also after growth', async () => {
  const dim = 96;
  const n = 20_000;
  const rng = new Rng(13);
  const m = gaussianRows(rng, n, dim);
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  const one = new EmbeddingIndex(dim, { threads: 1 });
  const two = new EmbeddingIndex(dim, { threads: 2, parallelMinRows: 0 });
  const auto = new EmbeddingIndex(dim, { threads: 'auto', parallelMinRows: 0 });
  try {
    one.load(ids, m);
    two.load(ids, m);
    auto.load(ids, m);
    assert.equal(await two.whenParallelReady(), true);
    assert.equal(await auto.whenParallelReady(), true);
    assert.equal(await one.whenParallelReady(), false);
    const queries = Array.from({ length: 8 }, () => Float32Array.from({ length: dim }, () => rng.normal()));
    for (const q of queries) assert.deepEqual(two.search(q, 30), one.search(q, 30));
    // 'auto' switches between one and two threads (and probes the other mode every 16 scans).
    for (let rep = 0; rep < 5; rep++) for (const q of queries) assert.deepEqual(auto.search(q, 30), one.search(q, 30));
    // Past capacity (25 000) the matrix is rebuilt and a new worker started.
    for (let i = 0; i < 6000; i++) {
      const v = Float32Array.from({ length: dim }, () => rng.normal());
      one.upsert(n + 1 + i, v);
      two.upsert(n + 1 + i, v);
    }
    assert.equal(await two.whenParallelReady(), true);
    for (const q of queries) assert.deepEqual(two.search(q, 30, { filter: (id) => id % 3 !== 0 }), one.search(q, 30, { filter: (id) => id % 3 !== 0 }));
  } finally {
    two.close();
    auto.close();
  }
});

test('bad input is refused with a reason; k = 0 and an empty index give no hits', () => {
  const index = new EmbeddingIndex(8, { threads: 1 });
  const v = new Float32Array(8).fill(1);
  assert.deepEqual(index.search(v, 5), []);
  assert.throws(() => new EmbeddingIndex(0), /dim must be/);
  assert.throws(() => index.upsert(1, new Float32Array(7)), /has 7 values, expected 8/);
  assert.throws(() => index.upsert(1, new Float32Array(8)), /zero or non-finite norm/);
  assert.throws(() => index.upsert(1.5, v), /safe integer/);
  assert.throws(() => index.load([1, 1], new Float32Array(16).fill(1)), /id 1 twice/);
  assert.throws(() => index.load([1, 2], new Float32Array(8).fill(1)), /expected 2 × 8/);
  const nan = new Float32Array(8).fill(1);
  nan[3] = NaN;
  assert.throws(() => index.upsert(2, nan), /non-finite/);
  index.upsert(1, v);
  // A load that fails on a bad row keeps the previous content.
  const bad = new Float32Array(24).fill(1);
  bad.fill(0, 8, 16);
  assert.throws(() => index.load([5, 6, 7], bad), /id 6 has zero or non-finite norm/);
  assert.equal(index.size, 1);
  assert.equal(index.has(5), false);
  assert.equal(index.search(v, 3)[0]!.id, 1);
  assert.deepEqual(index.search(v, 0), []);
  assert.throws(() => index.search(v, -1), /non-negative integer/);
  assert.throws(() => index.search(new Float32Array(8), 1), /zero or non-finite/);
  assert.throws(() => index.search(new Float32Array(9), 1), /expected 8/);
  assert.equal(index.search(v, 3).length, 1);
  assert.ok(Math.abs(index.search(v, 1)[0]!.score - 1) < 1e-3);
});
