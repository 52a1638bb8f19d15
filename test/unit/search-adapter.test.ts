// The embedding-adapter hook: identity default and the linear adapter y = normalise(W x + b).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { identityAdapter, LinearAdapter } from '../../electron/core/search/adapter.js';

const close = (got: Float32Array, want: number[], what: string): void => {
  assert.equal(got.length, want.length, what);
  want.forEach((w, i) => assert.ok(Math.abs(got[i]! - w) < 1e-6, `${what}[${i}]: ${got[i]} vs ${w}`));
};

test('identity adapter returns the query unchanged and has no image transform', () => {
  const v = Float32Array.from([0.6, 0.8]);
  assert.equal(identityAdapter.transformQuery(v), v);
  assert.equal(identityAdapter.transformImage, undefined);
  assert.equal(identityAdapter.id, 'identity');
});

test('linear adapter computes normalise(W x + b)', () => {
  // W = [[1, 2], [0, 1], [1, 0]] (3 × 2), b = [0, 1, -1]
  const a = new LinearAdapter({
    id: 'ft-1',
    inDim: 2,
    outDim: 3,
    weight: Float32Array.from([1, 2, 0, 1, 1, 0]),
    bias: Float32Array.from([0, 1, -1]),
  });
  // x = [1, 1] → W x + b = [3, 2, 0] → / √13
  close(a.transformQuery(Float32Array.from([1, 1])), [3 / Math.sqrt(13), 2 / Math.sqrt(13), 0], 'y');
  // x = [2, 0] → [2, 1, 1] → / √6
  close(a.transformQuery(Float32Array.from([2, 0])), [2 / Math.sqrt(6), 1 / Math.sqrt(6), 1 / Math.sqrt(6)], 'y2');
  assert.equal(a.transformImage, undefined, 'query-only by default');
});

test('a two-sided linear adapter maps images with the same W and b; buffers are copied', () => {
  const weight = Float32Array.from([0, 1, 1, 0]); // swaps the two coordinates
  const bias = new Float32Array(2);
  const a = new LinearAdapter({ id: 'swap', inDim: 2, outDim: 2, weight, bias, applyToImages: true });
  weight.fill(0); // later changes to the caller's buffer must not leak in
  close(a.transformImage!(Float32Array.from([3, 4])), [0.8, 0.6], 'image');
  close(a.transformQuery(Float32Array.from([3, 4])), [0.8, 0.6], 'query');
});

test('linear adapter refuses bad shapes, non-finite parameters and a zero output', () => {
  const ok = { id: 'x', inDim: 2, outDim: 2, weight: new Float32Array(4), bias: new Float32Array(2) };
  assert.throws(() => new LinearAdapter({ ...ok, weight: new Float32Array(3) }), /adapter x: weight has 3 values, expected 2 × 2/);
  assert.throws(() => new LinearAdapter({ ...ok, bias: new Float32Array(3) }), /bias has 3 values/);
  assert.throws(() => new LinearAdapter({ ...ok, outDim: 0 }), /positive integers/);
  assert.throws(() => new LinearAdapter({ ...ok, bias: Float32Array.from([NaN, 0]) }), /NaN or Infinity/);
  const zero = new LinearAdapter(ok);
  assert.throws(() => zero.transformQuery(Float32Array.from([1, 1])), /zero or non-finite norm/);
  assert.throws(() => zero.transformQuery(Float32Array.from([1, 1, 1])), /expected 2/);
});
