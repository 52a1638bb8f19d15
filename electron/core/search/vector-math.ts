// Small float32 vector helpers shared by the index, the query combiner and the adapter.
// Sums are taken in float64 (JS numbers), so a score is the exact dot product of the stored
// float32 values up to one final rounding.

/** Dot product of a[aOff .. aOff+dim) and b[bOff .. bOff+dim). */
export function dot(a: Float32Array, aOff: number, b: Float32Array, bOff: number, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  // Two partial sums shorten the dependency chain; the result is the same to float64 rounding.
  for (; i + 1 < dim; i += 2) {
    s0 += (a[aOff + i] as number) * (b[bOff + i] as number);
    s1 += (a[aOff + i + 1] as number) * (b[bOff + i + 1] as number);
  }
  if (i < dim) s0 += (a[aOff + i] as number) * (b[bOff + i] as number);
  return s0 + s1;
}

/** Euclidean norm of v[off .. off+dim). */
function norm(v: Float32Array, off: number, dim: number): number {
  return Math.sqrt(dot(v, off, v, off, dim));
}

/**
 * Writes v[srcOff .. srcOff+dim) / ‖v‖ into dst[dstOff ..]. Returns false, writing nothing,
 * when the norm is zero or not finite (such a vector has no direction to compare).
 */
export function normalizeInto(
  v: Float32Array,
  srcOff: number,
  dim: number,
  dst: Float32Array,
  dstOff: number,
): boolean {
  const n = norm(v, srcOff, dim);
  if (!(n > 0) || !Number.isFinite(n)) return false;
  const inv = 1 / n;
  for (let i = 0; i < dim; i++) dst[dstOff + i] = (v[srcOff + i] as number) * inv;
  return true;
}

/** A normalised copy of v; throws with `what` in the message when v has no direction. */
export function normalized(v: Float32Array, what: string): Float32Array {
  const out = new Float32Array(v.length);
  if (!normalizeInto(v, 0, v.length, out, 0)) {
    throw new Error(`${what}: vector has zero or non-finite norm and cannot be normalised`);
  }
  return out;
}
