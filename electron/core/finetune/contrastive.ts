// CLIP's symmetric contrastive loss (Radford et al. 2021, Fig. 3) over one batch of (photo, caption)
// pairs, through a residual linear adapter on each side, with hand-written gradients:
//   u_i = normalise(x_i + A x_i + a)      (image side; x are the stored, frozen image embeddings)
//   v_j = normalise(t_j + B t_j + c)      (text side; t are the captions' text embeddings)
//   L_ij = e^s · u_i·v_j                  (s: the learned log-temperature)
//   loss = ½ (CE over rows + CE over columns, target i = j) + ½ λ (‖A‖² + ‖a‖² + ‖B‖² + ‖c‖²)
// A = B = 0, a = c = 0 is the identity start (the adapted space is the original one); λ pulls
// toward it. test/unit/finetune-gradients.test.ts checks every gradient against finite differences.
import { gemmNT, normalizeRows, transpose, type Mat } from './linalg.js';

/** One adapter pair: the residual parts (the identity is implicit) and the log-temperature. */
export interface AdapterParams {
  dim: number;
  /** Image side: residual weight (dim×dim, row-major: out × in) and bias. */
  imageW: Mat;
  imageB: Mat;
  /** Text side. */
  textW: Mat;
  textB: Mat;
  /** log of the logit scale (CLIP initialises it at log(1/0.07)). */
  logScale: number;
}

export function identityParams(dim: number, logScale = Math.log(1 / 0.07)): AdapterParams {
  return {
    dim,
    imageW: new Float64Array(dim * dim),
    imageB: new Float64Array(dim),
    textW: new Float64Array(dim * dim),
    textB: new Float64Array(dim),
    logScale,
  };
}


/** The gradient has the same shape as the parameters. */
export type AdapterGrads = AdapterParams;

/** Scratch buffers for batches of up to `maxN` pairs, reused across steps (no garbage per step). */
export class Workspace {
  readonly maxN: number;
  readonly dim: number;
  readonly u: Mat;
  readonly v: Mat;
  readonly uNorm: Float64Array;
  readonly vNorm: Float64Array;
  readonly uT: Mat;
  readonly vT: Mat;
  readonly s: Mat;
  readonly sT: Mat;
  readonly du: Mat;
  readonly dv: Mat;
  readonly dT: Mat;
  readonly xT: Mat;

  constructor(maxN: number, dim: number) {
    this.maxN = maxN;
    this.dim = dim;
    const nd = maxN * dim;
    this.u = new Float64Array(nd);
    this.v = new Float64Array(nd);
    this.uNorm = new Float64Array(maxN);
    this.vNorm = new Float64Array(maxN);
    this.uT = new Float64Array(nd);
    this.vT = new Float64Array(nd);
    this.s = new Float64Array(maxN * maxN);
    this.sT = new Float64Array(maxN * maxN);
    this.du = new Float64Array(nd);
    this.dv = new Float64Array(nd);
    this.dT = new Float64Array(nd);
    this.xT = new Float64Array(nd);
  }
}

/** out = normalise(x + x Wᵀ + b) row by row; returns the norms before normalising in `norms`. */
export function adaptRows(x: Mat, n: number, d: number, w: Mat, b: Mat, out: Mat, norms: Float64Array): void {
  gemmNT(x, w, out, n, d, d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let k = 0; k < d; k++) out[o + k] = (out[o + k] as number) + (x[o + k] as number) + (b[k] as number);
  }
  normalizeRows(out, n, d, norms);
}

/**
 * The loss of one batch (x, t: n×d, rows are unit embeddings, pair i = (x_i, t_i)); when `grads`
 * is given, the gradient is written into it (overwritten, not accumulated). With `groups`, pairs
 * whose captions are the same text (the same id) are not each other's negatives: ten photos
 * captioned "Rex" must not be pushed away from "Rex" because the other nine are in the batch.
 */
