// parsePreprocessConfig: accepts the preprocess_cfg.json shipped in Immich/open_clip model
// folders, fills open_clip's defaults, and rejects bad files with a message naming the file.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePreprocessConfig } from '../../electron/core/imaging/decode.js';

const IMMICH_VIT_B_32 = {
  size: [224, 224],
  mode: 'RGB',
  mean: [0.48145466, 0.4578275, 0.40821073],
  std: [0.26862954, 0.26130258, 0.27577711],
  interpolation: 'bicubic',
  resize_mode: 'shortest',
  fill_color: 0,
};

test('reads an Immich/open_clip preprocess_cfg.json as is', () => {
  const cfg = parsePreprocessConfig(IMMICH_VIT_B_32, 'ViT-B-32/visual/preprocess_cfg.json');
  assert.deepEqual(cfg, {
    size: [224, 224],
    mean: IMMICH_VIT_B_32.mean,
    std: IMMICH_VIT_B_32.std,
    interpolation: 'bicubic',
    resize_mode: 'shortest',
    fill_color: 0,
  });
});

test("fills open_clip's defaults and expands a single mean/std", () => {
  const cfg = parsePreprocessConfig({ size: 64, mean: 0.5, std: 0.5, interpolation: 'random' }, 'x.json');
  assert.deepEqual(cfg, {
    size: 64,
    mean: [0.5, 0.5, 0.5],
    std: [0.5, 0.5, 0.5],
    interpolation: 'bicubic',
    resize_mode: 'shortest',
    fill_color: 0,
  });
});

test('rejects bad configs, naming the file and the field', () => {
  const bad: Array<[unknown, RegExp]> = [
    [null, /\(root\)/],
    [{ ...IMMICH_VIT_B_32, size: 0 }, /size/],
    [{ ...IMMICH_VIT_B_32, size: [224] }, /size/],
    [{ ...IMMICH_VIT_B_32, std: [0.2, 0, 0.2] }, /std/],
    [{ ...IMMICH_VIT_B_32, mean: [0.5, 0.5] }, /mean/],
    [{ ...IMMICH_VIT_B_32, resize_mode: 'stretch' }, /resize_mode/],
    [{ ...IMMICH_VIT_B_32, interpolation: 'lanczos' }, /interpolation/],
    [{ ...IMMICH_VIT_B_32, mode: 'L' }, /mode/],
    [{ ...IMMICH_VIT_B_32, fill_color: 300 }, /fill_color/],
  ];
  for (const [json, field] of bad) {
    assert.throws(
      () => parsePreprocessConfig(json, '/models/m/visual/preprocess_cfg.json'),
      (err: Error) => err.message.includes('/models/m/visual/preprocess_cfg.json') && field.test(err.message),
      JSON.stringify(json),
    );
  }
});
