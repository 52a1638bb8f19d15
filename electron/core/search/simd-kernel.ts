// Emits and instantiates the WebAssembly SIMD kernel that scores int8-quantised embeddings
// against a query. The module is assembled here from bytes rather than from a committed .wasm
// so that the dot product can be fully unrolled for the index's dimension (memarg offsets are
// immediates, so there is no inner loop) and no binary artefact or assembler dependency has to
// be kept in step with its source. Opcodes: WebAssembly core spec 2.0, binary format
// (https://webassembly.github.io/spec/core/binary/instructions.html), SIMD prefix 0xfd.
//
// Exported function, one per module:
//   scan(codes, scales, query, out, start, end)
//   for each row r in [start, end):
//     out[r] = f32(sum_j codes[r*dimPad + j] * query[j]) * scales[r]
// codes are int8 rows of dimPad bytes, query is dimPad int16 values, scales and out are f32.
// The query's int16 range is chosen (quantized-matrix.ts) so that |Σ| ≤ 127 · qmax · dimPad < 2^31:
// the i32 sums are exact and cannot wrap.

import { wasm, type WasmMemory, type WasmModule } from './wasm-api.js';

/**
 * Rows of the quantised matrix are padded with zeros to a multiple of this many dimensions:
 * the kernel consumes 8 dims per step and alternates two accumulators.
 */
export const DIM_ALIGN = 16;

const I32 = 0x7f;
const V128 = 0x7b;
const OP = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  f32Load: 0x2a,
  f32Store: 0x38,
  i32Const: 0x41,
  i32GeS: 0x4e,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  f32Mul: 0x94,
  f32ConvertI32S: 0xb2,
  simd: 0xfd,
} as const;
const SIMD = {
  v128Load: 0x00,
  v128Load8x8S: 0x01,
  i32x4ExtractLane: 0x1b,
  i32x4Add: 0xae,
  i32x4DotI16x8S: 0xba,
} as const;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function name(s: string): number[] {
  const bytes = [...Buffer.from(s, 'utf8')];
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** memarg: alignment exponent, then the constant offset added to the address operand. */
function memarg(alignLog2: number, offset: number): number[] {
  return [...uleb(alignLog2), ...uleb(offset)];
}

function simd(op: number, ...imm: number[]): number[] {
  return [OP.simd, ...uleb(op), ...imm];
}

// Parameter / local slots of scan().
const P_CODES = 0;
const P_SCALES = 1;
const P_QUERY = 2;
const P_OUT = 3;
const P_START = 4;
const P_END = 5;
const L_ACC0 = 6;
const L_ACC1 = 7;

function scanBody(dimPad: number): number[] {
  const b: number[] = [];
  const get = (i: number): void => void b.push(OP.localGet, ...uleb(i));
  const set = (i: number): void => void b.push(OP.localSet, ...uleb(i));
  const i32c = (v: number): void => void b.push(OP.i32Const, ...sleb(v));
  // Move the row pointers to `start` once; the loop then advances them by one row.
  const advance = (p: number, bytesPerRow: number, by: number): void => {
    get(p);
    get(by);
    i32c(bytesPerRow);
    b.push(OP.i32Mul, OP.i32Add);
    set(p);
  };
  advance(P_CODES, dimPad, P_START);
  advance(P_SCALES, 4, P_START);
  advance(P_OUT, 4, P_START);

  b.push(OP.block, 0x40, OP.loop, 0x40);
  get(P_START);
  get(P_END);
  b.push(OP.i32GeS, OP.brIf, 1);

  // Two accumulators over alternating 8-dim chunks keep the add chains short.
  const chunks = dimPad / 8;
  for (let c = 0; c < chunks; c++) {
    const acc = c % 2 === 0 ? L_ACC0 : L_ACC1;
    get(P_CODES);
    b.push(...simd(SIMD.v128Load8x8S, ...memarg(0, c * 8)));
    get(P_QUERY);
    b.push(...simd(SIMD.v128Load, ...memarg(4, c * 16)));
    b.push(...simd(SIMD.i32x4DotI16x8S));
    if (c >= 2) {
      get(acc);
      b.push(...simd(SIMD.i32x4Add));
    }
    set(acc);
  }
  // out[r] = f32(horizontal sum of acc0 + acc1) * scales[r]
  get(P_OUT);
  get(L_ACC0);
  get(L_ACC1);
  b.push(...simd(SIMD.i32x4Add));
  set(L_ACC0);
  for (let lane = 0; lane < 4; lane++) {
    get(L_ACC0);
    b.push(...simd(SIMD.i32x4ExtractLane, lane));
    if (lane > 0) b.push(OP.i32Add);
  }
  b.push(OP.f32ConvertI32S);
  get(P_SCALES);
  b.push(OP.f32Load, ...memarg(2, 0), OP.f32Mul, OP.f32Store, ...memarg(2, 0));

  const bump = (p: number, by: number): void => {
    get(p);
    i32c(by);
    b.push(OP.i32Add);
    set(p);
  };
  bump(P_CODES, dimPad);
  bump(P_SCALES, 4);
  bump(P_OUT, 4);
  bump(P_START, 1);
  b.push(OP.br, 0, OP.end, OP.end, OP.end);
  return b;
}

/** The bytes of a scan module for rows of `dimPad` int8 values, importing env.memory. */
export function buildScanModule(dimPad: number, shared: boolean): Uint8Array {
  if (!Number.isInteger(dimPad) || dimPad <= 0 || dimPad % DIM_ALIGN !== 0) {
    throw new Error(`simd-kernel: dimPad must be a positive multiple of ${DIM_ALIGN}, got ${dimPad}`);
  }
  const funcType = [0x60, ...vec(Array.from({ length: 6 }, () => [I32])), ...vec([])];
  // Shared memories must declare a maximum; 65536 pages is the whole 32-bit space.
  const limits = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const memoryImport = [...name('env'), ...name('memory'), 0x02, ...limits];
  const body = [...vec([[2, V128]]), ...scanBody(dimPad)];
  const code = [...uleb(body.length), ...body];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([funcType])),
    ...section(2, vec([memoryImport])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('scan'), 0x00, 0]])),
    ...section(10, vec([code])),
  ];
  return Uint8Array.from(bytes);
}

export type ScanFn = (codes: number, scales: number, query: number, out: number, start: number, end: number) => void;

/** Instantiates a compiled scan module against `memory` and returns its scan function. */
export function instantiateScan(module: WasmModule, memory: WasmMemory): ScanFn {
  const instance = new wasm.Instance(module, { env: { memory } });
  const scan = instance.exports['scan'];
  if (typeof scan !== 'function') throw new Error('simd-kernel: module has no scan export');
  return scan as ScanFn;
}
