// The training generator's rendering variety (synthetic/style.ts): the standard look is unchanged,
// a varied scene still shows what its caption says, and each part of a style changes the picture.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { COLOUR_RGB, Rng, renderSceneRaw, sampleScene, SHAPES, type SceneSpec } from '../../electron/core/synthetic/index.js';
import { SHAPE_PATHS, shapePath } from '../../electron/core/synthetic/shapes.js';
import type { SceneStyle } from '../../electron/core/synthetic/style.js';

const STANDARD: SceneStyle = {
  proportions: [0.5, 0.5],
  outline: 'grey',
  outlineWidth: 0.035,
  shadow: true,
  shading: 0,
  shadingAngle: 0,
  backgroundDetail: true,
  otherView: false,
};

function withStyle(spec: SceneSpec, change: Partial<SceneStyle>): SceneSpec {
  return { ...spec, layout: { ...spec.layout, style: { ...STANDARD, ...change } } };
}

/** The scene without lighting, noise or blur, so its pixels are the drawing's own colours. */
function withoutPhotoEffects(spec: SceneSpec): SceneSpec {
  const lighting = { ...spec.layout.lighting, brightness: 0, contrast: 1, tint: [1, 1, 1] as const, gradientStrength: 0, vignette: 0 };
  return { ...spec, layout: { ...spec.layout, lighting, noise: 0, blur: 0 } };
}

/** Mean absolute difference between horizontally adjacent pixels: how much fine texture a picture has. */
function texture(data: Buffer, width: number): number {
  let sum = 0;
  let n = 0;
  for (let i = 3; i < data.length; i++) {
    if (Math.floor(i / 3) % width === 0) continue;
    sum += Math.abs((data[i] as number) - (data[i - 3] as number));
    n++;
  }
  return sum / n;
}

test('shapePath at 0.5 is the standard shape, and other proportions change it', () => {
  for (const shape of SHAPES) {
    assert.deepEqual(shapePath(shape, 0.5), { d: SHAPE_PATHS[shape], sx: 1, sy: 1 }, shape);
    const [lo, hi] = [shapePath(shape, 0), shapePath(shape, 1)];
    assert.ok(lo.d !== hi.d || lo.sx !== hi.sx || lo.sy !== hi.sy, `${shape}: proportions change nothing`);
  }
});

test('without `varied`, sampleScene draws exactly the scenes it drew before styles existed', () => {
  // sha256 of these 300 specs, recorded with the generator of commit 3e35df0^ (before style.ts).
  const rng = new Rng(42);
  const specs = Array.from({ length: 300 }, () => sampleScene(rng, { minSide: 96, maxSide: 400 }));
  const digest = createHash('sha256').update(JSON.stringify(specs)).digest('hex');
  assert.equal(digest, '7182957c4759bb1228fac64494c8ff77a32c9e60b94b01e79c0cf490f5ab8245');
});

test('without `varied` no style is drawn, and the standard style renders byte-identically to none', async () => {
  const rng = new Rng(3);
  for (let i = 0; i < 6; i++) {
    const spec = sampleScene(rng, { minSide: 120, maxSide: 200 });
    assert.equal(spec.layout.style, undefined);
    const plain = await renderSceneRaw(spec);
    const styled = await renderSceneRaw(withStyle(spec, {}));
    assert.ok(plain.data.equals(styled.data), `scene ${i}: the standard style changed pixels`);
  }
});

test('varied scenes keep the closed world: objects inside the centred square, sizes apart, a style per scene', () => {
  const rng = new Rng(5);
  for (let i = 0; i < 1500; i++) {
    const spec = sampleScene(rng, { minSide: 100, maxSide: 400, varied: true });
    const style = spec.layout.style;
    assert.ok(style !== undefined);
    assert.equal(style.proportions.length, spec.groups.length);
    assert.ok(style.proportions.every((p) => p >= 0 && p <= 1));
    assert.ok(spec.layout.jpegQuality >= 30 && spec.layout.jpegQuality <= 95);
    const { width: w, height: h, objects } = spec.layout;
    const short = Math.min(w, h);
    for (const o of objects) {
      const r = o.radius * short;
      assert.ok(o.x * w - r >= (w - short) / 2 - 1e-6 && o.x * w + r <= (w + short) / 2 + 1e-6);
      assert.ok(o.y * h - r >= (h - short) / 2 - 1e-6 && o.y * h + r <= (h + short) / 2 + 1e-6);
      const size = spec.groups[o.group]!.size;
      assert.ok(size === 'small' ? o.radius <= 0.105 : o.radius >= 0.15, `${size} object with radius ${o.radius}`);
    }
  }
});

