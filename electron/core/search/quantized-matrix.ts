// The int8 copy of the embedding matrix that the SIMD kernel scans, kept in WebAssembly memory.
// Each row is quantised with its own scale (scale = max|x| / 127, code = round(x / scale)), so a
// row's approximate dot product with a query is scale · Σ code·q. It only shortlists candidates;
// the index reranks them with exact float32 dot products.
//
// Memory layout (bytes, every region 16-aligned):
//   [query: dimPad int16][scales: capacity f32][out: capacity f32][codes: capacity × dimPad int8]
// Growing the capacity builds a new matrix and copies the rows over: wasm memory cannot shrink,
// and regions at fixed offsets keep the kernel's addressing simple. Growth is by doubling, so
// copies are rare.

import { DIM_ALIGN, buildScanModule, instantiateScan, type ScanFn } from './simd-kernel.js';
import { wasm, type WasmMemory, type WasmModule } from './wasm-api.js';

const PAGE = 65536;

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}

/** Compiled kernels per (dimPad, shared): compiling is cheap but not free. */
const moduleCache = new Map<string, WasmModule>();

function scanModule(dimPad: number, shared: boolean): WasmModule {
  const key = `${dimPad}:${shared}`;
  let mod = moduleCache.get(key);
  if (!mod) {
    mod = new wasm.Module(buildScanModule(dimPad, shared));
    moduleCache.set(key, mod);
  }
  return mod;
}

export class QuantizedMatrix {
  readonly dimPad: number;
  readonly memory: WasmMemory;
  readonly module: WasmModule;
  readonly queryPtr = 0;
  readonly scalesPtr: number;
  readonly outPtr: number;
  readonly codesPtr: number;
  private readonly scanFn: ScanFn;
  private readonly codes: Int8Array;
  private readonly scales: Float32Array;
  private readonly query: Int16Array;
  /** Largest |query code|, chosen so Σ code·q over a whole row cannot overflow int32. */
  private readonly queryMax: number;

  constructor(
    readonly dim: number,
    readonly capacity: number,
    readonly shared: boolean,
  ) {
    this.dimPad = Math.ceil(dim / DIM_ALIGN) * DIM_ALIGN;
    this.scalesPtr = align16(this.dimPad * 2);
    this.outPtr = align16(this.scalesPtr + capacity * 4);
    this.codesPtr = align16(this.outPtr + capacity * 4);
    const bytes = this.codesPtr + capacity * this.dimPad;
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    if (pages > 65536) {
      throw new Error(`quantized-matrix: ${capacity} rows of ${dim} dims exceed the 4 GiB WebAssembly memory limit`);
    }
    this.memory = shared
      ? new wasm.Memory({ initial: pages, maximum: pages, shared: true })
      : new wasm.Memory({ initial: pages, maximum: pages });
    this.module = scanModule(this.dimPad, shared);
    this.scanFn = instantiateScan(this.module, this.memory);
    // The memory never grows, so these views stay valid for the matrix's lifetime.
    const buf = this.memory.buffer;
    this.codes = new Int8Array(buf, this.codesPtr, capacity * this.dimPad);
    this.scales = new Float32Array(buf, this.scalesPtr, capacity);
    this.query = new Int16Array(buf, this.queryPtr, this.dimPad);
    this.queryMax = Math.min(32767, Math.floor(0x7fffffff / (127 * this.dimPad)));
  }

  /** Quantises src[srcOff .. srcOff+dim) into row `row`. */
  setRow(row: number, src: Float32Array, srcOff: number): void {
    const dim = this.dim;
    let max = 0;
    for (let i = 0; i < dim; i++) {
      const a = Math.abs(src[srcOff + i] as number);
      if (a > max) max = a;
    }
    const base = row * this.dimPad;
    const inv = max > 0 ? 127 / max : 0;
    for (let i = 0; i < dim; i++) this.codes[base + i] = Math.round((src[srcOff + i] as number) * inv);
    // Padding stays zero: new memory is zeroed and rows are only ever written here or copied.
    this.scales[row] = max / 127;
  }

  copyRow(from: number, to: number): void {
    const p = this.dimPad;
    this.codes.copyWithin(to * p, from * p, from * p + p);
    this.scales[to] = this.scales[from] as number;
  }

  /** Copies rows [0, rows) of another matrix of the same dimension into this one. */
  copyFrom(other: QuantizedMatrix, rows: number): void {
    this.codes.set(other.codes.subarray(0, rows * this.dimPad));
    this.scales.set(other.scales.subarray(0, rows));
  }

  /**
   * Quantises a (normalised) float32 query into the kernel's query slot. Returns the factor that
   * turns the scan's scores into approximate dot products (scores are scaled by the query's own
   * quantisation, so scores of different queries are comparable only after this factor).
   */
  setQuery(q: Float32Array): number {
    let max = 0;
    for (let i = 0; i < this.dim; i++) max = Math.max(max, Math.abs(q[i] as number));
    const inv = max > 0 ? this.queryMax / max : 0;
    for (let i = 0; i < this.dim; i++) this.query[i] = Math.round((q[i] as number) * inv);
    return inv > 0 ? 1 / inv : 0;
  }

  /** Scores rows [start, end) against the current query into the out region. */
  scan(start: number, end: number): void {
    this.scanFn(this.codesPtr, this.scalesPtr, this.queryPtr, this.outPtr, start, end);
  }

  /** Approximate scores of rows [0, rows) (proportional to the dot product), after a scan. */
  scores(rows: number): Float32Array {
    return new Float32Array(this.memory.buffer, this.outPtr, rows);
  }
}
