// CLIP encoders on real ONNX Runtime with the committed tiny fixtures: both folders hold the same
// weights exported differently (image/text -> embedding, int64, dynamic batch vs pixel_values/input_ids
// -> image_embeds/text_embeds, int32, batch 1), so equal embeddings show that names, dtypes and batch
// handling come from the session. Also: L2 normalisation, shape checks, and the session cache.
import assert from 'node:assert/strict';
import { copyFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openClipModel } from '../../electron/core/clip/clip-model.js';
import { loadOrt } from '../../electron/core/clip/ort.js';
import { acquireSession, openSessionCount } from '../../electron/core/clip/session.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/onnx/${name}`, import.meta.url));
const DYNAMIC = fixture('tiny-dynamic');
const FIXED = fixture('tiny-fixed');
const CPU = { provider: 'cpu', threads: 1 } as const;
const PIXELS = 3 * 32 * 32;

const temps: string[] = [];
after(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));

async function copyFolder(src: string): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'shoebox-enc-'));
  temps.push(root);
  await cp(src, path.join(root, 'm'), { recursive: true });
  return path.join(root, 'm');
}

async function editConfig(dir: string, edit: (c: Record<string, Record<string, unknown>>) => void): Promise<void> {
  const file = path.join(dir, 'config.json');
  const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, Record<string, unknown>>;
  edit(config);
  await writeFile(file, JSON.stringify(config));
}

function images(count: number, seed = 0): Float32Array[] {
  return Array.from({ length: count }, (_, k) =>
    Float32Array.from({ length: PIXELS }, (_, i) => Math.sin(i * 0.013 * (k + 1 + seed)) * 1.7 + (k % 3) * 0.2),
  );
}

function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

function assertClose(a: readonly Float32Array[], b: readonly Float32Array[], tol = 1e-5): void {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => {
    const w = b[i] as Float32Array;
    assert.equal(v.length, w.length);
    for (let j = 0; j < v.length; j++) assert.ok(Math.abs((v[j] as number) - (w[j] as number)) < tol, `row ${i} dim ${j}: ${v[j]} vs ${w[j]}`);
  });
}

const TEXTS = ['a dog', 'a cat', 'a photo of a dog', 'A   PHOTO of a Dog', 'sunset over the sea at the end of a long summer day'];

test('input/output names, dtypes and the batch axis are read from each session', async () => {
  const settings = { providers: ['cpu'] as const, threads: 1 };
  const expected = [
    [DYNAMIC, 'visual', 'image', 'float32', 'embedding', 'dynamic'],
    [DYNAMIC, 'textual', 'text', 'int64', 'embedding', 'dynamic'],
    [FIXED, 'visual', 'pixel_values', 'float32', 'image_embeds', 1],
    [FIXED, 'textual', 'input_ids', 'int32', 'text_embeds', 1],
  ] as const;
  for (const [dir, part, input, type, output, batch] of expected) {
    const shared = await acquireSession(path.join(dir, part, 'model.onnx'), 16, { ...settings, providers: [...settings.providers] });
    try {
      assert.equal(shared.signature.input.name, input);
      assert.equal(shared.signature.input.type, type);
      assert.equal(shared.signature.output.name, output);
      assert.equal(shared.signature.batch, batch);
    } finally {
      await shared.release();
    }
  }
});

test('dynamic-batch int64 model and fixed-batch-1 int32 model give the same embeddings', async () => {
  const dynamic = await openClipModel(DYNAMIC, { ...CPU, imageBatchSize: 4, textBatchSize: 2 });
  const fixed = await openClipModel(FIXED, CPU);
  try {
    assert.equal(dynamic.info().batch, 'dynamic');
    assert.equal(fixed.info().batch, 1);
    assert.equal((await dynamic.text()).idType, 'int64');
    assert.equal((await fixed.text()).idType, 'int32');
    const batch = images(11); // 4 + 4 + 3 on the dynamic model, 11 single runs on the fixed one
    const a = await dynamic.image.encode(batch);
    const b = await fixed.image.encode(batch);
    assert.equal(a.length, 11);
    assertClose(a, b);
    assertClose(await (await dynamic.text()).encode(TEXTS), await (await fixed.text()).encode(TEXTS));
  } finally {
    await Promise.all([dynamic.close(), fixed.close()]);
  }
});

