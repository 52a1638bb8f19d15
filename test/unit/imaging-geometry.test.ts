// The preprocessing arithmetic against open_clip/torchvision's integer rules (values worked
// out by hand from their formulas), the thumbnail size, and the intermediate decode size.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intermediateSize, modelGeometry, thumbnailSize } from '../../electron/core/imaging/geometry.js';
import { clipConfig } from '../fixtures/imaging/make.js';

test("'shortest', square: short side to size, long side truncated, crop offset rounded half to even", () => {
  // 4000×3000 → 298×224 (int(224·4000/3000) = int(298.67)), crop left round(37) = 37.
  assert.deepEqual(modelGeometry({ width: 4000, height: 3000 }, clipConfig({ size: 224 })), {
    target: { width: 224, height: 224 },
    resize: { width: 298, height: 224 },
    crop: { left: 37, top: 0, width: 224, height: 224 },
    pad: null,
  });
  // 160×120 → 85×64, (85 − 64) / 2 = 10.5 → 10 (Python rounds halves to even).
  assert.deepEqual(modelGeometry({ width: 160, height: 120 }, clipConfig()).crop, { left: 10, top: 0, width: 64, height: 64 });
  // 3×4 portrait, 199 → 199×265 (int(265.33)), (265 − 199) / 2 = 33.
  assert.deepEqual(modelGeometry({ width: 3000, height: 4000 }, clipConfig({ size: 199 })).crop, { left: 0, top: 33, width: 199, height: 199 });
  // Already square: no crop.
  assert.equal(modelGeometry({ width: 500, height: 500 }, clipConfig()).crop, null);
});

test("'shortest', [h, w] target: cover with rounded sides, then centre crop", () => {
  const geo = modelGeometry({ width: 1000, height: 1000 }, clipConfig({ size: [48, 96] }));
  assert.deepEqual(geo.target, { width: 96, height: 48 });
  assert.deepEqual(geo.resize, { width: 96, height: 96 });
  assert.deepEqual(geo.crop, { left: 0, top: 24, width: 96, height: 48 });
});

test("'longest': fit inside, pad with the odd pixel right/bottom", () => {
  const geo = modelGeometry({ width: 300, height: 100 }, clipConfig({ size: 64, resize_mode: 'longest' }));
  // ratio 300/64; height round(100 / 4.6875) = round(21.33) = 21; pad 43 → 21 top, 22 bottom.
  assert.deepEqual(geo.resize, { width: 64, height: 21 });
  assert.deepEqual(geo.pad, { left: 0, top: 21, right: 0, bottom: 22 });
  assert.equal(geo.crop, null);
});

test("'squash': exact size whatever the aspect", () => {
  assert.deepEqual(modelGeometry({ width: 300, height: 100 }, clipConfig({ resize_mode: 'squash' })), {
    target: { width: 64, height: 64 },
    resize: { width: 64, height: 64 },
    crop: null,
    pad: null,
  });
});

test('thumbnail fits its long side and is never enlarged', () => {
  assert.deepEqual(thumbnailSize({ width: 4000, height: 3000 }, 320), { width: 320, height: 240 });
  assert.deepEqual(thumbnailSize({ width: 3000, height: 4000 }, 320), { width: 240, height: 320 });
  assert.deepEqual(thumbnailSize({ width: 100, height: 50 }, 320), { width: 100, height: 50 });
  assert.deepEqual(thumbnailSize({ width: 20000, height: 10 }, 320), { width: 320, height: 1 });
});

test('intermediate decode covers both outputs (times the oversample) and never exceeds the photo', () => {
  const full = { width: 4000, height: 3000 };
  const thumb = thumbnailSize(full, 320);
  // Thumbnail needs 320×240, the model 298×224: the larger wins, doubled.
  assert.deepEqual(intermediateSize(full, thumb, modelGeometry(full, clipConfig({ size: 224 })), 2), { width: 640, height: 480 });
  // A panorama: the model's short side needs more than the thumbnail.
  const pano = { width: 12000, height: 2000 };
  const mid = intermediateSize(pano, thumbnailSize(pano, 320), modelGeometry(pano, clipConfig({ size: 224 })), 1);
  assert.deepEqual(mid, { width: 1344, height: 224 });
  // A small photo decodes at full size.
  const small = { width: 200, height: 150 };
  assert.deepEqual(intermediateSize(small, thumbnailSize(small, 320), modelGeometry(small, clipConfig()), 2), small);
});