export function contrastiveLoss(p: AdapterParams, x: Mat, t: Mat, n: number, l2: number, ws: Workspace, grads?: AdapterGrads, groups?: Int32Array): number {
  const d = p.dim;
  if (n > ws.maxN || d !== ws.dim) throw new Error(`fine-tuning: a batch of ${n}×${d} does not fit a workspace of ${ws.maxN}×${ws.dim}`);
  const { u, v, s } = ws;
  adaptRows(x, n, d, p.imageW, p.imageB, u, ws.uNorm);
  adaptRows(t, n, d, p.textW, p.textB, v, ws.vNorm);
  gemmNT(u, v, s, n, n, d); // s_ij = u_i·v_j
  const scale = Math.exp(p.logScale);

  // Row and column log-sum-exp; s is turned into the gradient G of the mean CE w.r.t. the logits.
  const rowMax = new Float64Array(n).fill(-Infinity);
  const colMax = new Float64Array(n).fill(-Infinity);
  // Same caption, other pair: left out of both softmaxes (its logit is −∞).
  const skip = (i: number, j: number): boolean => groups !== undefined && i !== j && groups[i] === groups[j];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (skip(i, j)) continue;
      const l = scale * (s[i * n + j] as number);
      if (l > (rowMax[i] as number)) rowMax[i] = l;
      if (l > (colMax[j] as number)) colMax[j] = l;
    }
  }
  const rowSum = new Float64Array(n);
  const colSum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (skip(i, j)) continue;
      const l = scale * (s[i * n + j] as number);
      rowSum[i] = (rowSum[i] as number) + Math.exp(l - (rowMax[i] as number));
      colSum[j] = (colSum[j] as number) + Math.exp(l - (colMax[j] as number));
    }
  }
  let ce = 0;
  for (let i = 0; i < n; i++) {
    const diag = scale * (s[i * n + i] as number);
    ce += (rowMax[i] as number) + Math.log(rowSum[i] as number) - diag;
    ce += (colMax[i] as number) + Math.log(colSum[i] as number) - diag;
  }
  let loss = ce / (2 * n);
  const reg = sq(p.imageW) + sq(p.imageB) + sq(p.textW) + sq(p.textB);
  loss += 0.5 * l2 * reg;
  if (!grads) return loss;

  // G_ij = (softmax_row_i(j) − δ_ij + softmax_col_j(i) − δ_ij) / 2n; dS = e^s G; ds = Σ G_ij L_ij.
  let dLogScale = 0;
  const inv2n = 1 / (2 * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const k = i * n + j;
      if (skip(i, j)) {
        s[k] = 0;
        continue;
      }
      const l = scale * (s[k] as number);
      let g = Math.exp(l - (rowMax[i] as number)) / (rowSum[i] as number) + Math.exp(l - (colMax[j] as number)) / (colSum[j] as number);
      if (i === j) g -= 2;
      g *= inv2n;
      dLogScale += g * l;
      s[k] = g * scale; // s now holds dS
    }
  }
  grads.logScale = dLogScale;

  // dU = dS V, dV = dSᵀ U (both through the dot-product kernel on transposed operands).
  transpose(v, n, d, ws.vT);
  gemmNT(s, ws.vT, ws.du, n, d, n);
  transpose(s, n, n, ws.sT);
  transpose(u, n, d, ws.uT);
  gemmNT(ws.sT, ws.uT, ws.dv, n, d, n);

  sideBackward(ws.du, u, ws.uNorm, x, n, d, ws, grads.imageW, grads.imageB);
  sideBackward(ws.dv, v, ws.vNorm, t, n, d, ws, grads.textW, grads.textB);
  addScaled(grads.imageW, p.imageW, l2);
  addScaled(grads.imageB, p.imageB, l2);
  addScaled(grads.textW, p.textW, l2);
  addScaled(grads.textB, p.textB, l2);
  return loss;
}

/** Through the normalisation (dP = (dU − u (u·dU)) / ‖P‖), then gW = dPᵀ X and gb = Σ dP. */
function sideBackward(du: Mat, u: Mat, norms: Float64Array, x: Mat, n: number, d: number, ws: Workspace, gW: Mat, gb: Mat): void {
  gb.fill(0);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let proj = 0;
    for (let k = 0; k < d; k++) proj += (u[o + k] as number) * (du[o + k] as number);
    const inv = 1 / (norms[i] as number);
    for (let k = 0; k < d; k++) {
      const g = ((du[o + k] as number) - (u[o + k] as number) * proj) * inv;
      du[o + k] = g;
      gb[k] = (gb[k] as number) + g;
    }
  }
  transpose(du, n, d, ws.dT);
  transpose(x, n, d, ws.xT);
  gemmNT(ws.dT, ws.xT, gW, d, d, n);
}

function sq(a: Mat): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) ** 2;
  return s;
}

function addScaled(g: Mat, p: Mat, l2: number): void {
  if (l2 === 0) return;
  for (let i = 0; i < g.length; i++) g[i] = (g[i] as number) + l2 * (p[i] as number);
}
