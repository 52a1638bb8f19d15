// The synthetic scene generator: determinism, the held-out pairs, caption truth, rendered size and
// colours, and the demo library's files and manifest.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import {
  BACKGROUND_PHRASES,
  BACKGROUNDS,
  COLOUR_RGB,
  COLOURS,
  HELD_OUT_COMBOS,
  Rng,
  SHAPE_PLURALS,
  SHAPES,
  canonicalCaption,
  captionsFor,
  isHeldOut,
  placeCaptions,
  renderScene,
  sampleScene,
  writeDemoLibrary,
  type DemoManifest,
  type SceneSpec,
} from '../../electron/core/synthetic/index.js';

function specs(seed: number, n: number, opts: Parameters<typeof sampleScene>[1] = {}): SceneSpec[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => sampleScene(rng, opts));
}

test('the same seed gives the same specs, captions and bytes; another seed differs', async () => {
  const [a] = specs(42, 1, { minSide: 200, maxSide: 300 });
  const [b] = specs(42, 1, { minSide: 200, maxSide: 300 });
  const [c] = specs(43, 1, { minSide: 200, maxSide: 300 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.deepEqual(captionsFor(a as SceneSpec, new Rng(5), 6), captionsFor(b as SceneSpec, new Rng(5), 6));
  for (const format of ['jpeg', 'png', 'webp'] as const) {
    const x = await renderScene(a as SceneSpec, { format });
    const y = await renderScene(b as SceneSpec, { format });
    assert.ok(x.equals(y), `${format} output differs between two renders of one spec`);
  }
  const rawA = await renderScene(a as SceneSpec, { format: 'raw' });
  const rawC = await renderScene(c as SceneSpec, { format: 'raw', width: rawA.width, height: rawA.height });
  assert.ok(!rawA.data.equals(rawC.data));
});

test('held-out colour–shape pairs are never sampled by default, and are when asked for', () => {
  for (const spec of specs(7, 3000)) {
    for (const g of spec.groups) assert.ok(!isHeldOut(g.colour, g.shape), `sampled held-out ${g.colour} ${g.shape}`);
  }
  const only = specs(8, 200, { allowHeldOut: true, onlyCombos: HELD_OUT_COMBOS, maxGroups: 1 });
  for (const spec of only) {
    assert.equal(spec.groups.length, 1);
    assert.ok(isHeldOut(spec.groups[0]!.colour, spec.groups[0]!.shape));
  }
  assert.throws(() => sampleScene(new Rng(1), { onlyCombos: HELD_OUT_COMBOS }), /allowHeldOut/);
});

test('specs stay in the closed world: counts, groups, sizes, frame, no touching objects', () => {
  const seen = new Set<string>();
  for (const spec of specs(9, 2000, { minSide: 100, maxSide: 400 })) {
    const total = spec.groups.reduce((s, g) => s + g.count, 0);
    assert.ok(spec.groups.length >= 1 && spec.groups.length <= 2 && total >= 1 && total <= 3);
    assert.equal(spec.layout.objects.length, total);
    const { width: w, height: h, objects } = spec.layout;
    assert.ok(Math.max(w, h) >= 100 && Math.max(w, h) <= 400);
    const short = Math.min(w, h);
    for (const [i, o] of objects.entries()) {
      const r = o.radius * short;
      // Inside the centred square, so a square centre crop keeps every object.
      assert.ok(o.x * w - r >= (w - short) / 2 - 1e-6 && o.x * w + r <= (w + short) / 2 + 1e-6);
      assert.ok(o.y * h - r >= (h - short) / 2 - 1e-6 && o.y * h + r <= (h + short) / 2 + 1e-6);
      const size = spec.groups[o.group]!.size;
      assert.ok(size === 'small' ? o.radius < 0.1 : o.radius > 0.15, `${size} object with radius ${o.radius}`);
      for (const p of objects.slice(i + 1)) {
        assert.ok(Math.hypot((o.x - p.x) * w, (o.y - p.y) * h) >= (o.radius + p.radius) * short);
      }
    }
    spec.groups.forEach((g) => seen.add(`${g.colour} ${g.shape}`));
    seen.add(spec.background);
  }
  // Every allowed pair and every background turns up.
  assert.equal(seen.size, COLOURS.length * SHAPES.length - HELD_OUT_COMBOS.length + 5);
});

test('captions name every group by colour and shape, with the right number and background words', () => {
  for (const spec of specs(11, 300)) {
    const canonical = canonicalCaption(spec);
    assert.ok(canonical.endsWith(BACKGROUND_PHRASES[spec.background][0] as string), canonical);
    for (const caption of [canonical, ...captionsFor(spec, new Rng(1), 8)]) {
      for (const g of spec.groups) {
        const noun = g.count === 1 ? g.shape : SHAPE_PLURALS[g.shape];
        assert.match(caption, new RegExp(`\\b${g.colour} (${g.size} )?${noun}\\b`), `"${caption}" misses ${g.colour} ${noun}`);
        if (g.count === 1) assert.doesNotMatch(caption, new RegExp(`\\b${g.colour} ${SHAPE_PLURALS[g.shape]}\\b`));
        else assert.doesNotMatch(caption, new RegExp(`\\b${g.colour} (${g.size} )?${g.shape}\\b`), caption);
        if (g.count === 2) assert.doesNotMatch(caption, new RegExp(`three (${g.size} )?${g.colour} ${noun}`));
      }
      // No other colour word appears.
      for (const c of COLOURS) {
        if (!spec.groups.some((g) => g.colour === c)) assert.doesNotMatch(caption, new RegExp(`\\b${c}\\b`), caption);
      }
    }
  }
  const spec: SceneSpec = {
    background: 'beach',
    groups: [{ colour: 'red', shape: 'star', size: 'small', count: 2 }],
    layout: specs(1, 1)[0]!.layout,
  };
  assert.equal(canonicalCaption(spec), 'two small red stars on the beach');
  const captions = captionsFor(spec, new Rng(3), 12);
  assert.equal(captions.length, 12);
  assert.equal(new Set(captions).size, 12);
});

/** Share of pixels within `tol` of a colour (per channel). */
function shareNear(data: Buffer, rgb: readonly [number, number, number], tol: number): number {
  let hits = 0;
  for (let i = 0; i < data.length; i += 3) {
    if (Math.abs(data[i]! - rgb[0]) <= tol && Math.abs(data[i + 1]! - rgb[1]) <= tol && Math.abs(data[i + 2]! - rgb[2]) <= tol) hits++;
  }
  return hits / (data.length / 3);
}

test('a render has the requested size and shows the object colour', async () => {
  const rng = new Rng(21);
  // Each on a background without that colour, so that pixels near it can only come from the object.
  const cases = [['red', 'beach'], ['blue', 'snow'], ['yellow', 'grass'], ['white', 'night'], ['black', 'snow'], ['green', 'wall']] as const;
  for (const [colour, background] of cases) {
    let base = sampleScene(rng, { onlyCombos: [[colour, 'circle']], maxGroups: 1, minSide: 240, maxSide: 320 });
    while (base.groups[0]!.size !== 'large') base = sampleScene(rng, { onlyCombos: [[colour, 'circle']], maxGroups: 1, minSide: 240, maxSide: 320 });
    // No lighting draw, so the test measures the drawing; noise and blur stay.
    const lighting = { ...base.layout.lighting, brightness: 0, contrast: 1, tint: [1, 1, 1] as const, gradientStrength: 0, vignette: 0 };
    const spec: SceneSpec = { ...base, background, layout: { ...base.layout, lighting } };
    for (const [width, height] of [[spec.layout.width, spec.layout.height], [200, 150]] as const) {
      const raw = await renderScene(spec, { format: 'raw', width, height });
      assert.equal(raw.width, width);
      assert.equal(raw.height, height);
      assert.equal(raw.data.length, width * height * 3);
      const share = shareNear(raw.data, COLOUR_RGB[colour], 45);
      // A large circle covers at least ~4% of the frame.
      assert.ok(share > 0.025, `${colour} on ${background}: only ${(share * 100).toFixed(2)}% of pixels near the colour`);
      const empty = await renderScene({ ...spec, layout: { ...spec.layout, objects: [] } }, { format: 'raw', width, height });
      assert.ok(shareNear(empty.data, COLOUR_RGB[colour], 45) < 0.002, `${background} itself looks ${colour}`);
    }
    const jpeg = await renderScene(spec, { format: 'jpeg', width: 200 });
    const meta = await sharp(jpeg).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.equal(meta.width, 200);
  }
});

test('writeDemoLibrary writes nested photos, the bad files and a manifest, deterministically', async () => {
  const dirA = await mkdtemp(path.join(os.tmpdir(), 'shoebox-demo-'));
  const dirB = await mkdtemp(path.join(os.tmpdir(), 'shoebox-demo-'));
  try {
    const opts = { seed: 5, count: 12, withBadFiles: true, minSide: 160, maxSide: 240 };
    const { files } = await writeDemoLibrary(dirA, opts);
    await writeDemoLibrary(dirB, opts);
    const manifest = JSON.parse(await readFile(path.join(dirA, 'manifest.json'), 'utf8')) as DemoManifest;
    assert.deepEqual(manifest.files, files);
    assert.equal(files.filter((f) => f.problem === null).length, 12);
    assert.ok(files.every((f) => f.path.includes('/')));
    for (const f of files) {
      const a = await readFile(path.join(dirA, f.path));
      assert.ok(a.equals(await readFile(path.join(dirB, f.path))), `${f.path} differs between two runs`);
      if (f.problem !== null) continue;
      assert.equal(f.caption, canonicalCaption(f.spec as SceneSpec));
      const meta = await sharp(a).metadata();
      assert.equal(meta.format, f.format);
      assert.equal(meta.width, f.spec?.layout.width);
    }
    const bad = (kind: string) => {
      const f = files.find((x) => x.problem === kind);
      assert.ok(f, `no ${kind} file`);
      return path.join(dirA, f.path);
    };
    assert.equal((await stat(bad('empty'))).size, 0);
    assert.ok(bad('empty').endsWith('.jpg') && bad('not-an-image').endsWith('.jpg'));
    const cut = await readFile(bad('truncated'));
    assert.deepEqual([...cut.subarray(0, 2)], [0xff, 0xd8]); // starts as a JPEG ...
    await assert.rejects(sharp(cut).raw().toBuffer()); // ... and cannot be decoded
    const bomb = await readFile(bad('decompression-bomb'));
    assert.ok(bomb.length < 2000);
    const bombMeta = await sharp(bomb, { limitInputPixels: false }).metadata();
    assert.deepEqual([bombMeta.width, bombMeta.height], [30000, 30000]);
    await assert.rejects(sharp(bomb).raw().toBuffer(), /pixel limit/); // over sharp's default limit
    await assert.rejects(sharp(await readFile(bad('not-an-image'))).metadata());
  } finally {
    await rm(dirA, { recursive: true, force: true });
    await rm(dirB, { recursive: true, force: true });
  }
});

test('placeCaptions: the same number for every place, each naming its place and no colour or shape', () => {
  const counts = BACKGROUNDS.map((b) => placeCaptions(b).length);
  assert.ok(counts.every((n) => n === counts[0] && n > 0), `counts ${counts}`);
  for (const b of BACKGROUNDS) {
    const others = BACKGROUNDS.filter((o) => o !== b).flatMap((o) => placeCaptions(o));
    for (const caption of placeCaptions(b)) {
      assert.ok(!others.includes(caption), `"${caption}" also describes another place`);
      const words = caption.split(' ');
      assert.ok(!words.some((w) => (COLOURS as readonly string[]).includes(w) || (SHAPES as readonly string[]).includes(w)), `"${caption}" names an object`);
    }
    assert.ok(placeCaptions(b).some((c) => c.includes(BACKGROUND_PHRASES[b][0]!)), `${b}: its main phrase`);
  }
});
