// The relevance floor (electron/core/search/relevance.ts): scale-free, so two models whose raw
// cosines live in different ranges judge the same photos alike; the known-word test (by pieces for
// a small vocabulary, every word for a web-scale one, taught words while fine-tuned); and the
// search box's reading of a query still being typed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelFolder } from '../../electron/core/clip/model-folder.js';
import { modelKnows, SMALL_VOCABULARY, vocabularySize, withTaught } from '../../electron/core/search/known-words.js';
import { EmbeddingIndex } from '../../electron/core/search/embedding-index.js';
import { RelevanceBaseline } from '../../electron/core/search/relevance-baseline.js';
import { isKnownWord, judgedWords, medianFloor, nullPrompts, relevanceFloors, STRONG_Z, understands } from '../../electron/core/search/relevance.js';
import { Rng } from '../../electron/core/synthetic/rng.js';
import { completePart } from '../../renderer/src/lib/util/query-typing.js';

const BUNDLED = fileURLToPath(new URL('../../models/shoebox-mini', import.meta.url));

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
  // A model's own z (its record's relevanceZ) takes that many spreads instead.
  assert.ok(Math.abs(relevanceFloors([new Float32Array([0.3]), new Float32Array([0.1])], 1)[0]! - 0.3) < 1e-7, 'mean 0.2 + 1 × spread 0.1');
  assert.equal(medianFloor(Float32Array.from([3, 1, 2, 5])), 3, 'the median photo\'s floor (the upper one of an even count)');
});

test('known words: spelt letter by letter means unknown', () => {
  assert.equal(isKnownWord('beach', 1), true);
  assert.equal(isKnownWord('circles', 2), true);
  assert.equal(isKnownWord('zzzz', 5), false);
  assert.equal(isKnownWord('xylophone', 8), false);
  // "a dog" is judged on "dog"; one known word in two is enough; a query of short words passes.
  const pieces = (w: string): number => ({ dog: 4, red: 1, circle: 1, zzzz: 5, qwxv: 5 })[w] ?? 1;
  const knows = (w: string): boolean => isKnownWord(w, pieces(w));
  assert.equal(understands(['a dog'], knows), false);
  assert.equal(understands(['a red circle'], knows), true);
  assert.equal(understands(['red zzzz'], knows), true);
  assert.equal(understands(['zzzz qwxv'], knows), false);
  assert.equal(understands(['a'], knows), true);
  assert.deepEqual(judgedWords(['A Photo of PIP', 'straße, 東京タワー']), ['photo', 'pip', 'straße', '東京タワー']);
});

test('the bundled model\'s small vocabulary judges words by their pieces; taught words count as known', async () => {
  const tokenizer = path.join(BUNDLED, 'textual', 'tokenizer.json');
  assert.ok((await vocabularySize(tokenizer)) < SMALL_VOCABULARY, 'the bundled tokenizer is a small vocabulary');
  const knows = await modelKnows(await loadModelFolder(BUNDLED));
  for (const w of ['beach', 'circle', 'photo', 'triangles']) assert.equal(knows(w), true, `${w} is known`);
  for (const w of ['zzzz', 'pip', 'xylophone', 'dog']) assert.equal(knows(w), false, `${w} is unknown`);
  const taught = withTaught(knows, ['a photo of pip', 'Pip on the beach']);
  assert.equal(taught('pip'), true, 'a word of the captions is known');
  assert.equal(taught('zzzz'), false);
  assert.equal(understands(['pip'], taught), true);
  assert.equal(withTaught(knows, []), knows, 'no captions: the model\'s own test');
});

test('a web-scale vocabulary (CLIP 49,408, SigLIP 32,000 tokens) knows every word', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-vocab-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const write = async (name: string, vocab: unknown): Promise<string> => {
    const file = path.join(dir, name);
    await writeFile(file, JSON.stringify({ model: { type: 'BPE', vocab }, added_tokens: [{ id: 0 }, { id: 1 }] }));
    return file;
  };
  const clip = await write('clip.json', Object.fromEntries(Array.from({ length: 49406 }, (_, i) => [`t${i}`, i])));
  assert.equal(await vocabularySize(clip), 49408);
  const siglip = await write('siglip.json', Array.from({ length: 31998 }, (_, i) => [`t${i}`, -i]));
  assert.equal(await vocabularySize(siglip), 32000);
  assert.ok(SMALL_VOCABULARY < 32000 && SMALL_VOCABULARY > 436);
  await assert.rejects(vocabularySize(await write('empty.json', {})), /has no vocabulary/);
});

test('floors measured row by row from the cached prompts equal the full measurement', () => {
  const rng = new Rng(3);
  const dim = 16;
  const vec = (): Float32Array => Float32Array.from({ length: dim }, () => rng.normal());
  const ids = Array.from({ length: 300 }, (_, i) => i + 1);
  const rows = ids.map(vec);
  const whole = new EmbeddingIndex(dim, { threads: 1 });
  const rowByRow = new EmbeddingIndex(dim, { threads: 1 });
  const prompts = Array.from({ length: 32 }, vec);
  whole.load(ids, Float32Array.from(rows.flatMap((r) => [...r])));
  new RelevanceBaseline(whole, prompts).measureAll();
  const upserted = new RelevanceBaseline(rowByRow, prompts);
  ids.forEach((id, i) => rowByRow.upsert(id, rows[i]!));
  const queries = Array.from({ length: 20 }, vec);
  assert.equal(rowByRow.searchJudged(queries[0]!, 10).aboveFloor, 0, 'rows without a floor are never above it');
  upserted.measure([...ids, 999]);
  for (const q of queries) {
    const [x, y] = [whole.searchJudged(q, 300), rowByRow.searchJudged(q, 300)];
    assert.ok(Math.abs(x.aboveFloor - y.aboveFloor) <= 1, `${x.aboveFloor} vs ${y.aboveFloor} above the floor`);
  }
  assert.ok(queries.some((q) => whole.searchJudged(q, 10).aboveFloor > 0), 'some rows are above their floors');
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
