// The few dense kernels the fine-tuning job needs, on Float64Array (row-major). Everything is a
// C = A·Bᵀ with both operands' rows contiguous (dot-product form, 4×2 register block: each row
// of B loaded once serves four rows of A), plus transposes to bring other products into that form.
// Measured on the 2-vCPU build machine (Node 20): ~1.6 GFLOP/s, 3–4× a naive triple loop.

export type Mat = Float64Array;

/** C (m×n) = A (m×p) · B (n×p)ᵀ; C is overwritten. */
export function gemmNT(a: Mat, b: Mat, c: Mat, m: number, n: number, p: number): void {
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const a0 = i * p;
    const a1 = a0 + p;
    const a2 = a1 + p;
    const a3 = a2 + p;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const b0 = j * p;
      const b1 = b0 + p;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      for (let k = 0; k < p; k++) {
        const x0 = b[b0 + k] as number;
        const x1 = b[b1 + k] as number;
        const y0 = a[a0 + k] as number;
        const y1 = a[a1 + k] as number;
        const y2 = a[a2 + k] as number;
        const y3 = a[a3 + k] as number;
        s00 += y0 * x0; s01 += y0 * x1;
        s10 += y1 * x0; s11 += y1 * x1;
        s20 += y2 * x0; s21 += y2 * x1;
        s30 += y3 * x0; s31 += y3 * x1;
      }
      c[i * n + j] = s00; c[i * n + j + 1] = s01;
      c[(i + 1) * n + j] = s10; c[(i + 1) * n + j + 1] = s11;
      c[(i + 2) * n + j] = s20; c[(i + 2) * n + j + 1] = s21;
      c[(i + 3) * n + j] = s30; c[(i + 3) * n + j + 1] = s31;
    }
    for (; j < n; j++) {
      const b0 = j * p;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < p; k++) {
        const x = b[b0 + k] as number;
        s0 += (a[a0 + k] as number) * x;
        s1 += (a[a1 + k] as number) * x;
        s2 += (a[a2 + k] as number) * x;
        s3 += (a[a3 + k] as number) * x;
      }
      c[i * n + j] = s0;
      c[(i + 1) * n + j] = s1;
      c[(i + 2) * n + j] = s2;
      c[(i + 3) * n + j] = s3;
    }
  }
  for (; i < m; i++) {
    const a0 = i * p;
    for (let j = 0; j < n; j++) {
      const b0 = j * p;
      let s = 0;
      for (let k = 0; k < p; k++) s += (a[a0 + k] as number) * (b[b0 + k] as number);
      c[i * n + j] = s;
    }
  }
}

/** out (cols×rows) = inᵀ for a rows×cols matrix. */
export function transpose(src: Mat, rows: number, cols: number, out: Mat): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let q = 0; q < cols; q++) out[q * rows + r] = src[o + q] as number;
  }
}

/** Rows of an n×d matrix scaled to unit length in place; returns each row's former norm. */
export function normalizeRows(m: Mat, n: number, d: number, norms: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let s = 0;
    for (let k = 0; k < d; k++) s += (m[o + k] as number) ** 2;
    const norm = Math.sqrt(s);
    if (!(norm > 0) || !Number.isFinite(norm)) throw new Error(`fine-tuning: row ${i} has zero or non-finite norm ${norm}`);
    norms[i] = norm;
    const inv = 1 / norm;
    for (let k = 0; k < d; k++) m[o + k] = (m[o + k] as number) * inv;
  }
  return norms;
}

/** Rows idx of an n×d float32 matrix gathered into a new float64 matrix. */
export function gatherRows(src: Float32Array | Float64Array, d: number, idx: ArrayLike<number>, out: Mat = new Float64Array(idx.length * d)): Mat {
  for (let r = 0; r < idx.length; r++) {
    const from = (idx[r] as number) * d;
    const to = r * d;
    for (let k = 0; k < d; k++) out[to + k] = src[from + k] as number;
  }
  return out;
}
