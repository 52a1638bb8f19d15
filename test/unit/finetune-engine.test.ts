// The fine-tuning engine without I/O: the identity start changes nothing (search adapter included),
// the same seed gives the same bits, recall@k and the forgetting probe on hand-made cases, the mix
// choice, the split, a structured personal vocabulary accepted and shuffled captions refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdapterPair } from '../../electron/core/finetune/adapter-pair.js';
import { identityParams } from '../../electron/core/finetune/contrastive.js';
import { defaultEpochs, FINETUNE_DEFAULTS, packWeights, runEngine } from '../../electron/core/finetune/engine.js';
import { chooseMix, disagreement, evaluateGrid, recallOf, splitPairs, zeroShotLabels, type MixPoint, signTestP } from '../../electron/core/finetune/evaluate.js';
import { activeVersion, rollbackVersion, setActiveVersion } from '../../electron/core/finetune/activation.js';
import { syntheticPairs } from '../../electron/core/finetune/synthetic-pairs.js';
import { trainAdapters } from '../../electron/core/finetune/train.js';
import { openStore } from '../../electron/core/store/index.js';

const small = { ...FINETUNE_DEFAULTS, epochs: 8 };

test('the identity start changes nothing: packed weights, the search adapter, every mix', () => {
  const d = 16;
  const data = syntheticPairs({ pairs: 40, dim: d, libraryCount: 50, promptCount: 8, concepts: 12 });
  const w = packWeights(identityParams(d), 1);
  const pair = new AdapterPair(1, d, w);
  for (let i = 0; i < 5; i++) {
    const x = data.images.subarray(i * d, (i + 1) * d);
    // The identity image side is no transform at all: the index keeps the photos' vectors.
    assert.equal(pair.transformImage, undefined);
    const y = x;
    const q = pair.transformQuery(data.texts.subarray(i * d, (i + 1) * d));
    for (let k = 0; k < d; k++) {
      assert.ok(Math.abs(y[k]! - x[k]!) < 1e-6);
      assert.ok(Math.abs(q[k]! - data.texts[i * d + k]!) < 1e-6);
    }
  }
  const grid = evaluateGrid(identityParams(d), { dim: d, heldImages: data.images, heldTexts: data.texts, held: 40, library: data.library, libraryCount: 50, prompts: data.prompts, promptCount: 8, distractors: 50 }, [0, 0.5, 1]);
  for (const p of grid) {
    assert.deepEqual(p.recall, grid[0]!.recall);
    assert.equal(p.forgetting, 0);
  }
  // Zero epochs: the trained adapter is the identity.
  const r = trainAdapters({ n: 40, dim: d, x: data.images, t: data.texts }, { ...small, epochs: 0 });
  assert.ok(r.params.imageW.every((v) => v === 0) && r.params.textB.every((v) => v === 0));
});

test('the same seed gives the same bits; another seed another result', () => {
  const data = syntheticPairs({ pairs: 120, dim: 32, libraryCount: 100, concepts: 16 });
  const a = runEngine(data, { ...small, seed: 5 });
  const b = runEngine(data, { ...small, seed: 5 });
  const c = runEngine(data, { ...small, seed: 6 });
  assert.deepEqual(Buffer.from(a.weights.buffer), Buffer.from(b.weights.buffer));
  assert.deepEqual(a.figures.loss, b.figures.loss);
  assert.deepEqual(a.grid, b.grid);
  assert.notDeepEqual(a.figures.loss, c.figures.loss);
});

test('recall@1 and @5, with distractors', () => {
  // 2 captions × 7 images (2 held-out photos, 5 distractors); caption 0's photo is first, caption 1's sixth.
  const scores = Float64Array.from([0.9, 0.1, 0.2, 0.3, 0.1, 0.0, 0.0, /**/ 0.5, 0.4, 0.9, 0.8, 0.7, 0.6, 0.1]);
  const r = recallOf(scores, 2, 7);
  assert.equal(r.at1, 50);
  assert.equal(r.at5, 50);
  assert.equal(r.meanRank, (1 + 6) / 2);
});

