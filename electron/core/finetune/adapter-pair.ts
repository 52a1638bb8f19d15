// The search side of a trained version: an EmbeddingAdapter (search/adapter.ts) built from a
// version's stored weights, the text W, b for queries and prompts, the image W, b for the photos
// the index holds (so text search, similar-photo search and sorting all see the adapted space).
import type { EmbeddingAdapter } from '../search/adapter.js';
import { normalizeInto } from '../vector-math.js';

export function adapterId(versionId: number): string {
  return `adapter-v${versionId}`;
}

/** y = normalise(W x + b), four output rows per pass over x. */
class Affine {
  constructor(
    private readonly w: Float32Array,
    private readonly b: Float32Array,
    private readonly dim: number,
    private readonly name: string,
  ) {}

  apply(x: Float32Array): Float32Array {
    const d = this.dim;
    if (x.length !== d) throw new Error(`${this.name}: input has ${x.length} values, expected ${d}`);
    const w = this.w;
    const y = new Float32Array(d);
    let o = 0;
    for (; o + 3 < d; o += 4) {
      const r0 = o * d;
      const r1 = r0 + d;
      const r2 = r1 + d;
      const r3 = r2 + d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let i = 0; i < d; i++) {
        const xi = x[i] as number;
        s0 += (w[r0 + i] as number) * xi;
        s1 += (w[r1 + i] as number) * xi;
        s2 += (w[r2 + i] as number) * xi;
        s3 += (w[r3 + i] as number) * xi;
      }
      y[o] = s0 + (this.b[o] as number);
      y[o + 1] = s1 + (this.b[o + 1] as number);
      y[o + 2] = s2 + (this.b[o + 2] as number);
      y[o + 3] = s3 + (this.b[o + 3] as number);
    }
    for (; o < d; o++) {
      let s = this.b[o] as number;
      for (let i = 0; i < d; i++) s += (w[o * d + i] as number) * (x[i] as number);
      y[o] = s;
    }
    normalizeInto(y, 0, d, y, 0, this.name);
    return y;
  }
}

/** Both sides of one version; `weights` in the store's layout (text W, text b, image W, image b). */
export class AdapterPair implements EmbeddingAdapter {
  readonly id: string;
  /**
   * Absent when the image side is the identity (a text-side adapter, the default): the search
   * index then keeps the photos' vectors as they are, and activating a version costs no pass over
   * the library (a full 512×512 pass over 100k photos took ~25-40 s on this machine).
   */
  readonly transformImage?: (v: Float32Array) => Float32Array;
  private readonly text: Affine;

  constructor(versionId: number, dim: number, weights: Float32Array) {
    this.id = adapterId(versionId);
    const block = dim * dim + dim;
    if (weights.length !== 2 * block) throw new Error(`${this.id}: ${weights.length} weights, expected ${2 * block} for ${dim} dimensions`);
    for (let i = 0; i < weights.length; i++) {
      if (!Number.isFinite(weights[i])) throw new Error(`${this.id}: weight ${i} is not finite; the version is corrupt`);
    }
    const w = Float32Array.from(weights);
    this.text = new Affine(w.subarray(0, dim * dim), w.subarray(dim * dim, block), dim, `${this.id} (text side) output`);
    const imageW = w.subarray(block, block + dim * dim);
    const imageB = w.subarray(block + dim * dim, 2 * block);
    if (!isIdentity(imageW, imageB, dim)) {
      const image = new Affine(imageW, imageB, dim, `${this.id} (image side) output`);
      this.transformImage = (v) => image.apply(v);
    }
  }

  transformQuery(v: Float32Array): Float32Array {
    return this.text.apply(v);
  }

}

/** W = I and b = 0 exactly (a text-side adapter stores the image side so). */
function isIdentity(w: Float32Array, b: Float32Array, dim: number): boolean {
  for (let i = 0; i < dim; i++) {
    if (b[i] !== 0) return false;
    for (let j = 0; j < dim; j++) if (w[i * dim + j] !== (i === j ? 1 : 0)) return false;
  }
  return true;
}
