// float16 conversion of the rerank copy, and both row layouts behaving the same way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRowStore, fromHalfBits, toHalfBits } from '../../electron/core/search/row-store.js';
import { Rng } from '../../electron/core/synthetic/rng.js';

test('toHalfBits gives IEEE binary16 bit patterns, rounding to nearest even', () => {
  const cases: [number, number][] = [
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [0.1, 0x2e66],
    [65504, 0x7bff],
    [1e6, 0x7c00],
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -26, 0x0000], // below half the smallest subnormal: zero
    [1 + 2 ** -11, 0x3c00], // tie: stays even
    [1 + 3 * 2 ** -11, 0x3c02], // tie: rounds up to even
    [1 + 2 ** -11 + 2 ** -20, 0x3c01], // just above the tie
  ];
  for (const [x, bits] of cases) assert.equal(toHalfBits(x), bits, `toHalfBits(${x})`);
});

test('float16 round trip stays within half an ulp for embedding-sized values', () => {
  const rng = new Rng(3);
  for (let i = 0; i < 10000; i++) {
    const x = Math.fround(rng.range(-1, 1) * 10 ** -rng.int(0, 3));
    const back = fromHalfBits(toHalfBits(x));
    const ulp = Math.max(2 ** -24, 2 ** (Math.floor(Math.log2(Math.abs(x))) - 10));
    assert.ok(Math.abs(back - x) <= ulp / 2, `${x} → ${back}`);
  }
});

test('float32 and float16 stores write, copy, read, dot and grow the same rows', () => {
  const dim = 10;
  const rng = new Rng(9);
  const rows = Array.from({ length: 3 }, () => Float32Array.from({ length: dim }, () => rng.range(-1, 1)));
  const q = Float32Array.from({ length: dim }, () => rng.range(-1, 1));
  for (const precision of ['float32', 'float16'] as const) {
    const tol = precision === 'float32' ? 0 : 2e-3;
    let store = createRowStore(precision, dim, 3);
    rows.forEach((r, i) => store.write(i, r, 0));
    store.copyRow(2, 0);
    store = store.grown(8, 3);
    assert.equal(store.capacity, 8);
    const expect = [rows[2]!, rows[1]!, rows[2]!];
    expect.forEach((r, i) => {
      const got = store.read(i);
      for (let j = 0; j < dim; j++) assert.ok(Math.abs(got[j]! - r[j]!) <= tol * Math.abs(r[j]!) + 1e-7, `${precision} row ${i}`);
      const exact = r.reduce((s, v, j) => s + v * q[j]!, 0);
      assert.ok(Math.abs(store.dot(i, q) - exact) <= (precision === 'float32' ? 1e-6 : 5e-3), `${precision} dot ${i}`);
    });
  }
});
