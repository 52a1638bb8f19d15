// The emitted WebAssembly SIMD scan kernel against a plain JS integer dot product, for several
// padded dimensions and the full int8 range, including partial row ranges and pointer offsets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildScanModule, DIM_ALIGN, instantiateScan } from '../../electron/core/search/simd-kernel.js';
import { wasm } from '../../electron/core/search/wasm-api.js';
import { Rng } from '../../electron/core/synthetic/rng.js';

function runKernel(dimPad: number, rows: number, shared: boolean, start: number, end: number): void {
  const rng = new Rng(dimPad * 31 + rows);
  // Deliberately unaligned-looking layout: every region at a different 16-byte multiple.
  const queryPtr = 48;
  const scalesPtr = queryPtr + dimPad * 2 + 32;
  const outPtr = scalesPtr + rows * 4 + 16;
  const codesPtr = outPtr + rows * 4 + 64;
  const pages = Math.ceil((codesPtr + rows * dimPad) / 65536) + 1;
  const memory = shared
    ? new wasm.Memory({ initial: pages, maximum: pages, shared: true })
    : new wasm.Memory({ initial: pages });
  const scan = instantiateScan(new wasm.Module(buildScanModule(dimPad, shared)), memory);
  const buf = memory.buffer;
  const codes = new Int8Array(buf, codesPtr, rows * dimPad);
  const query = new Int16Array(buf, queryPtr, dimPad);
  const scales = new Float32Array(buf, scalesPtr, rows);
  const out = new Float32Array(buf, outPtr, rows);
  for (let i = 0; i < codes.length; i++) codes[i] = rng.int(-128, 127);
  // Row 0 all +127 against a maximal query: the largest sum the index can produce.
  codes.fill(127, 0, dimPad);
  const qMax = Math.min(32767, Math.floor(0x7fffffff / (127 * dimPad)));
  for (let j = 0; j < dimPad; j++) query[j] = j === 0 ? qMax : rng.int(-qMax, qMax);
  for (let r = 0; r < rows; r++) scales[r] = rng.range(0.001, 0.01);
  out.fill(-12345);

  scan(codesPtr, scalesPtr, queryPtr, outPtr, start, end);

  for (let r = 0; r < rows; r++) {
    if (r < start || r >= end) {
      assert.equal(out[r], -12345, `row ${r} outside [${start}, ${end}) was written`);
      continue;
    }
    let sum = 0;
    for (let j = 0; j < dimPad; j++) sum += codes[r * dimPad + j]! * query[j]!;
    const expected = Math.fround(Math.fround(sum) * scales[r]!);
    assert.equal(out[r], expected, `dimPad ${dimPad} row ${r}`);
  }
}

test('scan kernel equals the integer dot product times the row scale', () => {
  for (const dimPad of [DIM_ALIGN, 48, 512, 768]) runKernel(dimPad, 37, false, 0, 37);
});

test('scan kernel honours the row range and works on shared memory', () => {
  runKernel(512, 50, false, 7, 31);
  runKernel(64, 50, true, 0, 50);
  runKernel(64, 50, true, 49, 50);
});

test('buildScanModule rejects dimensions the kernel cannot unroll', () => {
  assert.throws(() => buildScanModule(0, false), /multiple of 16/);
  assert.throws(() => buildScanModule(24, false), /multiple of 16/);
});
