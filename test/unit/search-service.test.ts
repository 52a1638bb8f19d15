// SearchService: query parsing → one batched encode of the distinct terms → combine → adapter →
// index, and "more like this". The text encoder is a seeded stand-in (a fixed random unit vector
// per word), because this tests the wiring; the CLIP text model has its own tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LinearAdapter } from '../../electron/core/search/adapter.js';
import { EmbeddingIndex } from '../../electron/core/search/embedding-index.js';
import { combineQuery, parseQuery, QueryError } from '../../electron/core/search/query.js';
import { SearchService } from '../../electron/core/search/search-service.js';
import { Rng } from '../../electron/core/synthetic/rng.js';

const DIM = 32;

function wordVector(text: string): Float32Array {
  let seed = 7;
  for (const c of text) seed = (Math.imul(seed, 31) + c.charCodeAt(0)) >>> 0;
  const rng = new Rng(seed);
  const v = Float32Array.from({ length: DIM }, () => rng.normal());
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

function setup(): { service: SearchService; index: EmbeddingIndex; calls: string[][]; images: Float32Array; ids: number[] } {
  const rng = new Rng(1);
  const n = 500;
  const images = Float32Array.from({ length: n * DIM }, () => rng.normal());
  // Photos 1..5 look like "dog", photos 6..10 like "cat".
  for (let i = 0; i < 10; i++) {
    const w = wordVector(i < 5 ? 'dog' : 'cat');
    for (let j = 0; j < DIM; j++) images[i * DIM + j] = 4 * w[j]! + 0.3 * rng.normal();
  }
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  const index = new EmbeddingIndex(DIM, { threads: 1, precision: 'float32' });
  index.load(ids, images);
  const calls: string[][] = [];
  const encodeText = async (texts: string[]): Promise<Float32Array[]> => {
    calls.push(texts);
    return texts.map(wordVector);
  };
  return { service: new SearchService({ index, encodeText }), index, calls, images, ids };
}

test('a parsed text query encodes the distinct terms in one batch and ranks by the combined query', async () => {
  const { service, index, calls } = setup();
  const hits = await service.searchTerms(parseQuery('dog + 2:cat - dog').terms, 10);
  assert.deepEqual(calls, [['dog', 'cat']]);
  const q = combineQuery([wordVector('dog'), wordVector('cat'), wordVector('dog')], [1, 2, -1]);
  assert.deepEqual(hits, index.search(q, 10));
  assert.deepEqual(hits.slice(0, 5).map((h) => h.id).sort((a, b) => a - b), [6, 7, 8, 9, 10]);

  const dogs = await service.searchTerms(parseQuery('dog').terms, 5);
  assert.deepEqual(dogs.map((h) => h.id).sort((a, b) => a - b), [1, 2, 3, 4, 5]);
  for (let i = 1; i < dogs.length; i++) assert.ok(dogs[i - 1]!.score >= dogs[i]!.score, 'ranked');
});

test('a parsed text query applies the filter and refuses a bad query before encoding', async () => {
  const { service, calls } = setup();
  const hits = await service.searchTerms(parseQuery('dog').terms, 3, new Set([2, 4, 400]));
  assert.deepEqual(hits.map((h) => h.id).sort((a, b) => a - b), [2, 4, 400]);
  const fnHits = await service.searchTerms(parseQuery('dog').terms, 3, (id) => id > 3);
  assert.ok(fnHits.every((h) => h.id > 3));
  assert.deepEqual(fnHits.slice(0, 2).map((h) => h.id).sort((a, b) => a - b), [4, 5]);
  calls.length = 0;
  // parseQuery throws before searchTerms runs: the async wrapper turns that into a rejection.
  await assert.rejects(async () => service.searchTerms(parseQuery('   ').terms, 5), QueryError);
  await assert.rejects(async () => service.searchTerms(parseQuery('dog - dog').terms, 5), /cancel/);
  assert.deepEqual(calls, [['dog']], 'the empty query never reached the encoder');
});

test('searchSimilar ranks by the photo\'s own vector and leaves the photo out', () => {
  const { service } = setup();
  const hits = service.searchSimilar(3, 4);
  assert.equal(hits.length, 4);
  assert.ok(!hits.some((h) => h.id === 3));
  assert.deepEqual(hits.map((h) => h.id).sort((a, b) => a - b), [1, 2, 4, 5]);
  assert.deepEqual(service.searchSimilar(3, 2, new Set([8, 9, 3])).map((h) => h.id).sort(), [8, 9]);
  assert.throws(() => service.searchSimilar(9999, 4), /photo 9999 is not in the search index/);
});

test('the adapter transforms the query; an image-side adapter requires a reload', async () => {
  const { service, index, images, ids } = setup();
  // W = 0, b = photo 42's vector: every query lands on photo 42.
  const target = index.vector(42)!;
  const queryOnly = new LinearAdapter({ id: 'to-42', inDim: DIM, outDim: DIM, weight: new Float32Array(DIM * DIM), bias: target });
  assert.equal(service.setAdapter(queryOnly), false, 'query-only adapter: no reload needed');
  assert.equal((await service.searchTerms(parseQuery('dog').terms, 1))[0]!.id, 42);

  // A two-sided adapter that swaps coordinate pairs: images must be re-mapped before searching.
  const swap = new Float32Array(DIM * DIM);
  for (let i = 0; i < DIM; i++) swap[i * DIM + (i ^ 1)] = 1;
  const twoSided = new LinearAdapter({ id: 'swap', inDim: DIM, outDim: DIM, weight: swap, bias: new Float32Array(DIM), applyToImages: true });
  assert.equal(service.setAdapter(twoSided), true);
  await assert.rejects(service.searchTerms(parseQuery('dog').terms, 3), /adapter "identity" but adapter "swap" is active; reload/);
  service.loadImages(ids, images);
  const v = index.vector(1)!;
  const raw = images.subarray(0, DIM);
  const rawNorm = Math.hypot(...raw);
  for (let j = 0; j < DIM; j++) assert.ok(Math.abs(v[j]! - raw[j ^ 1]! / rawNorm) < 1e-5, 'image vectors went through the adapter');
  // Swapping both sides preserves dot products, so the dog photos still win.
  const dogs = await service.searchTerms(parseQuery('dog').terms, 5);
  assert.deepEqual(dogs.map((h) => h.id).sort((a, b) => a - b), [1, 2, 3, 4, 5]);
  service.upsertImage(777, wordVector('dog'));
  assert.equal((await service.searchTerms(parseQuery('dog').terms, 1))[0]!.id, 777);
  service.close();
});
