// The sorting rule (core/sorting/rule.ts) on small hand-made vectors: photos and prompts are unit
// vectors in 6 dimensions, and every cosine the rule sees is computed from them, so the category
// scores and the corrections' image similarities agree as they do in a real library.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyRule, floorOf, pooledSpread, type RuleInput } from '../../electron/core/sorting/rule.js';
import { Rng } from '../../electron/core/synthetic/rng.js';

const DIM = 6;

function unit(v: number[]): Float32Array {
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] as number), 0);

/** Prompts: category A along axis 1, B along axis 2; the background prompt along axis 0. */
const A = unit([0.3, 1, 0, 0, 0, 0]);
const B = unit([0.3, 0, 1, 0, 0, 0]);
const BACKGROUND = unit([1, 0, 0, 0, 0, 0]);

interface Library {
  ids: number[];
  vectors: Float32Array[];
  kind: string[];
}

/** 20 photos like A, 20 like B, 10 of a third kind ("C": a bit like A, mostly along axis 3). */
function library(seed = 1): Library {
  const rng = new Rng(seed);
  const lib: Library = { ids: [], vectors: [], kind: [] };
  const add = (kind: string, centre: number[]) => {
    lib.ids.push(lib.ids.length + 101);
    lib.kind.push(kind);
    lib.vectors.push(unit(centre.map((x) => x + 0.15 * rng.normal())));
  };
  for (let i = 0; i < 20; i++) add('A', [0.5, 1, 0, 0, 0.3, 0]);
  for (let i = 0; i < 20; i++) add('B', [0.5, 0, 1, 0, 0, 0.3]);
  for (let i = 0; i < 10; i++) add('C', [0.5, 0.75, 0, 1, 0.3, 0]);
  return lib;
}

function input(lib: Library, opts: { categories?: Float32Array[]; strictness?: (number | null)[]; corrections?: { photoId: number; category: number }[]; multiLabel?: boolean } = {}): RuleInput {
  const categories = opts.categories ?? [A, B];
  const column = (q: Float32Array) => Float32Array.from(lib.vectors, (v) => dot(v, q));
  return {
    ids: lib.ids,
    categoryScores: categories.map(column),
    backgroundScores: column(BACKGROUND),
    strictness: opts.strictness ?? categories.map(() => null),
    corrections: (opts.corrections ?? []).map((c) => ({ ...c, similarity: column(lib.vectors[lib.ids.indexOf(c.photoId)] as Float32Array) })),
    multiLabel: opts.multiLabel ?? false,
  };
}

const placedAs = (lib: Library, placed: number[][], kind: string) => lib.ids.flatMap((_, r) => (lib.kind[r] === kind ? [placed[r] as number[]] : []));
const idsOf = (lib: Library, kind: string) => lib.ids.filter((_, r) => lib.kind[r] === kind);

test('sorts each photo into its category; deterministic', () => {
  const lib = library();
  const first = applyRule(input(lib));
  const again = applyRule(input(lib));
  assert.deepEqual(again, first);
  assert.ok(placedAs(lib, first.placed, 'A').every((p) => p.length === 1 && p[0] === 0), 'A photos in A');
  assert.ok(placedAs(lib, first.placed, 'B').every((p) => p.length === 1 && p[0] === 1), 'B photos in B');
  assert.ok(first.spread > 0 && first.spread < 1);
  assert.equal(first.floor, floorOf(null), 'no corrections: the default floor');
  for (let r = 0; r < lib.ids.length; r++) {
    const c = first.confidence[r] as number;
    assert.ok(c >= 0.5 && c <= 1, `confidence ${c}`);
  }
});

test('a corrected photo stays where the person put it, Unsorted included', () => {
  const lib = library();
  const aPhoto = idsOf(lib, 'A')[0] as number;
  const bPhoto = idsOf(lib, 'B')[0] as number;
  const out = applyRule(input(lib, { corrections: [{ photoId: aPhoto, category: 1 }, { photoId: bPhoto, category: -1 }] }));
  const ra = lib.ids.indexOf(aPhoto);
  const rb = lib.ids.indexOf(bPhoto);
  assert.deepEqual(out.placed[ra], [1]);
  assert.deepEqual(out.placed[rb], []);
  assert.equal(out.corrected[ra], 1);
  assert.equal(out.corrected[rb], 1);
  assert.equal(out.confidence[ra], 1);
  assert.equal(out.corrected.reduce((s, x) => s + x, 0), 2, 'only the corrected photos are marked');
});

