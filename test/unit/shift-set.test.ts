// The shift set (models/recipe/shift-set): deterministic from a seed, labels that match the pixels
// drawn (colour at each object's centre, object count and area from a diff against the background
// drawn alone), every word of the vocabulary covered, and kept apart from training: it uses none
// of the training renderer's code, and nothing in training or the app imports it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { BACKGROUNDS, COLOURS, SHAPES, SIZES } from '../../electron/core/synthetic/vocabulary.js';
import { gradientStops, objectPaint, renderShiftJpeg, renderShiftRaw } from '../../models/recipe/shift-set/render.js';
import { shiftScenes, type ShiftScene } from '../../models/recipe/shift-set/scene.js';
import { polygonArea, polygonPerimeter } from '../../models/recipe/shift-set/shapes.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shiftDir = path.join(repoRoot, 'models/recipe/shift-set');

test('the same seed gives the same scenes and JPEG bytes; another seed differs', async () => {
  const a = shiftScenes(7, 1);
  assert.deepEqual(a, shiftScenes(7, 1));
  assert.notDeepEqual(a, shiftScenes(8, 1));
  for (const i of [0, 23, 47]) {
    const scene = a[i] as ShiftScene;
    assert.ok((await renderShiftJpeg(scene)).equals(await renderShiftJpeg(structuredClone(scene))), `scene ${i} rendered twice differs`);
  }
});

test('every colour, shape, background, count and size appears, classes in zero-shot order', () => {
  const scenes = shiftScenes(3, 3);
  assert.equal(scenes.length, COLOURS.length * SHAPES.length * 3);
  scenes.forEach((s, i) => {
    const cls = Math.floor(i / 3);
    assert.equal(s.colour, COLOURS[Math.floor(cls / SHAPES.length)]);
    assert.equal(s.shape, SHAPES[cls % SHAPES.length]);
    assert.equal(s.objects.length, s.count);
  });
  assert.deepEqual(new Set(scenes.map((s) => s.background)), new Set(BACKGROUNDS));
  assert.deepEqual(new Set(scenes.map((s) => s.count)), new Set([1, 2, 3]));
  assert.deepEqual(new Set(scenes.map((s) => s.size)), new Set(SIZES));
  assert.deepEqual(new Set(scenes.map((s) => s.fill.kind)), new Set(['flat', 'gradient']));
  assert.ok(scenes.some((s) => s.outline !== null) && scenes.some((s) => s.outline === null));
  assert.deepEqual(new Set(scenes.map((s) => s.jpeg.chromaSubsampling)), new Set(['4:2:0', '4:4:4']));
});

test('each shape keeps the proportions of its word inside the unit circle', () => {
  // Area as a share of the unit circle: a circle fills most of it, a star and a cross far less.
  const bands: Record<string, [number, number]> = {
    circle: [0.8, 1], square: [0.4, 0.6], triangle: [0.3, 0.42], star: [0.3, 0.56], heart: [0.48, 0.56], cross: [0.38, 0.76],
  };
  for (const s of shiftScenes(5, 6)) {
    const share = polygonArea(s.polygon) / Math.PI;
    const [lo, hi] = bands[s.shape] as [number, number];
    assert.ok(share >= lo && share <= hi, `${s.shape}: area ${share.toFixed(3)} of the unit circle, expected ${lo}..${hi}`);
    for (const [x, y] of s.polygon) assert.ok(Math.hypot(x, y) <= 1 + 1e-9, `${s.shape} leaves the unit circle`);
  }
});

/** Pixels where the full render differs from the background drawn alone. */
function objectMask(full: Buffer, bare: Buffer): Uint8Array {
  const mask = new Uint8Array(full.length / 3);
  for (let p = 0; p < mask.length; p++) {
    const d = Math.max(...[0, 1, 2].map((c) => Math.abs((full[3 * p + c] as number) - (bare[3 * p + c] as number))));
    mask[p] = d > 30 ? 1 : 0;
  }
  return mask;
}

/** Sizes of the 4-connected components of a mask. */
function components(mask: Uint8Array, width: number): number[] {
  const seen = new Uint8Array(mask.length);
  const sizes: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    let size = 0;
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const p = stack.pop() as number;
      size++;
      const x = p % width;
      for (const q of [p - width, p + width, x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1]) {
        if (q >= 0 && q < mask.length && mask[q] && !seen[q]) {
          seen[q] = 1;
          stack.push(q);
        }
      }
    }
    sizes.push(size);
  }
  return sizes;
}

