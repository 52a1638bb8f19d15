// The int8 variant of the bundled model through the app's path (openClipModel, sharp preprocessing,
// tokenizer.ts): its embeddings stay close to fp32 (cosine ≥ 0.99 on the parity photos and texts and
// on 200 synthetic scenes), and text search over those scenes ranks nearly the same photos on top
// (recall@10 against fp32 ≥ 0.95, for every colour × shape query of the vocabulary).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { quantizeDynamicInt8 } from '../../electron/core/onnx/index.js';
import { COLOURS, Rng, renderScene, sampleScene, SHAPES } from '../../electron/core/synthetic/index.js';
import { loadOnnxClip, type OnnxClip } from '../../models/recipe/onnx-model.js';

const MODEL = path.resolve('models/shoebox-mini');
const PARITY = path.resolve('test/fixtures/parity');
const SCENES = 200;
const TOP = 10;

function cosines(a: Float32Array, b: Float32Array, dim: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length / dim; i++) {
    let ab = 0;
    for (let j = i * dim; j < (i + 1) * dim; j++) ab += a[j]! * b[j]!; // both are L2-normalised
    out.push(ab);
  }
  return out;
}

/** Indices of the TOP rows of `images` closest to `query`. */
function topK(images: Float32Array, query: Float32Array, dim: number): Set<number> {
  const scores = Array.from({ length: images.length / dim }, (_, i) => {
    let s = 0;
    for (let j = 0; j < dim; j++) s += images[i * dim + j]! * query[j]!;
    return [s, i] as const;
  });
  return new Set(scores.sort((x, y) => y[0] - x[0]).slice(0, TOP).map(([, i]) => i));
}

test('the int8 variant of shoebox-mini keeps embeddings and search ranking close to fp32', { timeout: 300_000 }, async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-int8-'));
  const clips: OnnxClip[] = [];
  t.after(async () => {
    await Promise.all(clips.map((c) => c.release()));
    await rm(dir, { recursive: true, force: true });
  });
  const int8Dir = path.join(dir, 'shoebox-mini-int8');
  await cp(MODEL, int8Dir, { recursive: true });
  const reports = [];
  for (const tower of ['visual', 'textual']) {
    const file = path.join(int8Dir, tower, 'model.onnx');
    reports.push(await quantizeDynamicInt8(file, file));
  }
  const [visual, textual] = reports;
  // The mini image tower is mostly Conv: its attention-pool MatMul and output Gemm are what it has.
  assert.deepEqual(visual!.quantized, { MatMul: 1, Gemm: 1 });
  assert.deepEqual(textual!.quantized, { MatMul: 7, Gemm: 2 });
  for (const r of reports) assert.ok(r.bytesAfter < r.bytesBefore, `${r.source}: ${r.bytesBefore} → ${r.bytesAfter} bytes`);

  const fp32 = await loadOnnxClip(MODEL);
  clips.push(fp32);
  const int8 = await loadOnnxClip(int8Dir);
  clips.push(int8);
  const dim = fp32.dim;

  const parity = JSON.parse(await readFile(path.join(PARITY, 'parity.json'), 'utf8')) as { images: { file: string }[]; texts: { text: string }[] };
  const pngs = await Promise.all(parity.images.map((im) => readFile(path.join(PARITY, im.file))));
  const rng = new Rng(2024);
  const scenes = await Promise.all(
    Array.from({ length: SCENES }, () => sampleScene(rng.fork(), { minSide: 96, maxSide: 200 })).map((spec) => renderScene(spec, { format: 'jpeg' })),
  );
  const queries = COLOURS.flatMap((colour) => SHAPES.map((shape) => `a photo of a ${colour} ${shape}.`));

  const images = [...pngs, ...scenes];
  const texts = [...parity.texts.map((x) => x.text), ...queries];
  const [imageFp32, imageInt8, textFp32, textInt8] = [
    await fp32.embedImages(images), await int8.embedImages(images), await fp32.embedTexts(texts), await int8.embedTexts(texts),
  ];
  const imageCos = cosines(imageFp32, imageInt8, dim);
  const textCos = cosines(textFp32, textInt8, dim);
  const min = (xs: number[]) => Math.min(...xs);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(min(imageCos) >= 0.99, `image cosine to fp32: min ${min(imageCos).toFixed(5)}`);
  assert.ok(min(textCos) >= 0.99, `text cosine to fp32: min ${min(textCos).toFixed(5)}`);

  // Search: each query against the 200 scenes, int8 texts on int8 photos against fp32 on fp32.
  const sceneFp32 = imageFp32.subarray(pngs.length * dim);
  const sceneInt8 = imageInt8.subarray(pngs.length * dim);
  const recalls = queries.map((_, q) => {
    const row = (parity.texts.length + q) * dim;
    const expected = topK(sceneFp32, textFp32.subarray(row, row + dim), dim);
    const found = topK(sceneInt8, textInt8.subarray(row, row + dim), dim);
    return [...found].filter((i) => expected.has(i)).length / TOP;
  });
  t.diagnostic(
    `image cosine min ${min(imageCos).toFixed(5)} mean ${mean(imageCos).toFixed(5)} (${images.length}); ` +
      `text cosine min ${min(textCos).toFixed(5)} mean ${mean(textCos).toFixed(5)} (${texts.length}); ` +
      `recall@${TOP} mean ${mean(recalls).toFixed(4)} min ${min(recalls).toFixed(2)} (${queries.length} queries); ` +
      `bytes visual ${visual!.bytesBefore}→${visual!.bytesAfter}, textual ${textual!.bytesBefore}→${textual!.bytesAfter}`,
  );
  assert.ok(mean(recalls) >= 0.95, `recall@${TOP} against fp32: ${mean(recalls).toFixed(4)}`);
});
