// Installing a model whose image tower is fixed at batch 1 (as Immich publishes them): Shoebox's
// copy gets a free batch axis when a batch of 2 gives what two runs of 1 give, recorded in the
// manifest with the published file's sha256; the person's folder stays byte for byte as it was,
// and a graph that mixes the rows of a batch keeps its batch of 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openClipModel } from '../../electron/core/clip/clip-model.js';
import { sha256File } from '../../electron/core/clip/model-record.js';
import { importModelFolder } from '../../electron/core/models/import.js';
import { widenImageBatch } from '../../electron/core/models/widen-batch.js';
import { readModel, writeModel } from '../../electron/core/onnx/index.js';
import { graphModel, int64Tensor, intAttr } from '../fixtures/onnx-graphs.js';
import { cosine } from '../support/compare.js';

const bundled = path.resolve(import.meta.dirname, '../../models/shoebox-mini');
const SIZE = 64; // shoebox-mini's input side

/** A published-looking copy of the bundled model (no Shoebox record) whose image tower takes batch 1 only. */
async function batchOneFolder(work: string, name: string): Promise<string> {
  const dir = path.join(work, name);
  await cp(bundled, dir, { recursive: true, filter: (src) => path.basename(src) !== 'manifest.json' });
  const file = path.join(dir, 'visual', 'model.onnx');
  const model = await readModel(file);
  for (const value of [model.graph!.input[0]!, model.graph!.output[0]!]) value.type!.tensor_type!.shape!.dim[0] = { dim_value: 1 };
  await writeModel(file, model);
  return dir;
}

function image(seed: number): Float32Array {
  return Float32Array.from({ length: 3 * SIZE * SIZE }, (_, i) => Math.sin(i * 0.01 * seed) * 1.2);
}


test('a batch-1 image tower gets a free batch axis on import, checked and recorded; the published folder is untouched', async (t) => {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-widen-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const published = await batchOneFolder(work, 'published');
  const publishedFile = path.join(published, 'visual', 'model.onnx');
  const publishedSha = await sha256File(publishedFile);

  const fixed = await openClipModel(published);
  assert.equal(fixed.info().batch, 1);
  const images = [image(1), image(2), image(3)];
  const expected = await fixed.image.encode(images.map((i) => i.slice()));
  await fixed.close();

  const { dir } = await importModelFolder(published, { installedDir: path.join(work, 'installed'), id: 'batch-one' });
  assert.equal(await sha256File(publishedFile), publishedSha, 'the published file is unchanged');
  const record = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
  assert.equal(record.adaptations.length, 1);
  assert.equal(record.adaptations[0].path, 'visual/model.onnx');
  assert.equal(record.adaptations[0].originalSha256, publishedSha);
  const installedFile = path.join(dir, 'visual', 'model.onnx');
  const entry = record.files.find((f: { path: string }) => f.path === 'visual/model.onnx');
  assert.equal(entry.sha256, await sha256File(installedFile), 'the record lists the bytes that landed');

  const widened = await openClipModel(dir);
  t.after(() => widened.close());
  assert.equal(widened.info().batch, 'dynamic');
  const got = await widened.image.encode(images.map((i) => i.slice()));
  for (let i = 0; i < images.length; i++) assert.ok(cosine(got[i]!, expected[i]!) > 0.99999, `image ${i}: cosine ${cosine(got[i]!, expected[i]!)}`);
});

test('a graph that mixes the rows of a batch keeps its batch of 1, with the reason', async (t) => {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-widen-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const dir = await batchOneFolder(work, 'mixing');
  const pixels = 3 * SIZE * SIZE;
  // image[1,3,S,S] → Flatten(axis 0) → Softmax over everything → Reshape [-1, pixels]: batch 1 only in spirit.
  const mixing = graphModel({
    nodes: [
      { op_type: 'Flatten', input: ['image'], output: ['flat'], attribute: [intAttr('axis', 0)] },
      { op_type: 'Softmax', input: ['flat'], output: ['s'], attribute: [intAttr('axis', 1)] },
      { op_type: 'Reshape', input: ['s', 'shape'], output: ['embedding'] },
    ],
    initializers: [int64Tensor('shape', [-1, pixels])],
    input: ['image', [1, 3, SIZE, SIZE]],
    output: ['embedding', [1, pixels]],
  });
  const file = path.join(dir, 'visual', 'model.onnx');
  await writeModel(file, mixing);
  const before = await sha256File(file);
  const result = await widenImageBatch(dir);
  assert.equal(result.widened, false);
  assert.match(result.widened ? '' : result.reason, /batch of 2 differs from two runs of 1/);
  assert.equal(await sha256File(file), before, 'the file is left as it was');
});
