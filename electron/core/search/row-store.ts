// The rerank copy of the embedding matrix: one row per indexed photo, read back for exact
// scoring of the int8 shortlist and for vector(id). Two layouts:
//   float32  4 B/dim, the stored vectors bit for bit (100k × 512 = 205 MB)
//   float16  2 B/dim, IEEE half precision (round to nearest even), relative error ≤ 2^-11,
//            so a cosine score moves by ≲ 1e-4 (100k × 512 = 102 MB)
// float16 halves the largest allocation of the search process; the bench reports recall@10 of
// both against exact float32 search.

import { dot } from '../vector-math.js';

export type RowPrecision = 'float32' | 'float16';

export interface RowStore {
  readonly precision: RowPrecision;
  readonly capacity: number;
  /** Stores src[srcOff .. srcOff+dim) as row `row`. */
  write(row: number, src: Float32Array, srcOff: number): void;
  copyRow(from: number, to: number): void;
  /** Dot product of row `row` with q (length dim). */
  dot(row: number, q: Float32Array): number;
  /** The row as float32 (a copy). */
  read(row: number): Float32Array;
  /** A store of a larger capacity holding rows [0, rows) of this one. */
  grown(capacity: number, rows: number): RowStore;
}

export function createRowStore(precision: RowPrecision, dim: number, capacity: number): RowStore {
  return precision === 'float32' ? new Float32Rows(dim, capacity) : new Float16Rows(dim, capacity);
}

class Float32Rows implements RowStore {
  readonly precision = 'float32';
  private readonly data: Float32Array;

  constructor(
    private readonly dim: number,
    readonly capacity: number,
  ) {
    this.data = new Float32Array(capacity * dim);
  }

  write(row: number, src: Float32Array, srcOff: number): void {
    this.data.set(src.subarray(srcOff, srcOff + this.dim), row * this.dim);
  }

  copyRow(from: number, to: number): void {
    const d = this.dim;
    this.data.copyWithin(to * d, from * d, from * d + d);
  }

  dot(row: number, q: Float32Array): number {
    return dot(this.data, row * this.dim, q, 0, this.dim);
  }

  read(row: number): Float32Array {
    return this.data.slice(row * this.dim, (row + 1) * this.dim);
  }

  grown(capacity: number, rows: number): RowStore {
    const next = new Float32Rows(this.dim, capacity);
    next.data.set(this.data.subarray(0, rows * this.dim));
    return next;
  }
}

// float32 → float16 through the bit pattern; Node 20 has neither Float16Array nor Math.f16round.
const f32Box = new Float32Array(1);
const u32Box = new Uint32Array(f32Box.buffer);

/** IEEE 754 binary16 bits of x, rounded to nearest even (finite inputs; overflow gives ±inf). */
export function toHalfBits(x: number): number {
  f32Box[0] = x;
  const bits = u32Box[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exp = ((bits >>> 23) & 0xff) - 127 + 15;
  const mant = bits & 0x7fffff;
  if (exp >= 31) return sign | 0x7c00;
  if (exp <= 0) {
    // Subnormal half: shift the mantissa (with its implicit 1) right, rounding to nearest even.
    if (exp < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - exp;
    let h = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rest > half || (rest === half && (h & 1) === 1)) h++;
    return sign | h;
  }
  let h = (exp << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to inf).
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h++;
  return sign | h;
}

/** float32 value of every half bit pattern (256 KiB, built once). */
const HALF_TO_FLOAT = (() => {
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    let v: number;
    if (exp === 0) v = mant * 2 ** -24;
    else if (exp === 31) v = mant === 0 ? Infinity : NaN;
    else v = (1 + mant / 1024) * 2 ** (exp - 15);
    table[h] = sign * v;
  }
  return table;
})();

export function fromHalfBits(h: number): number {
  return HALF_TO_FLOAT[h & 0xffff] as number;
}

class Float16Rows implements RowStore {
  readonly precision = 'float16';
  private readonly data: Uint16Array;

  constructor(
    private readonly dim: number,
    readonly capacity: number,
  ) {
    this.data = new Uint16Array(capacity * dim);
  }

  write(row: number, src: Float32Array, srcOff: number): void {
    const off = row * this.dim;
    for (let i = 0; i < this.dim; i++) this.data[off + i] = toHalfBits(src[srcOff + i] as number);
  }

  copyRow(from: number, to: number): void {
    const d = this.dim;
    this.data.copyWithin(to * d, from * d, from * d + d);
  }

  dot(row: number, q: Float32Array): number {
    const d = this.dim;
    const data = this.data;
    const table = HALF_TO_FLOAT;
    const off = row * d;
    let s = 0;
    for (let i = 0; i < d; i++) s += (table[data[off + i] as number] as number) * (q[i] as number);
    return s;
  }

  read(row: number): Float32Array {
    const out = new Float32Array(this.dim);
    const off = row * this.dim;
    for (let i = 0; i < this.dim; i++) out[i] = HALF_TO_FLOAT[this.data[off + i] as number] as number;
    return out;
  }

  grown(capacity: number, rows: number): RowStore {
    const next = new Float16Rows(this.dim, capacity);
    next.data.set(this.data.subarray(0, rows * this.dim));
    return next;
  }
}
