// The hook through which a fine-tuned adapter reshapes the embedding space for search. The
// search service passes every query vector through transformQuery, and, when an adapter also
// defines transformImage, every image vector as the index is (re)built. The identity adapter is
// the default; LinearAdapter is the form the fine-tuning job produces: y = normalise(W x + b).

import { normalizeInto } from '../vector-math.js';

export interface EmbeddingAdapter {
  /** Stable id; the search service uses it to tell which adapter the index's image vectors saw. */
  readonly id: string;
  transformQuery(v: Float32Array): Float32Array;
  transformImage?(v: Float32Array): Float32Array;
}

export const identityAdapter: EmbeddingAdapter = {
  id: 'identity',
  transformQuery: (v) => v,
};

export interface LinearAdapterParams {
  id: string;
  inDim: number;
  outDim: number;
  /** outDim × inDim, row-major. */
  weight: Float32Array;
  /** outDim values. */
  bias: Float32Array;
  /** Also map image vectors (a two-sided adapter); otherwise only queries are mapped. */
  applyToImages?: boolean;
}

export class LinearAdapter implements EmbeddingAdapter {
  readonly id: string;
  readonly inDim: number;
  readonly outDim: number;
  readonly transformImage?: (v: Float32Array) => Float32Array;
  private readonly weight: Float32Array;
  private readonly bias: Float32Array;

  constructor(p: LinearAdapterParams) {
    const what = `adapter ${p.id}`;
    if (!Number.isInteger(p.inDim) || p.inDim < 1 || !Number.isInteger(p.outDim) || p.outDim < 1) {
      throw new Error(`${what}: inDim and outDim must be positive integers (got ${p.inDim}, ${p.outDim})`);
    }
    if (p.weight.length !== p.inDim * p.outDim) {
      throw new Error(`${what}: weight has ${p.weight.length} values, expected ${p.outDim} × ${p.inDim}`);
    }
    if (p.bias.length !== p.outDim) throw new Error(`${what}: bias has ${p.bias.length} values, expected ${p.outDim}`);
    if (!p.weight.every(Number.isFinite) || !p.bias.every(Number.isFinite)) {
      throw new Error(`${what}: weight or bias contains NaN or Infinity`);
    }
    this.id = p.id;
    this.inDim = p.inDim;
    this.outDim = p.outDim;
    // Copies: the adapter must not change if the caller reuses its buffers.
    this.weight = Float32Array.from(p.weight);
    this.bias = Float32Array.from(p.bias);
    if (p.applyToImages) this.transformImage = (v) => this.apply(v);
  }

  transformQuery(v: Float32Array): Float32Array {
    return this.apply(v);
  }

  private apply(x: Float32Array): Float32Array {
    if (x.length !== this.inDim) {
      throw new Error(`adapter ${this.id}: input has ${x.length} values, expected ${this.inDim}`);
    }
    const y = new Float32Array(this.outDim);
    for (let o = 0; o < this.outDim; o++) {
      let s = this.bias[o] as number;
      const row = o * this.inDim;
      for (let i = 0; i < this.inDim; i++) s += (this.weight[row + i] as number) * (x[i] as number);
      y[o] = s;
    }
    normalizeInto(y, 0, this.outDim, y, 0, `adapter ${this.id} output`);
    return y;
  }
}
