// Making a batch axis fixed at 1 symbolic: ONNX Runtime then takes a batch of 2. A graph that keeps rows
// apart gives what two single runs give (parity); one that hard-codes batch 1 in its arithmetic
// (here a Flatten over the batch axis feeding a Softmax) runs too, silently mixing the rows, and
// parity catches it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { loadOrt } from '../../electron/core/clip/ort.js';
import { makeBatchSymbolic, readModel, writeModel, type ModelProto } from '../../electron/core/onnx/index.js';
import { floatTensor, graphModel, int64Tensor, intAttr, seeded } from '../fixtures/onnx-graphs.js';

const WIDTH = 6;

/** x[1, 6] → MatMul → Relu → Softmax per row → y[1, 4]: rows never meet. */
function rowwise(): ModelProto {
  return graphModel({
    nodes: [
      { op_type: 'MatMul', input: ['x', 'w'], output: ['h'] },
      { op_type: 'Relu', input: ['h'], output: ['r'] },
      { op_type: 'Softmax', input: ['r'], output: ['y'], attribute: [intAttr('axis', 1)] },
    ],
    initializers: [floatTensor('w', [WIDTH, 4], seeded(WIDTH * 4, 3))],
    input: ['x', [1, WIDTH]],
    output: ['y', [1, 4]],
  });
}

/** x[1, 6] → Flatten(axis 0) → [1, 6·batch] → Softmax over it → Reshape [-1, 6]: written for batch 1 only. */
function mixesRows(): ModelProto {
  return graphModel({
    nodes: [
      { op_type: 'Flatten', input: ['x'], output: ['flat'], attribute: [intAttr('axis', 0)] },
      { op_type: 'Softmax', input: ['flat'], output: ['s'], attribute: [intAttr('axis', 1)] },
      { op_type: 'Reshape', input: ['s', 'shape'], output: ['y'] },
    ],
    initializers: [int64Tensor('shape', [-1, WIDTH])],
    input: ['x', [1, WIDTH]],
    output: ['y', [1, WIDTH]],
  });
}

/** Largest difference between one run of `rows` rows and a run per row. */
async function batchParity(session: InferenceSession, rows: Float32Array[]): Promise<number> {
  const ort = await loadOrt();
  const [input, output] = [session.inputNames[0]!, session.outputNames[0]!];
  const stacked = new Float32Array(rows.length * WIDTH);
  rows.forEach((r, i) => stacked.set(r, i * WIDTH));
  const together = (await session.run({ [input]: new ort.Tensor('float32', stacked, [rows.length, WIDTH]) }))[output]!.data as Float32Array;
  let worst = 0;
  for (const [i, row] of rows.entries()) {
    const alone = (await session.run({ [input]: new ort.Tensor('float32', row, [1, WIDTH]) }))[output]!.data as Float32Array;
    const width = alone.length;
    for (let j = 0; j < width; j++) worst = Math.max(worst, Math.abs(alone[j]! - together[i * width + j]!));
  }
  return worst;
}

test('a batch axis fixed at 1 becomes symbolic; parity tells a row-wise graph from one that mixes rows', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-batch-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const ort = await loadOrt();
  const rows = [seeded(WIDTH, 11), seeded(WIDTH, 12)];
  const worst: Record<string, number> = {};
  for (const [name, model] of [['rowwise', rowwise()], ['mixes-rows', mixesRows()]] as const) {
    const fixed = path.join(dir, `${name}.onnx`);
    const dynamic = path.join(dir, `${name}-batch.onnx`);
    await writeModel(fixed, model);
    const before = await ort.InferenceSession.create(fixed);
    await assert.rejects(batchParity(before, rows), /dimension|Got invalid dimensions/i, `${name}: batch 1 was enforced before`);
    await before.release();

    assert.deepEqual(await makeBatchSymbolic(fixed, dynamic), { changed: ['x', 'y'] });
    const graph = (await readModel(dynamic)).graph!;
    for (const value of [graph.input[0]!, graph.output[0]!]) {
      const dims = value.type!.tensor_type!.shape!.dim;
      assert.equal(dims[0]!.dim_param, 'batch');
      assert.equal(Number(dims[1]!.dim_value), name === 'rowwise' && value === graph.output[0] ? 4 : WIDTH, 'other dims kept');
    }
    const after = await ort.InferenceSession.create(dynamic);
    worst[name] = await batchParity(after, rows);
    await after.release();
    // Already symbolic: nothing left to change.
    assert.deepEqual(await makeBatchSymbolic(dynamic, path.join(dir, `${name}-again.onnx`)), { changed: [] });
  }
  assert.ok(worst.rowwise! < 1e-6, `row-wise graph: batch of 2 differs from single runs by ${worst.rowwise}`);
  assert.ok(worst['mixes-rows']! > 0.01, `the graph mixing rows ran a batch of 2 like two single runs (${worst['mixes-rows']})`);
});
