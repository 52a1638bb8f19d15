// The relevance floor (electron/core/search/relevance.ts): scale-free, so two models whose raw
// cosines live in different ranges judge the same photos alike; the known-word test; and the
// search box's reading of a query still being typed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isKnownWord, nullPrompts, relevanceFloors, STRONG_Z, understands } from '../../electron/core/search/relevance.js';
import { Rng } from '../../electron/core/synthetic/rng.js';
import { completePart } from '../../renderer/src/lib/util/query-typing.js';

/** Scores of 20 meaningless prompts and one query over 200 photos; photos 0..9 truly match. */
function library(seed: number): { ids: number[]; nulls: Float32Array[]; query: Float32Array } {
  const rng = new Rng(seed);
  const n = 200;
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  const level = Array.from({ length: n }, () => rng.normal() * 0.5); // photos differ in how high everything scores on them
  const nulls = Array.from({ length: 20 }, () => Float32Array.from(level, (l) => l + rng.normal()));
  const query = Float32Array.from(level, (l, i) => l + rng.normal() + (i < 10 ? 5 : 0));
  return { ids, nulls, query };
}

/** The same scores as another model would give them: stretched and shifted. */
const rescale = (a: Float32Array, scale: number, shift: number): Float32Array => Float32Array.from(a, (s) => s * scale + shift);

test('the floor picks the same photos whatever the model\'s score range', () => {
  const { ids, nulls, query } = library(5);
  const models = [
    { scale: 0.12, shift: 0.55 }, // a wide range like the bundled model's
    { scale: 0.01, shift: 0.22 }, // ViT-B/32's narrow band
    { scale: 0.02, shift: -0.05 }, // SigLIP's, around zero
  ];
  const strongSets = models.map(({ scale, shift }) => {
    const floors = relevanceFloors(nulls.map((c) => rescale(c, scale, shift)));
    const scores = rescale(query, scale, shift);
    return ids.filter((_, r) => scores[r]! >= floors[r]!);
  });
  // A raw-score threshold that suits the first model finds nothing with the second.
  assert.equal([...rescale(query, 0.01, 0.22)].filter((s) => s >= 0.55 + 0.12 * 3).length, 0);
  assert.deepEqual(strongSets[1], strongSets[0]);
  assert.deepEqual(strongSets[2], strongSets[0]);
  const truly = new Set(ids.slice(0, 10));
  assert.ok(strongSets[0]!.filter((id) => truly.has(id)).length >= 9, 'the true matches are above the floor');
  assert.ok(strongSets[0]!.filter((id) => !truly.has(id)).length <= 0.15 * 190, `most others are not: ${strongSets[0]!.length}`);
});

test('a meaningless query has next to nothing above the floor', () => {
  const { ids, nulls } = library(9);
  const floors = relevanceFloors(nulls.slice(1));
  // One more meaningless prompt, not in the baseline: it is one of them.
  const strong = ids.filter((_, r) => nulls[0]![r]! >= floors[r]!);
  assert.ok(strong.length <= 0.05 * ids.length, `${strong.length} of ${ids.length}`);
});

test('floors: STRONG_Z spreads above the prompts\' mean; a photo with no spread is judged by its mean', () => {
  const floors = relevanceFloors([new Float32Array([0.2, 0.1]), new Float32Array([0.2, 0.3])]);
  assert.ok(Math.abs(floors[0]! - 0.2) < 1e-7, 'no spread: the mean itself');
  assert.ok(Math.abs(floors[1]! - (0.2 + STRONG_Z * 0.1)) < 1e-7, 'mean 0.2, spread 0.1');
  assert.throws(() => relevanceFloors([new Float32Array([0.2])]), /at least 2 prompts/);
});

test('known words: spelt letter by letter means unknown', () => {
  assert.equal(isKnownWord('beach', 1), true);
  assert.equal(isKnownWord('circles', 2), true);
  assert.equal(isKnownWord('zzzz', 5), false);
  assert.equal(isKnownWord('xylophone', 8), false);
  // "a dog" is judged on "dog"; one known word in two is enough; a query of short words passes.
  const pieces = (w: string): number => ({ dog: 4, red: 1, circle: 1, zzzz: 5, qwxv: 5 })[w] ?? 1;
  assert.equal(understands(['a dog'], pieces), false);
  assert.equal(understands(['a red circle'], pieces), true);
  assert.equal(understands(['red zzzz'], pieces), true);
  assert.equal(understands(['zzzz qwxv'], pieces), false);
  assert.equal(understands(['a'], pieces), true);
});

test('meaningless prompts are the same on every run and are letters only', () => {
  const a = nullPrompts();
  assert.deepEqual(a, nullPrompts());
  assert.equal(a.length, 32);
  for (const p of a) assert.match(p, /^[a-z]{3,9}$/);
});

test('a query being typed is searched up to its last complete term', () => {
  const typed = (q: string): string => completePart(q).trim();
  assert.equal(typed('beach +'), 'beach');
  assert.equal(typed('beach + sunset -'), 'beach + sunset');
  assert.equal(typed('beach + 2:'), 'beach');
  assert.equal(typed('2:'), '');
  assert.equal(typed('+'), '');
  assert.equal(typed('cat + "black and'), 'cat');
  // Complete queries are left alone: a hyphenated word, a closed quote, a time of day.
  assert.equal(typed('red t-shirt'), 'red t-shirt');
  assert.equal(typed('"black-and-white" + cat'), '"black-and-white" + cat');
  assert.equal(typed('beach -people'), 'beach -people');
});
