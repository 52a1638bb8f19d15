// Reading and writing ONNX files with protobuf.js: a round trip keeps every byte (unknown fields too)
// and ONNX Runtime gives the same outputs; the chunked writer matches protobuf.js's own encoder; what
// is not an ONNX model gets an error naming the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadOrt } from '../../electron/core/clip/ort.js';
import { encodeModel, readModel, writeModel } from '../../electron/core/onnx/index.js';
import { decodeModel, modelType } from '../../electron/core/onnx/schema.js';
import { floatTensor, graphModel, seeded } from '../fixtures/onnx-graphs.js';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-onnx-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('a read/write round trip keeps every byte and ONNX Runtime gives identical outputs', async (t) => {
  const dir = await tempDir(t);
  const ort = await loadOrt();
  const inputs = {
    visual: new ort.Tensor('float32', seeded(2 * 3 * 64 * 64, 5), [2, 3, 64, 64]),
    textual: new ort.Tensor('int64', BigInt64Array.from({ length: 2 * 24 }, (_, i) => BigInt((i * 37) % 400)), [2, 24]),
  };
  for (const tower of ['visual', 'textual'] as const) {
    const source = path.resolve(`models/shoebox-mini/${tower}/model.onnx`);
    const copy = path.join(dir, `${tower}.onnx`);
    const size = await writeModel(copy, await readModel(source));
    const [a, b] = await Promise.all([readFile(source), readFile(copy)]);
    assert.equal(size, a.byteLength);
    assert.ok(a.equals(b), `${tower}: the written model differs from the file read`);
    const outputs = [];
    for (const file of [source, copy]) {
      const session = await ort.InferenceSession.create(file, { intraOpNumThreads: 1 });
      const result = await session.run({ [session.inputNames[0]!]: inputs[tower] });
      outputs.push(Array.from(result[session.outputNames[0]!]!.data as Float32Array));
      await session.release();
    }
    assert.deepEqual(outputs[1], outputs[0], `${tower}: outputs differ`);
  }
});

test('fields onnx.proto does not know survive a round trip', async (t) => {
  const dir = await tempDir(t);
  const known = encodeModel(graphModel({
    nodes: [{ op_type: 'Relu', input: ['x'], output: ['y'] }],
    input: ['x', [1, 4]],
    output: ['y', [1, 4]],
  }));
  // Field 999, varint 5: what a newer ONNX might add to ModelProto.
  const withUnknown = Buffer.concat([known, Buffer.from([0xb8, 0x3e, 0x05])]);
  const file = path.join(dir, 'future.onnx');
  await writeFile(file, withUnknown);
  await writeModel(file, await readModel(file));
  assert.ok((await readFile(file)).equals(withUnknown));
});

test('the chunked writer writes what protobuf.js itself encodes', () => {
  const model = graphModel({
    nodes: [{ op_type: 'MatMul', input: ['x', 'w'], output: ['y'] }],
    initializers: [floatTensor('w', [4, 3], seeded(12, 1)), { ...floatTensor('empty', [0], []), raw_data: new Uint8Array(0) }],
    input: ['x', ['batch', 4]],
    output: ['y', ['batch', 3]],
  });
  const ours = encodeModel(model);
  const reference = modelType.encode(model as never).finish();
  assert.ok(Buffer.from(reference).equals(ours));
  assert.deepEqual(modelType.toObject(decodeModel(ours) as never), modelType.toObject(decodeModel(Buffer.from(reference)) as never));
});

test('what is not an ONNX model is refused with its name', async (t) => {
  const dir = await tempDir(t);
  const cases: [string, Buffer][] = [
    ['photo.onnx', await readFile('test/fixtures/parity/image-0.png')],
    ['notes.onnx', Buffer.from('not a model at all\n')],
    ['empty.onnx', Buffer.alloc(0)],
  ];
  for (const [name, bytes] of cases) {
    const file = path.join(dir, name);
    await writeFile(file, bytes);
    await assert.rejects(readModel(file), (err: Error) => err.message.includes(file) && /is not an ONNX model/.test(err.message), name);
  }
  await assert.rejects(readModel(path.join(dir, 'missing.onnx')), /Cannot read the model .*missing\.onnx/);
});
