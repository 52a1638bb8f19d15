// Dynamic int8 quantisation on tiny graphs run by onnxruntime-node: MatMul with a 3-D input, Gemm
// with transB, alpha, beta and a constant or computed C; what is skipped and why; and the models it
// refuses (external data, already quantised, too old an opset, nothing to quantise, not ONNX).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadOrt } from '../../electron/core/clip/ort.js';
import { quantizeDynamicInt8, readModel, writeModel, type ModelProto } from '../../electron/core/onnx/index.js';
import { quantizeColumns } from '../../electron/core/onnx/weights.js';
import { floatAttr, floatTensor, graphModel, intAttr, seeded } from '../fixtures/onnx-graphs.js';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-quant-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function run(file: string, input: Float32Array, dims: number[]): Promise<Float32Array> {
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(file, { intraOpNumThreads: 1 });
  try {
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, dims) });
    return out[session.outputNames[0]!]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** Largest error relative to the largest reference value. */
function relativeError(reference: Float32Array, actual: Float32Array): number {
  assert.equal(actual.length, reference.length);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    err = Math.max(err, Math.abs(reference[i]! - actual[i]!));
    scale = Math.max(scale, Math.abs(reference[i]!));
  }
  return err / scale;
}

const K = 64;
const N = 48;

/** MatMul(x[b,5,K], W) → Gemm(transB, alpha 0.5, beta 2, C const) → Gemm(C computed by Identity) → y[b*5, N]. */
function mixedModel(): ModelProto {
  return graphModel({
    nodes: [
      { op_type: 'MatMul', input: ['x', 'w1'], output: ['h1'] },
      { op_type: 'Reshape', input: ['h1', 'shape'], output: ['h2'] },
      { op_type: 'Gemm', input: ['h2', 'w2', 'c2'], output: ['h3'], attribute: [intAttr('transB', 1), floatAttr('alpha', 0.5), floatAttr('beta', 2)] },
      { op_type: 'Identity', input: ['c3'], output: ['c3_routed'] },
      { op_type: 'Gemm', input: ['h3', 'w3', 'c3_routed'], output: ['h4'] },
      { op_type: 'MatMul', input: ['h4', 'small'], output: ['y'] },
    ],
    initializers: [
      floatTensor('w1', [K, N], seeded(K * N, 1)),
      { ...floatTensor('shape', [2], []), data_type: 7, raw_data: new Uint8Array(BigInt64Array.from([-1n, BigInt(N)]).buffer) },
      floatTensor('w2', [N, N], seeded(N * N, 2)),
      floatTensor('c2', [N], seeded(N, 3)),
      floatTensor('w3', [N, N], seeded(N * N, 4)),
      floatTensor('c3', [1, N], seeded(N, 5)),
      floatTensor('small', [N, N], seeded(N * N, 6)),
    ],
    input: ['x', ['batch', 5, K]],
    output: ['y', ['rows', N]],
  });
}

test('MatMul and Gemm (transB, alpha, beta, constant or computed C) stay close to fp32', async (t) => {
  const dir = await tempDir(t);
  const source = path.join(dir, 'mixed.onnx');
  await writeModel(source, mixedModel());
  const input = seeded(3 * 5 * K, 9);
  const reference = await run(source, input, [3, 5, K]);
  // Not 'int8' (full range): on x86 without VNNI, as here, ORT's uint8×int8 kernel saturates and the
  // error measured 0.41; on other CPUs it would pass, so this test cannot say either way.
  for (const weightFormat of ['int8-reduced', 'uint8'] as const) {
    const destination = path.join(dir, `mixed-${weightFormat}.onnx`);
    // 'small' (48×48 = 2304 elements) stays float under a minimum of 2305.
    const report = await quantizeDynamicInt8(source, destination, { minElements: N * N + 1, weightFormat });
    assert.deepEqual(report.quantized, { MatMul: 1, Gemm: 0 }, 'only w1 is large enough');
    const all = await quantizeDynamicInt8(source, destination, { minElements: 1, weightFormat });
    assert.deepEqual(all.quantized, { MatMul: 2, Gemm: 2 });
    assert.equal(all.weightFormat, weightFormat);
    assert.ok(all.bytesAfter < all.bytesBefore, `${all.bytesAfter} < ${all.bytesBefore}`);
    const err = relativeError(reference, await run(destination, input, [3, 5, K]));
    assert.ok(err < 0.03, `${weightFormat}: relative error ${err.toFixed(4)}`);
    assert.ok(err > 0, 'the quantised model computes something else than fp32 at all');
    const model = await readModel(destination);
    const ops = model.graph!.node.map((n) => n.op_type);
    assert.equal(ops.filter((o) => o === 'MatMulInteger').length, 4);
    assert.ok(!ops.includes('Gemm'));
    const names = new Set(model.graph!.initializer.map((i) => i.name));
    for (const gone of ['w1', 'w2', 'w3', 'c2', 'small']) assert.ok(!names.has(gone), `${gone} was replaced`);
    assert.ok(names.has('c3') && names.has('shape'), 'initializers still read stay');
    assert.deepEqual(model.opset_import.map((o) => [o.domain, Number(o.version)]), [['', 14]]);
  }
});