test('zero-shot labels and disagreement in points', () => {
  // 2 prompts × 4 images.
  const a = zeroShotLabels(Float64Array.from([1, 0, 1, 0, 0, 1, 0, 1]), 2, 4);
  assert.deepEqual([...a], [0, 1, 0, 1]);
  const b = Int32Array.from([0, 1, 1, 1]);
  assert.equal(disagreement(a, b), 25);
  assert.equal(disagreement(a, b, Int32Array.from([0, 1])), 0);
});

test('the mix: best recall@1 within the forgetting bound, the smaller mix on ties', () => {
  const pt = (mix: number, at1: number, forgetting: number): MixPoint => ({ mix, recall: { at1, at5: 50, meanRank: 3, hits: new Uint8Array(0) }, forgetting });
  assert.equal(chooseMix([pt(0, 10, 0), pt(0.5, 30, 1), pt(1, 40, 5)], 2).mix, 0.5);
  assert.equal(chooseMix([pt(0, 10, 0), pt(0.5, 30, 1), pt(1, 30, 1)], 2).mix, 0.5);
  assert.equal(chooseMix([pt(0, 10, 0), pt(0.5, 30, 3)], 2).mix, 0);
});

test('the split holds out 20 % (at least 4) and is seeded', () => {
  const s = splitPairs(100, 0.2, 4, 1);
  assert.equal(s.heldOut.length, 20);
  assert.equal(s.train.length, 80);
  assert.equal(new Set([...s.train, ...s.heldOut]).size, 100);
  assert.equal(splitPairs(10, 0.2, 4, 1).heldOut.length, 4);
  assert.deepEqual(splitPairs(100, 0.2, 4, 1), s);
  assert.equal(defaultEpochs(1000), 6);
  assert.equal(defaultEpochs(40), 30);
});

test('a personal vocabulary is learnt and accepted; shuffled captions are refused', () => {
  const good = runEngine(syntheticPairs({ pairs: 300, dim: 64, concepts: 24, personal: 0.5 }), { ...FINETUNE_DEFAULTS, epochs: defaultEpochs(300) });
  assert.equal(good.accepted, true, good.reason ?? '');
  assert.ok(good.figures.after.at1 > good.figures.before.at1);
  assert.ok(good.figures.forgetting <= 2);
  assert.ok(good.figures.mix > 0);
  const bad = runEngine(syntheticPairs({ pairs: 300, dim: 64, concepts: 24, shuffledCaptions: true }), { ...FINETUNE_DEFAULTS, epochs: defaultEpochs(300) });
  assert.equal(bad.accepted, false);
  assert.match(bad.reason ?? '', /recall@1|forgets/);
});

test('activation per model with a history for rollback', () => {
  const store = openStore(':memory:');
  try {
    assert.equal(activeVersion(store.settings, 'm'), null);
    setActiveVersion(store.settings, 'm', 1);
    setActiveVersion(store.settings, 'm', 2);
    setActiveVersion(store.settings, 'other', 7);
    assert.equal(activeVersion(store.settings, 'm'), 2);
    assert.deepEqual(rollbackVersion(store.settings, 'm'), { from: 2, to: 1 });
    assert.deepEqual(rollbackVersion(store.settings, 'm'), { from: 1, to: null });
    assert.deepEqual(rollbackVersion(store.settings, 'm'), { from: null, to: null });
    assert.equal(activeVersion(store.settings, 'other'), 7);
  } finally {
    store.close();
  }
});

test('the sign test: a gain chance could give is not a gain', () => {
  assert.equal(signTestP(0, 0), 1);
  assert.equal(signTestP(3, 0), 1 / 8);
  assert.ok(Math.abs(signTestP(5, 0) - 1 / 32) < 1e-12);
  assert.ok(Math.abs(signTestP(6, 1) - 8 / 128) < 1e-12);
  assert.ok(signTestP(2, 2) > 0.5);
});
