// The training loop: minibatches of (photo, caption) pairs drawn in a seeded order, the
// contrastive loss through the adapter pair (contrastive.ts), Adam (optimizer.ts). The encoders are
// frozen: the inputs are the stored embeddings, so an epoch over 1,000 pairs of 512-d costs about
// a second on one core. Deterministic: the same data, options and seed give the same bits.
import { Rng } from '../synthetic/rng.js';
import { contrastiveLoss, identityParams, Workspace, type AdapterParams } from './contrastive.js';
import { gatherRows, gemmNT } from './linalg.js';
import { Adam } from './optimizer.js';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  /** Weight of the L2 pull toward the identity. */
  l2: number;
  seed: number;
  /** Which embeddings are adapted: both sides, or the captions' side only (photos stay as encoded). */
  sides?: 'both' | 'text';
}

/** n pairs of unit embeddings, row i of x (image) with row i of t (caption). */
export interface PairData {
  n: number;
  dim: number;
  x: Float32Array | Float64Array;
  t: Float32Array | Float64Array;
  /** Per pair, an id shared by pairs whose captions are the same text (engine.ts captionGroups). */
  groups?: Int32Array;
}

export interface EpochReport {
  epoch: number;
  epochs: number;
  /** Mean loss over the batches of this epoch. */
  loss: number;
  /** Since training started. */
  seconds: number;
}

export interface TrainResult {
  params: AdapterParams;
  /** Mean loss per epoch. */
  losses: number[];
  /** The starting log-temperature (fitted at the identity). */
  initialLogScale: number;
}

/** The batches of one epoch: a seeded shuffle cut into near-equal batches of at most `size`. */
export function epochBatches(n: number, size: number, rng: Rng): Int32Array[] {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  rng.shuffle(order);
  const count = Math.max(1, Math.ceil(n / size));
  const batches: Int32Array[] = [];
  for (let b = 0; b < count; b++) batches.push(order.subarray(Math.floor((b * n) / count), Math.floor(((b + 1) * n) / count)));
  return batches;
}

/**
 * The log-temperature to start from: the one of a grid (logit scale 5 … 100) with the lowest loss
 * at the identity on the whole training set (or its first 512 pairs). Models put their cosines in
 * different ranges, so CLIP's log(1/0.07) is no universal start.
 */
export function fitInitialLogScale(data: PairData): number {
  const n = Math.min(data.n, 512);
  const d = data.dim;
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  const x = gatherRows(data.x, d, idx);
  const t = gatherRows(data.t, d, idx);
  const s = new Float64Array(n * n);
  gemmNT(x, t, s, n, n, d);
  let best = Math.log(1 / 0.07);
  let bestLoss = Infinity;
  for (let scale = 5; scale <= 100; scale *= 1.25) {
    let ce = 0;
    for (let i = 0; i < n; i++) {
      let rowMax = -Infinity;
      let colMax = -Infinity;
      for (let j = 0; j < n; j++) {
        rowMax = Math.max(rowMax, scale * (s[i * n + j] as number));
        colMax = Math.max(colMax, scale * (s[j * n + i] as number));
      }
      let rs = 0;
      let cs = 0;
      for (let j = 0; j < n; j++) {
        rs += Math.exp(scale * (s[i * n + j] as number) - rowMax);
        cs += Math.exp(scale * (s[j * n + i] as number) - colMax);
      }
      ce += rowMax + Math.log(rs) + colMax + Math.log(cs) - 2 * scale * (s[i * n + i] as number);
    }
    if (ce < bestLoss) {
      bestLoss = ce;
      best = Math.log(scale);
    }
  }
  return best;
}

/**
 * Trains an adapter pair from the identity. `onEpoch` is called after each epoch; `shouldStop`
 * before each batch (a cancelled job's worker is terminated anyway; this serves in-thread callers).
 */
export function trainAdapters(data: PairData, o: TrainOptions, onEpoch?: (r: EpochReport) => void, shouldStop?: () => boolean): TrainResult {
  if (data.n < 2) throw new Error('fine-tuning needs at least 2 training pairs');
  const d = data.dim;
  const batchSize = Math.max(2, Math.min(o.batchSize, data.n));
  const initialLogScale = fitInitialLogScale(data);
  const params = identityParams(d, initialLogScale);
  const grads = identityParams(d);
  const adam = new Adam(params, { lr: o.lr });
  const rng = new Rng(o.seed);
  const maxBatch = Math.ceil(data.n / Math.max(1, Math.ceil(data.n / batchSize)));
  const ws = new Workspace(maxBatch, d);
  const xb = new Float64Array(maxBatch * d);
  const tb = new Float64Array(maxBatch * d);
  const losses: number[] = [];
  const started = performance.now();
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    let sum = 0;
    let count = 0;
    for (const batch of epochBatches(data.n, batchSize, rng)) {
      if (shouldStop?.()) return { params, losses, initialLogScale };
      gatherRows(data.x, d, batch, xb);
      gatherRows(data.t, d, batch, tb);
      const groups = data.groups ? Int32Array.from(batch, (i) => data.groups![i] as number) : undefined;
      const loss = contrastiveLoss(params, xb, tb, batch.length, o.l2, ws, grads, groups);
      if (!Number.isFinite(loss)) throw new Error(`fine-tuning diverged (loss ${loss}) in epoch ${epoch}`);
      if (o.sides === 'text') {
        grads.imageW.fill(0);
        grads.imageB.fill(0);
      }
      adam.update(params, grads);
      sum += loss * batch.length;
      count += batch.length;
    }
    const loss = sum / count;
    losses.push(loss);
    onEpoch?.({ epoch, epochs: o.epochs, loss, seconds: (performance.now() - started) / 1000 });
  }
  return { params, losses, initialLogScale };
}