test('a correction toward Unsorted pulls similar photos out, and the others stay', () => {
  const lib = library();
  const before = applyRule(input(lib));
  const cBefore = placedAs(lib, before.placed, 'C').filter((p) => p.length > 0).length;
  assert.ok(cBefore >= 5, `zero-shot puts most C photos in A (${cBefore} of 10)`);
  const [c1, c2] = idsOf(lib, 'C') as [number, number];
  const after = applyRule(input(lib, { corrections: [{ photoId: c1, category: -1 }, { photoId: c2, category: -1 }] }));
  const cAfter = placedAs(lib, after.placed, 'C').filter((p) => p.length > 0).length;
  assert.ok(cAfter < cBefore, `C photos sorted: ${cBefore} before, ${cAfter} after`);
  const aAfter = placedAs(lib, after.placed, 'A').filter((p) => p[0] === 0).length;
  assert.ok(aAfter >= 18, `A photos still in A: ${aAfter} of 20`);
});

test('corrections into a category and into Unsorted fit the floor between them', () => {
  const lib = library();
  const corrections = [
    ...idsOf(lib, 'A').slice(0, 3).map((photoId) => ({ photoId, category: 0 })),
    ...idsOf(lib, 'B').slice(0, 3).map((photoId) => ({ photoId, category: 1 })),
    ...idsOf(lib, 'C').slice(0, 3).map((photoId) => ({ photoId, category: -1 })),
  ];
  const out = applyRule(input(lib, { corrections }));
  assert.ok(out.floor > floorOf(null), `the floor rose to keep C out: ${out.floor}`);
  const cSorted = placedAs(lib, out.placed, 'C').filter((p) => p.length > 0).length;
  assert.ok(cSorted <= 2, `C photos sorted after the fit: ${cSorted}`);
  assert.deepEqual(applyRule(input(lib, { corrections })), out, 'deterministic with corrections');
});

test('strictness is monotone: a stricter category never takes more photos', () => {
  const lib = library(7);
  const corrections = [{ photoId: idsOf(lib, 'C')[0] as number, category: -1 }, { photoId: idsOf(lib, 'A')[0] as number, category: 0 }];
  for (const multiLabel of [false, true]) {
    let previous: Set<number> | null = null;
    for (let s = 0; s <= 1.0001; s += 0.1) {
      const out = applyRule(input(lib, { strictness: [s, null], corrections, multiLabel }));
      const inA = new Set(lib.ids.filter((_, r) => (out.placed[r] as number[]).includes(0)));
      if (previous) for (const id of inA) assert.ok(previous.has(id), `strictness ${s.toFixed(1)} took photo ${id} that a looser one left out`);
      previous = inA;
    }
    assert.ok(previous && previous.size < 30, 'the strictest setting leaves some photos out');
  }
});

test('multi-label: a photo between two categories goes into both, best first', () => {
  const lib = library();
  lib.ids.push(999);
  lib.kind.push('AB');
  lib.vectors.push(unit([0.3, 1, 0.95, 0, 0, 0]));
  const out = applyRule(input(lib, { multiLabel: true }));
  const r = lib.ids.indexOf(999);
  assert.deepEqual(out.placed[r], [0, 1]);
  const single = applyRule(input(lib));
  assert.ok((single.placed[r] as number[]).length <= 1, 'single-label: one category at most');
  assert.ok(placedAs(lib, out.placed, 'A').every((p) => p[0] === 0), 'A photos have A first');
});

test('no categories: everything is Unsorted; one photo: sorted without a measurable spread', () => {
  const lib = library();
  const none = applyRule(input(lib, { categories: [] }));
  assert.ok(none.placed.every((p) => p.length === 0));
  assert.ok(Array.from(none.best).every((b) => b === -1));
  assert.equal(none.spread, 1);

  const one: Library = { ids: [5], vectors: [unit([0.3, 1, 0, 0, 0, 0])], kind: ['A'] };
  const out = applyRule(input(one));
  assert.equal(out.spread, 1, 'one photo: σ cannot be measured, 1 is used');
  assert.deepEqual(out.placed, [[0]]);
  assert.equal(pooledSpread([new Float32Array([0.3])]), 1);
  const corrected = applyRule(input(one, { corrections: [{ photoId: 5, category: -1 }] }));
  assert.deepEqual(corrected.placed, [[]]);
  assert.equal(corrected.corrected[0], 1);
});

test('a correction for a photo not in the rows is ignored', () => {
  const lib = library();
  const base = input(lib);
  const out = applyRule({ ...base, corrections: [{ photoId: 123456, category: 0, similarity: new Float32Array(lib.ids.length) }] });
  assert.equal(out.corrected.reduce((s, x) => s + x, 0), 0);
  assert.equal(out.floor, floorOf(null));
});