test('each part of a style changes the picture, and the object keeps its colour', async () => {
  const rng = new Rng(11);
  let base = sampleScene(rng, { onlyCombos: [['red', 'star']], allowHeldOut: true, maxGroups: 1, minSide: 240, maxSide: 240 });
  while (base.groups[0]!.size !== 'large' || base.background !== 'grass') {
    base = sampleScene(rng, { onlyCombos: [['red', 'star']], allowHeldOut: true, maxGroups: 1, minSide: 240, maxSide: 240 });
  }
  const spec = withoutPhotoEffects(base);
  const standard = await renderSceneRaw(withStyle(spec, {}));
  const changes: Array<Partial<SceneStyle>> = [
    { proportions: [0] },
    { outline: 'none' },
    { outline: 'dark', outlineWidth: 0.08 },
    { shadow: false },
    { shading: 0.3, shadingAngle: 45 },
    { backgroundDetail: false },
    { otherView: true },
  ];
  for (const change of changes) {
    const raw = await renderSceneRaw(withStyle(spec, change));
    assert.ok(!raw.data.equals(standard.data), `${JSON.stringify(change)} changed nothing`);
    // Still a red star: pixels near red are there (a large star covers several % of the frame).
    let red = 0;
    const [r, g, b] = COLOUR_RGB.red;
    for (let i = 0; i < raw.data.length; i += 3) {
      if (Math.abs(raw.data[i]! - r) < 60 && Math.abs(raw.data[i + 1]! - g) < 60 && Math.abs(raw.data[i + 2]! - b) < 60) red++;
    }
    assert.ok(red / (raw.data.length / 3) > 0.02, `${JSON.stringify(change)}: only ${red} red pixels`);
  }
  // A plain background has much less fine texture than the grass blades.
  const plain = await renderSceneRaw(withStyle({ ...spec, layout: { ...spec.layout, objects: [] } }, { backgroundDetail: false }));
  const textured = await renderSceneRaw(withStyle({ ...spec, layout: { ...spec.layout, objects: [] } }, {}));
  assert.ok(texture(plain.data, plain.width) < texture(textured.data, textured.width) / 2);
});

test("the other views keep each place's colours: dark night, white snow, green lawn, sand, a light wall", async () => {
  const rng = new Rng(21);
  const seen = new Set<string>();
  while (seen.size < 5) {
    const base = sampleScene(rng, { minSide: 160, maxSide: 160, varied: true });
    const plain = withoutPhotoEffects(base);
    const spec = withStyle({ ...plain, layout: { ...plain.layout, objects: [] } }, { otherView: true });
    const { data } = await renderSceneRaw(spec);
    const standard = await renderSceneRaw(withStyle(spec, { otherView: false }));
    assert.ok(!data.equals(standard.data), `${spec.background}: the other view draws the standard one`);
    // Mean colour of the lower half, where the ground (or the night sky's foot) is, and the share of
    // sand-coloured pixels in the whole frame.
    const mean = [0, 0, 0];
    const half = data.length / 2 - ((data.length / 2) % 3);
    for (let i = half; i < data.length; i += 3) for (let c = 0; c < 3; c++) mean[c]! += data[i + c]! / ((data.length - half) / 3);
    let sand = 0;
    for (let i = 0; i < data.length; i += 3) if (data[i]! > data[i + 2]! + 40 && data[i]! > 180) sand++;
    const [r, g, b] = mean as [number, number, number];
    const luma = 0.299 * r + 0.587 * g + 0.114 * b;
    const sandShare = sand / (data.length / 3);
    const ok = { night: luma < 60, snow: luma > 170 && b >= r, grass: g > r + 20 && g > b + 20, beach: sandShare > 0.5, wall: luma > 110 }[spec.background];
    assert.ok(ok, `${spec.background}: lower half averages rgb(${mean.map(Math.round).join(',')}), sand ${sandShare.toFixed(2)}`);
    seen.add(spec.background);
  }
});
