// Float32 vector helpers for the whole core: the CLIP encoders, the embedding store and the
// search index all compare unit vectors by dot product, so they normalise through here.
// One rule for vectors without a direction: a zero, NaN or infinite norm is an error naming
// the vector (no encoder should produce one, and a silent zero would score 0 against every
// photo). Sums are taken in float64 (JS numbers), so a score is the exact dot product of the
// float32 values up to one final rounding.

/** How a caller names its vector in the error; a function so hot loops build no string. */
export type VectorName = string | (() => string);

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

/** The Euclidean norm of v[off .. off+dim); throws, naming the vector, when it has no direction. */
function usableNorm(v: Float32Array, off: number, dim: number, what: VectorName): number {
  const n = Math.sqrt(dot(v, off, v, off, dim));
  if (n > 0 && Number.isFinite(n)) return n;
  const name = typeof what === 'string' ? what : what();
  throw new Error(`${name} has zero or non-finite norm (norm ${n}) and cannot be normalised`);
}

/**
 * Writes v[srcOff .. srcOff+dim) / ‖v‖ into dst[dstOff ..] (dst may be v itself, to normalise in
 * place). Throws before writing anything when the norm is zero or not finite.
 */
export function normalizeInto(
  v: Float32Array,
  srcOff: number,
  dim: number,
  dst: Float32Array,
  dstOff: number,
  what: VectorName,
): void {
  scaleInto(v, srcOff, dim, dst, dstOff, 1 / usableNorm(v, srcOff, dim, what));
}

function scaleInto(v: Float32Array, srcOff: number, dim: number, dst: Float32Array, dstOff: number, factor: number): void {
  for (let i = 0; i < dim; i++) dst[dstOff + i] = (v[srcOff + i] as number) * factor;
}

/**
 * `v` at unit length: `v` itself when it already is (within 1e-6, so stored vectors are not
 * re-rounded on every write), else a normalised copy. Throws as normalizeInto does.
 */
export function unitVector(v: Float32Array, what: VectorName): Float32Array {
  const n = usableNorm(v, 0, v.length, what);
  if (Math.abs(n - 1) < 1e-6) return v;
  const out = new Float32Array(v.length);
  scaleInto(v, 0, v.length, out, 0, 1 / n);
  return out;
}
