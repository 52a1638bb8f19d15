// Query syntax (terms, + and -, weights, quotes, hyphens) and the combination of term embeddings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combineQuery, parseQuery, QueryError } from '../../electron/core/search/query.js';

const terms = (q: string): [string, number][] => parseQuery(q).terms.map((t) => [t.text, t.weight]);

test('terms joined by + and - get weights ±1', () => {
  assert.deepEqual(terms('beach + sunset - people'), [['beach', 1], ['sunset', 1], ['people', -1]]);
  assert.deepEqual(terms('beach+sunset-people'), [['beach', 1], ['sunset-people', 1]]);
  assert.deepEqual(terms('beach -people'), [['beach', 1], ['people', -1]]);
  assert.deepEqual(terms('beach- people'), [['beach', 1], ['people', -1]]);
  assert.deepEqual(terms('  red car  +  beach '), [['red car', 1], ['beach', 1]]);
  assert.deepEqual(terms('dog'), [['dog', 1]]);
});

test('numeric weights before a colon', () => {
  assert.deepEqual(terms('2:dog + grass'), [['dog', 2], ['grass', 1]]);
  assert.deepEqual(terms('0.5:night'), [['night', 0.5]]);
  assert.deepEqual(terms('beach - 2:people'), [['beach', 1], ['people', -2]]);
  assert.deepEqual(terms('-0.5:night + .25:moon'), [['night', -0.5], ['moon', 0.25]]);
  assert.deepEqual(terms('1e-1:fog'), [['fog', 0.1]]);
  assert.deepEqual(terms('3: red car'), [['red car', 3]]);
  assert.deepEqual(terms('2:"black and white"'), [['black and white', 2]]);
  // Only at the start of a term, and a time of day is text.
  assert.deepEqual(terms('dog 2:cat'), [['dog 2:cat', 1]]);
  assert.deepEqual(terms('clock 10:30'), [['clock 10:30', 1]]);
  assert.deepEqual(terms('10:30 train'), [['10:30 train', 1]]);
});

test('quotes keep + and - literal; hyphens inside words are not minus', () => {
  assert.deepEqual(terms('"black-and-white" + cat'), [['black-and-white', 1], ['cat', 1]]);
  assert.deepEqual(terms('"salt + pepper" - blur'), [['salt + pepper', 1], ['blur', -1]]);
  assert.deepEqual(terms('\u201cblack-and-white\u201d cat'), [['black-and-white cat', 1]]);
  assert.deepEqual(terms('red t-shirt - logo'), [['red t-shirt', 1], ['logo', -1]]);
  assert.deepEqual(terms('x-ray'), [['x-ray', 1]]);
  assert.deepEqual(terms('beach - -people'), [['beach', 1], ['people', 1]]);
});

test('all-negative queries parse', () => {
  assert.deepEqual(terms('-people'), [['people', -1]]);
  assert.deepEqual(terms('- people - cars'), [['people', -1], ['cars', -1]]);
});

test('empty, dangling and out-of-range queries are refused with a reason', () => {
  const refuses = (q: string, re: RegExp): void => {
    assert.throws(() => parseQuery(q), (err: unknown) => err instanceof QueryError && re.test(err.message), q);
  };
  refuses('', /empty/);
  refuses('   \t\n ', /empty/);
  refuses('beach +', /ends with an operator/);
  refuses('+', /ends with an operator/);
  refuses('-', /ends with an operator/);
  refuses('2:', /not followed by a term/);
  refuses('2: + dog', /not followed by a term/);
  refuses('"unclosed quote', /never closed/);
  refuses('"" + dog', /empty quotes/);
  refuses('11:dog', /from -10 to 10/);
  refuses('beach - 10.5:people', /from -10 to 10/);
  refuses('1e400:dog', /from -10 to 10/);
  refuses('x'.repeat(1001), /limit is 1000/);
  refuses(Array.from({ length: 17 }, (_, i) => `t${i}`).join(' + '), /more than 16 terms/);
  assert.deepEqual(terms('10:dog + -10:cat'), [['dog', 10], ['cat', -10]]);
});

test('combineQuery: weighted sum of normalised terms, then normalised', () => {
  const a = Float32Array.from([3, 0, 0]);
  const b = Float32Array.from([0, 0.5, 0]);
  const v = combineQuery([a, b], [1, 1]);
  assert.ok(Math.abs(v[0]! - Math.SQRT1_2) < 1e-6 && Math.abs(v[1]! - Math.SQRT1_2) < 1e-6 && v[2] === 0);
  const w = combineQuery([a, b], [2, 1]);
  assert.ok(Math.abs(w[0]! - 2 / Math.sqrt(5)) < 1e-6 && Math.abs(w[1]! - 1 / Math.sqrt(5)) < 1e-6);
  const minus = combineQuery([a, b], [1, -1]);
  assert.ok(minus[1]! < 0 && Math.abs(Math.hypot(...minus) - 1) < 1e-6);
});

test('combineQuery: an all-negative query points away from its terms; cancelling terms are refused', () => {
  const people = Float32Array.from([0, 1, 0, 0]);
  const cars = Float32Array.from([0, 0, 1, 0]);
  const v = combineQuery([people, cars], [-1, -1]);
  assert.deepEqual([...v].map((x) => Math.round(x * 1e6) / 1e6), [0, -Math.round(Math.SQRT1_2 * 1e6) / 1e6, -Math.round(Math.SQRT1_2 * 1e6) / 1e6, 0]);
  // A photo of neither scores above a photo of people.
  const landscape = [1, 0, 0, 0];
  const portrait = [0, 1, 0, 0];
  const score = (x: number[]): number => x.reduce((s, xi, i) => s + xi * v[i]!, 0);
  assert.ok(score(landscape) > score(portrait));
  assert.throws(() => combineQuery([people, people], [1, -1]), /cancel/);
  assert.throws(() => combineQuery([people], [0]), /cancel/);
  assert.throws(() => combineQuery([people], [Infinity]), /finite/);
  assert.throws(() => combineQuery([people, new Float32Array(3)], [1, 1]), /3 dims, expected 4/);
  assert.throws(() => combineQuery([new Float32Array(4)], [1]), /zero or non-finite/);
  assert.throws(() => combineQuery([people], [1, 1]), /1 embeddings but 2 weights/);
  assert.throws(() => combineQuery([], []), /no term/);
});