test('the default is 7-bit symmetric weights per output column', () => {
  const k = 3;
  const n = 2;
  // Column 0: [1, -0.6, 0.25]; column 1: [-4, 1, 0] (row-major [K, N]).
  const weights = [1, -4, -0.6, 1, 0.25, 0];
  const q = quantizeColumns(Float32Array.from(weights), k, n, false, 'int8-reduced');
  assert.deepEqual(Array.from(q.scales), [Math.fround(1 / 63), Math.fround(4 / 63)]);
  assert.deepEqual(Array.from(new Int8Array(q.values.buffer)), [63, -63, -38, 16, 16, 0]);
  assert.deepEqual(Array.from(q.zeroPoints), [0, 0]);
  // The same matrix stored transposed ([N, K], Gemm's transB) gives the same [K, N] result.
  const t = quantizeColumns(Float32Array.from([1, -0.6, 0.25, -4, 1, 0]), k, n, true, 'int8-reduced');
  assert.deepEqual(Array.from(t.values), Array.from(q.values));
  const u = quantizeColumns(Float32Array.from(weights), k, n, false, 'uint8');
  assert.deepEqual(Array.from(u.zeroPoints), [96, 204]); // 0 sits at round(0.6/1.6·255) and round(4/5·255)
  assert.deepEqual(Array.from(u.values), [255, 0, 0, 255, 136, 204]);
});

test('models it cannot or should not quantise are refused with their name and the reason', async (t) => {
  const dir = await tempDir(t);
  const save = async (name: string, model: ModelProto): Promise<string> => {
    const file = path.join(dir, name);
    await writeModel(file, model);
    return file;
  };
  const matmul = (extra: Partial<ModelProto> = {}, weight = floatTensor('w', [K, N], seeded(K * N, 1))) => ({
    ...graphModel({ nodes: [{ op_type: 'MatMul', input: ['x', 'w'], output: ['y'] }], initializers: [weight], input: ['x', [1, K]], output: ['y', [1, N]] }),
    ...extra,
  });
  const external = await save('external.onnx', matmul({}, {
    name: 'w', dims: [K, N], data_type: 1, data_location: 1, external_data: [{ key: 'location', value: 'weights.bin' }],
  } as never));
  await assert.rejects(quantizeDynamicInt8(external, path.join(dir, 'out.onnx')), (e: Error) => e.message.includes(external) && /external data/.test(e.message));

  const quantised = path.join(dir, 'quantised.onnx');
  await quantizeDynamicInt8(await save('plain.onnx', matmul()), quantised, { minElements: 1 });
  await assert.rejects(quantizeDynamicInt8(quantised, path.join(dir, 'again.onnx')), (e: Error) => e.message.includes(quantised) && /already quantised/.test(e.message));

  const old = await save('opset10.onnx', { ...matmul(), opset_import: [{ domain: '', version: 10 }] });
  await assert.rejects(quantizeDynamicInt8(old, path.join(dir, 'out.onnx')), /opset10\.onnx uses ONNX opset 10; quantising needs opset 11/);

  const tiny = await save('tiny.onnx', matmul({}, floatTensor('w', [4, 4], seeded(16, 1))));
  await assert.rejects(quantizeDynamicInt8(tiny, path.join(dir, 'out.onnx')), /tiny\.onnx has no MatMul or Gemm with a float32 weight worth quantising: MatMul MatMul_0 \(its weight has 16 elements/);

  const jpeg = path.join(dir, 'photo.onnx');
  await writeFile(jpeg, await readFile('test/fixtures/parity/image-1.png'));
  await assert.rejects(quantizeDynamicInt8(jpeg, path.join(dir, 'out.onnx')), /photo\.onnx is not an ONNX model/);
});