test('the pixels drawn match the labels: colour at each centre, count and area of the objects', async () => {
  let checkedArea = 0;
  for (const scene of shiftScenes(11, 2)) {
    const paint = objectPaint(scene);
    const full = await renderShiftRaw(scene);
    const { width: w, height: h } = scene;
    // Colour: the mean of a 3×3 patch at every object's centre is the labelled colour (the graded
    // fill's midpoint for gradients), within rounding of the anti-aliased raster.
    const [light, dark] = gradientStops(paint.fill);
    const expected = scene.fill.kind === 'flat' ? paint.fill : paint.fill.map((_, c) => ((light[c] as number) + (dark[c] as number)) / 2);
    for (const o of scene.objects) {
      const [cx, cy] = [Math.round(o.x * w), Math.round(o.y * h)];
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) sum += full[3 * ((cy + dy) * w + cx + dx) + c] as number;
        const got = sum / 9;
        const want = Math.max(0, Math.min(255, expected[c] as number));
        assert.ok(Math.abs(got - want) <= 14, `${scene.colour} ${scene.shape} on ${scene.background}: channel ${c} is ${got.toFixed(0)} at the centre, expected ${want.toFixed(0)}`);
      }
    }
    // Count and area, where the fill and its outline stand out from the background.
    const contrast = (rgb: readonly number[]) => Math.hypot(...rgb.map((v, c) => v - (paint.background[c] as number)));
    const short = Math.min(w, h);
    const radiusPx = (scene.objects[0]?.radius ?? 0) * short;
    if (contrast(paint.fill) < 80 || (paint.outline !== null && contrast(paint.outline.colour) < 80) || radiusPx < 15) continue;
    const mask = objectMask(full, await renderShiftRaw(scene, { objects: false }));
    const blobs = components(mask, w).filter((n) => n > 20);
    assert.equal(blobs.length, scene.count, `${scene.count} × ${scene.colour} ${scene.shape} on ${scene.background}: ${blobs.length} blobs`);
    const rim = paint.outline === null ? 0 : (polygonPerimeter(scene.polygon) * paint.outline.width) / 2;
    const want = scene.objects.reduce((sum, o) => sum + (o.radius * short) ** 2 * (polygonArea(scene.polygon) + rim), 0);
    const got = mask.reduce((sum, v) => sum + v, 0);
    assert.ok(Math.abs(got / want - 1) < 0.12, `${scene.count} × ${scene.shape}: ${got} object pixels, expected about ${want.toFixed(0)}`);
    checkedArea++;
  }
  assert.ok(checkedArea >= 30, `only ${checkedArea} scenes had enough contrast to check count and area`);
});

test('the shift set uses none of the training renderer, and no training or app code uses it', async () => {
  const own = (await readdir(shiftDir)).filter((f) => f.endsWith('.ts'));
  assert.ok(own.length >= 4);
  for (const file of own) {
    const text = await readFile(path.join(shiftDir, file), 'utf8');
    for (const [, spec] of text.matchAll(/(?:from|import\()\s*'([^']+)'/g)) {
      const target = path.relative(repoRoot, path.resolve(shiftDir, spec as string)).split(path.sep).join('/');
      if (!(spec as string).startsWith('.')) continue;
      if (target.startsWith('electron/')) {
        assert.ok(['electron/core/synthetic/vocabulary.js', 'electron/core/synthetic/rng.js'].includes(target), `${file} imports ${target}: only the vocabulary and the seeded Rng may be shared`);
      } else {
        assert.ok(target.startsWith('models/recipe/'), `${file} imports ${target}`);
      }
    }
  }
  // Only evaluate.ts (which measures, never trains) may refer to the folder.
  const sources = [
    ...(await readdir(path.join(repoRoot, 'electron'), { recursive: true })).map((f) => `electron/${f}`),
    ...(await readdir(path.join(repoRoot, 'models/recipe'))).map((f) => `models/recipe/${f}`),
  ].filter((f) => /\.(ts|py)$/.test(f));
  const users: string[] = [];
  for (const f of sources) if ((await readFile(path.join(repoRoot, f), 'utf8')).includes('shift-set')) users.push(f);
  assert.deepEqual(users, ['models/recipe/evaluate.ts']);
});

test('sample pictures for a person to look at (test-output/shift-set)', async () => {
  const out = path.join(repoRoot, 'test-output/shift-set');
  await mkdir(out, { recursive: true });
  // Classes in a stride of 7 (coprime with 48) for a mix of colours; one of each background, then three more.
  const all = shiftScenes(31001, 1);
  const scenes = all.map((_, i) => all[(i * 7) % all.length] as ShiftScene);
  const first = BACKGROUNDS.map((b) => scenes.find((s) => s.background === b) as ShiftScene);
  const picks = [...first, ...scenes.filter((s) => !first.includes(s)).slice(0, 3)];
  assert.equal(picks.length, 8);
  for (const s of picks) {
    const jpeg = await renderShiftJpeg(s);
    const meta = await sharp(jpeg).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.deepEqual([meta.width, meta.height], [s.width, s.height]);
    assert.deepEqual([meta.chromaSubsampling, meta.isProgressive], [s.jpeg.chromaSubsampling, s.jpeg.progressive]);
    await writeFile(path.join(out, `${s.background}-${s.count}-${s.colour}-${s.shape}.jpg`), jpeg);
  }
});