test('every embedding is L2-normalised by us, in the direction the model gave', async () => {
  const model = await openClipModel(DYNAMIC, CPU);
  const ort = await loadOrt();
  const raw = await ort.InferenceSession.create(path.join(DYNAMIC, 'visual', 'model.onnx'));
  try {
    const [px] = images(1, 5) as [Float32Array];
    const out = await raw.run({ image: new ort.Tensor(px.slice(), [1, 3, 32, 32]) });
    const rawVec = out.embedding?.data as Float32Array;
    assert.ok(Math.abs(norm(rawVec) - 1) > 0.05, 'the fixture must not normalise by itself');
    const [ours] = (await model.image.encode([px])) as [Float32Array];
    assert.ok(Math.abs(norm(ours) - 1) < 1e-5);
    assertClose([ours], [rawVec.map((x) => x / norm(rawVec))]);
    for (const v of await (await model.text()).encode(TEXTS)) assert.ok(Math.abs(norm(v) - 1) < 1e-5);
  } finally {
    await raw.release();
    await model.close();
  }
});

test('results do not depend on batching, texts on their spelling of whitespace/case only', async () => {
  const model = await openClipModel(DYNAMIC, { ...CPU, imageBatchSize: 3 });
  try {
    const batch = images(5);
    const together = await model.image.encode(batch);
    const alone = await model.image.encode([batch[3] as Float32Array]);
    assertClose([together[3] as Float32Array], alone);
    assert.deepEqual(await model.image.encode([]), []);
    const t = await (await model.text()).encode(TEXTS);
    assertClose([t[2] as Float32Array], [t[3] as Float32Array]); // the tokenizer lower-cases and collapses spaces
    assert.ok(Math.abs((t[0] as Float32Array)[0]! - (t[1] as Float32Array)[0]!) > 1e-4, 'different texts, different embeddings');
    assert.deepEqual(await (await model.text()).encode([]), []);
  } finally {
    await model.close();
  }
});

test('a fixed batch larger than 1 is padded, and the embedding output is chosen among several', async () => {
  const dir = await copyFolder(FIXED);
  await copyFile(fixture('extra/visual-batch3-two-outputs.onnx'), path.join(dir, 'visual', 'model.onnx'));
  const padded = await openClipModel(dir, CPU);
  const dynamic = await openClipModel(DYNAMIC, CPU);
  try {
    assert.equal(padded.info().batch, 3);
    const batch = images(4); // one full batch of 3, then 1 image padded to 3
    assertClose(await padded.image.encode(batch), await dynamic.image.encode(batch));
  } finally {
    await Promise.all([padded.close(), dynamic.close()]);
  }
});

test('shape mismatches give errors naming the file and the reason', async () => {
  const model = await openClipModel(DYNAMIC, CPU);
  try {
    await assert.rejects(model.image.encode([new Float32Array(PIXELS), new Float32Array(100)]), (err: Error) => {
      assert.match(err.message, /^Image 1 has 100 values; .*visual[/\\]model\.onnx takes 3×32×32 = 3072/);
      return true;
    });
  } finally {
    await model.close();
  }

  const wrongSize = await copyFolder(DYNAMIC);
  await editConfig(wrongSize, (c) => {
    c.vision_cfg!.image_size = 64;
  });
  await assert.rejects(openClipModel(wrongSize, CPU), /visual[/\\]model\.onnx expects 32×32 images but config\.json says vision_cfg\.image_size 64/);

  const wrongDim = await copyFolder(DYNAMIC);
  await editConfig(wrongDim, (c) => {
    c.embed_dim = 512 as unknown as Record<string, unknown>;
  });
  await assert.rejects(openClipModel(wrongDim, CPU), /visual[/\\]model\.onnx has outputs \[embedding float32\[batch,16\]\]; expected a \[batch, 512\] embedding/);

  const wrongContext = await copyFolder(DYNAMIC);
  await editConfig(wrongContext, (c) => {
    c.text_cfg!.context_length = 77;
  });
  // The text tower loads on the first text, so its mismatch is reported there (the image side opened fine).
  const textLater = await openClipModel(wrongContext, CPU);
  try {
    await assert.rejects(textLater.text(), /textual[/\\]model\.onnx: input text has shape \[batch,16\], expected \[batch, 77\]/);
    await assert.rejects(textLater.text(), /expected \[batch, 77\]/, 'a failed load is tried again, and fails the same way');
  } finally {
    await textLater.close();
  }
  assert.equal(openSessionCount(), 0, 'failed opens release their sessions');
});

test('a model is loaded once: a second open shares its sessions until both are closed', async () => {
  const before = openSessionCount();
  const a = await openClipModel(DYNAMIC, CPU);
  assert.equal(openSessionCount(), before + 1, 'only the image tower loads at open');
  await a.text();
  assert.equal(openSessionCount(), before + 2, 'the text tower loads on the first text');
  const b = await openClipModel(DYNAMIC, CPU);
  await b.text();
  assert.equal(openSessionCount(), before + 2);
  await a.close();
  await a.close(); // closing twice is harmless and does not drop b's hold
  assert.equal(openSessionCount(), before + 2);
  assert.equal((await b.image.encode(images(1))).length, 1);
  await b.close();
  assert.equal(openSessionCount(), before);
});
