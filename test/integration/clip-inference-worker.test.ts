// The inference worker end to end: a real worker thread (started from the .ts sources through tsx),
// real ONNX Runtime, the committed tiny fixtures and the bundled model when it is present. Checks
// that results equal the in-process encoders, that buffers are moved rather than copied, and that
// worker errors and crashes reach the caller as rejected promises.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openClipModel } from '../../electron/core/clip/clip-model.js';
import { createInferenceClient } from '../../electron/core/clip/inference-client.js';
import { loadModelFolder, verifyManifest } from '../../electron/core/clip/model-folder.js';

const DYNAMIC = fileURLToPath(new URL('../fixtures/onnx/tiny-dynamic', import.meta.url));
const FIXED = fileURLToPath(new URL('../fixtures/onnx/tiny-fixed', import.meta.url));
const BUNDLED = fileURLToPath(new URL('../../models/shoebox-mini', import.meta.url));
const CRASHING = new URL('../fixtures/clip-crashing-worker.ts', import.meta.url);
const TEXTS = ['a dog on the beach', 'a cat', 'a photo of a birthday cake'];

function images(count: number, size: number): Float32Array[] {
  return Array.from({ length: count }, (_, k) => Float32Array.from({ length: 3 * size * size }, (_, i) => Math.cos(i * 0.007 * (k + 1))));
}

function assertSame(a: readonly Float32Array[], b: readonly Float32Array[]): void {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.deepEqual(Array.from(v), Array.from(b[i] as Float32Array)));
}

for (const dir of [DYNAMIC, FIXED]) {
  test(`worker round trip equals the in-process result (${dir.split(/[/\\]/).pop()})`, async () => {
    const local = await openClipModel(dir, { provider: 'cpu', threads: 1 });
    const client = await createInferenceClient({ modelDir: dir, provider: 'cpu', threads: 1 });
    try {
      assert.deepEqual(client.info(), local.info());
      const batch = images(5, 32);
      const expected = await local.image.encode(batch);
      const sent = batch.map((px) => px.slice());
      const got = await client.encodeImages(sent);
      assertSame(got, expected);
      assert.ok(sent.every((px) => px.length === 0), 'the pixel buffers were moved to the worker, not copied');
      assertSame(await client.encodeTexts(TEXTS), await (await local.text()).encode(TEXTS));
      // Several calls in flight at once each get their own answer.
      const [x, y] = await Promise.all([client.encodeTexts([TEXTS[0]!]), client.encodeTexts([TEXTS[1]!])]);
      // Compared with single-text runs: batch size changes the float rounding (GEMM paths), not the result.
      assertSame([x![0]!, y![0]!], [...(await (await local.text()).encode([TEXTS[0]!])), ...(await (await local.text()).encode([TEXTS[1]!]))]);
    } finally {
      await client.close();
      await local.close();
    }
  });
}

test('the worker reports cuda → cpu fallback and its reason', async (t) => {
  const client = await createInferenceClient({ modelDir: DYNAMIC, provider: 'cuda', threads: 1 });
  try {
    const info = client.info();
    if (info.provider === 'cuda') return t.skip('this machine has a working CUDA provider');
    assert.equal(info.provider, 'cpu');
    assert.match(info.providerFallbackReason ?? '', /^cuda unavailable \(/);
    assert.equal(info.batch, 'dynamic');
    assert.equal(info.modelId, 'tiny-dynamic');
  } finally {
    await client.close();
  }
});

test('errors inside the worker reject the call with their message; the worker keeps serving', async () => {
  const client = await createInferenceClient({ modelDir: DYNAMIC, provider: 'cpu', threads: 1 });
  try {
    await assert.rejects(client.encodeImages([new Float32Array(10)]), /^Error: Image 0 has 10 values; .*3×32×32 = 3072/);
    assert.equal((await client.encodeTexts(['still alive'])).length, 1);
  } finally {
    // A call still in flight when close() is called finishes before the sessions are released.
    const inFlight = client.encodeImages(images(8, 32));
    await client.close();
    assert.equal((await inFlight).length, 8);
  }
  await assert.rejects(client.encodeTexts(['x']), /closed/);
  await client.close(); // twice is harmless
});

test('a model that cannot be opened rejects createInferenceClient with the reason', async () => {
  await assert.rejects(
    createInferenceClient({ modelDir: '/nonexistent/shoebox-model' }),
    /^Error: Cannot start the inference worker for \/nonexistent\/shoebox-model: Model folder \/nonexistent\/shoebox-model cannot be opened/,
  );
  await assert.rejects(createInferenceClient({ modelDir: DYNAMIC, provider: 'tpu' }), /Unknown execution provider "tpu"/);
});

for (const [trigger, reason] of [
  ['crash now', /The inference worker crashed: deliberate test crash/],
  ['exit now', /The inference worker exited unexpectedly \(code 7\)/],
] as const) {
  test(`a worker that dies (${trigger}) rejects every pending call and later ones`, async () => {
    const client = await createInferenceClient({ modelDir: DYNAMIC, provider: 'cpu', threads: 1, workerUrl: CRASHING });
    const pending = [client.encodeImages(images(2, 32)), client.encodeTexts([trigger]), client.encodeTexts(['after'])];
    const results = await Promise.allSettled(pending);
    // The first call may finish before the crash; the crashing one and everything after it must not.
    for (const r of results.slice(1)) {
      assert.equal(r.status, 'rejected');
      assert.match(String((r as PromiseRejectedResult).reason), reason);
    }
    await assert.rejects(client.encodeTexts(['later']), reason);
    await client.close();
  });
}

test('the bundled model, when present, verifies and runs in the worker', { skip: !existsSync(BUNDLED) && 'models/shoebox-mini is not there yet' }, async () => {
  const folder = await loadModelFolder(BUNDLED);
  const verified = await verifyManifest(folder);
  assert.deepEqual(verified.problems, []);
  const client = await createInferenceClient({ modelDir: BUNDLED, provider: 'cpu' });
  try {
    const info = client.info();
    assert.equal(info.modelId, folder.id);
    const embeddings = await client.encodeImages(images(2, folder.imageSize));
    assert.equal(embeddings.length, 2);
    for (const e of [...embeddings, ...(await client.encodeTexts(TEXTS))]) {
      assert.equal(e.length, folder.embedDim);
      assert.ok(Math.abs(Math.hypot(...e) - 1) < 1e-4);
    }
  } finally {
    await client.close();
  }
});
