// Evaluation before activation: the held-out split, caption → photo recall@1/@5, the forgetting
// probe, and the WiSE-FT-style interpolation weight (Wortsman et al. 2022) chosen on held-out pairs.
//
// [Note: interpolation by linearity] The adapted vector at mix α is normalise(x + α·Δx) with
// Δx = A x + a (interpolating the weights between the identity and the trained adapter, as
// WiSE-FT does, is the same as interpolating the pre-normalised outputs). So one matmul per side
// gives Δ for every α, and a score at α is
//   (t·x + α(t·Δx + Δt·x) + α² Δt·Δx) / (‖t + αΔt‖ ‖x + αΔx‖)
// from four dot-product matrices computed once: the whole grid costs little more than one point.
import { Rng } from '../synthetic/rng.js';
import type { AdapterParams } from './contrastive.js';
import { gemmNT, type Mat } from './linalg.js';

/**
 * Generic prompts for the forgetting probe: model-agnostic scenes and things, unrelated to any
 * person's captions. A few use words the bundled model knows (colours, shapes, backgrounds), so
 * the probe means something there too; for other words it measures agreement, not accuracy.
 */
export const PROBE_PROMPTS: readonly string[] = [
  'a photo of a dog',
  'a photo of a cat',
  'a photo of a person',
  'a photo of a group of people',
  'a photo of a child',
  'a photo of a car',
  'a photo of a building',
  'a photo of a city street',
  'a photo of a mountain',
  'a photo of a forest',
  'a photo of a beach',
  'a photo of the sea',
  'a photo of snow',
  'a photo of grass',
  'a photo at night',
  'a photo of a sunset',
  'a photo of food',
  'a photo of a flower',
  'a photo of a document',
  'a photo of a screen',
  'a photo of a wall',
  'a photo of something red',
  'a photo of something blue',
  'a photo of something green',
  'a photo of a circle',
  'a photo of a star',
  'a photo of a heart',
  'a photo of a square',
];

export interface Split {
  train: Int32Array;
  heldOut: Int32Array;
}

/** A seeded split: `fraction` of the pairs (at least `minHeldOut`) held out, the rest for training. */
export function splitPairs(n: number, fraction: number, minHeldOut: number, seed: number): Split {
  const held = Math.min(n - 2, Math.max(minHeldOut, Math.round(n * fraction)));
  if (held < 1) throw new Error(`fine-tuning: ${n} pairs are too few to hold any out`);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(seed ^ 0x5eed);
  rng.shuffle(order);
  const heldOut = order.slice(0, held).sort();
  const train = order.slice(held).sort();
  return { train, heldOut };
}

/** Δ = rows·Wᵀ + b for rows of unit vectors (n×d); also each row's x·Δ and Δ·Δ. */
function deltas(rows: Mat, n: number, d: number, w: Mat, b: Mat): { delta: Mat; xd: Float64Array; dd: Float64Array } {
  const delta = new Float64Array(n * d);
  gemmNT(rows, w, delta, n, d, d);
  const xd = new Float64Array(n);
  const dd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let a = 0;
    let c = 0;
    for (let k = 0; k < d; k++) {
      const v = (delta[o + k] as number) + (b[k] as number);
      delta[o + k] = v;
      a += (rows[o + k] as number) * v;
      c += v * v;
    }
    xd[i] = a;
    dd[i] = c;
  }
  return { delta, xd, dd };
}

/** Scores of m texts against g images at any mix α (see the note at the top). */
export class MixScores {
  private readonly s0: Mat;
  private readonly s12: Mat;
  private readonly s3: Mat;
  private readonly textSide: { xd: Float64Array; dd: Float64Array };
  private readonly imageSide: { xd: Float64Array; dd: Float64Array };
  constructor(
    readonly m: number,
    readonly g: number,
    text: { rows: Mat; delta: Mat; xd: Float64Array; dd: Float64Array },
    image: { rows: Mat; delta: Mat; xd: Float64Array; dd: Float64Array },
    d: number,
  ) {
    this.textSide = text;
    this.imageSide = image;
    this.s0 = new Float64Array(m * g);
    this.s12 = new Float64Array(m * g);
    const tmp = new Float64Array(m * g);
    this.s3 = new Float64Array(m * g);
    gemmNT(text.rows, image.rows, this.s0, m, g, d);
    gemmNT(text.rows, image.delta, this.s12, m, g, d);
    gemmNT(text.delta, image.rows, tmp, m, g, d);
    for (let i = 0; i < tmp.length; i++) this.s12[i] = (this.s12[i] as number) + (tmp[i] as number);
    gemmNT(text.delta, image.delta, this.s3, m, g, d);
  }

  /** m×g cosines at mix α. */
  at(alpha: number, out: Mat = new Float64Array(this.m * this.g)): Mat {
    const tn = new Float64Array(this.m);
    const gn = new Float64Array(this.g);
    const a2 = alpha * alpha;
    for (let j = 0; j < this.m; j++) tn[j] = 1 / Math.sqrt(1 + 2 * alpha * (this.textSide.xd[j] as number) + a2 * (this.textSide.dd[j] as number));
    for (let i = 0; i < this.g; i++) gn[i] = 1 / Math.sqrt(1 + 2 * alpha * (this.imageSide.xd[i] as number) + a2 * (this.imageSide.dd[i] as number));
    for (let j = 0; j < this.m; j++) {
      const o = j * this.g;
      const tj = tn[j] as number;
      for (let i = 0; i < this.g; i++) {
        out[o + i] = ((this.s0[o + i] as number) + alpha * (this.s12[o + i] as number) + a2 * (this.s3[o + i] as number)) * tj * (gn[i] as number);
      }
    }
    return out;
  }
}

export interface RecallFiguresRaw {
  at1: number;
  at5: number;
  /** Mean rank of the right photo (1 = first); a finer tie-breaker than recall. */
  meanRank: number;
  /** Per held-out caption: 1 when its photo came first (for the sign test in engine.ts). */
  hits: Uint8Array;
}

/**
 * Caption j's photo is image column j (j < m); columns ≥ m are distractors. Photos whose caption is
 * the same text as caption j (same `groups` id) are as right as its own and do not compete: ten
 * photos captioned "Rex" are all Rex. Recall in points (0..100).
 */
export function recallOf(scores: Mat, m: number, g: number, groups?: Int32Array): RecallFiguresRaw {
  let at1 = 0;
  let at5 = 0;
  let rankSum = 0;
  const hits = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    const o = j * g;
    const own = scores[o + j] as number;
    let better = 0;
    for (let i = 0; i < g; i++) {
      if (i === j || (groups && i < m && groups[i] === groups[j])) continue;
      if ((scores[o + i] as number) >= own) better++;
    }
    if (better < 1) {
      at1++;
      hits[j] = 1;
    }
    if (better < 5) at5++;
    rankSum += better + 1;
  }
  return { at1: (100 * at1) / m, at5: (100 * at5) / m, meanRank: rankSum / m, hits };
}

/** For each image column, the index of the best-scoring prompt row. */
export function zeroShotLabels(scores: Mat, prompts: number, g: number): Int32Array {
  const labels = new Int32Array(g);
  for (let i = 0; i < g; i++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let k = 0; k < prompts; k++) {
      const s = scores[k * g + i] as number;
      if (s > bestScore) {
        bestScore = s;
        best = k;
      }
    }
    labels[i] = best;
  }
  return labels;
}

/** Points (0..100) of labels that differ, over the positions in `among` (default: all). */
export function disagreement(a: Int32Array, b: Int32Array, among?: Int32Array): number {
  const idx = among ?? Int32Array.from({ length: a.length }, (_, i) => i);
  if (idx.length === 0) return 0;
  let differ = 0;
  for (const i of idx) if (a[i] !== b[i]) differ++;
  return (100 * differ) / idx.length;
}

/**
 * The image columns whose top prompt wins by at least the median margin over the runner-up: the
 * decisions the original model is surest of. A near-tie flips under any change at all and says
 * nothing about knowledge lost (measured on the bundled model, whose cosines to unknown words lie
 * close together: plain agreement lost 6.5 points at mix 0.1 while held-out recall had not moved).
 */
export function confidentColumns(scores: Mat, prompts: number, g: number): Int32Array {
  const margins = new Float64Array(g);
  for (let i = 0; i < g; i++) {
    let best = -Infinity;
    let second = -Infinity;
    for (let k = 0; k < prompts; k++) {
      const s = scores[k * g + i] as number;
      if (s > best) {
        second = best;
        best = s;
      } else if (s > second) second = s;
    }
    margins[i] = prompts > 1 ? best - second : Infinity;
  }
  const sorted = Float64Array.from(margins).sort();
  const median = g > 0 ? (sorted[Math.floor(g / 2)] as number) : 0;
  const out: number[] = [];
  for (let i = 0; i < g; i++) if ((margins[i] as number) >= median) out.push(i);
  return Int32Array.from(out);
}

export interface EvalInput {
  dim: number;
  /** Held-out pairs: image and caption embeddings, row j with row j. */
  heldImages: Float32Array | Float64Array;
  heldTexts: Float32Array | Float64Array;
  held: number;
  /** Library photos for the probe (and as distractors for recall), unit rows. */
  library: Float32Array | Float64Array;
  libraryCount: number;
  /** The probe prompts' text embeddings. */
  prompts: Float32Array | Float64Array;
  promptCount: number;
  /** Library photos used as recall distractors besides the held-out photos (the first ones of `library`). */
  distractors: number;
  /** Per held-out pair, an id shared by pairs whose captions are the same text (see recallOf). */
  heldGroups?: Int32Array;
}

export interface MixPoint {
  mix: number;
  recall: RecallFiguresRaw;
  forgetting: number;
}

/** Recall and forgetting at each mix of the grid (α = 0 is the original space). */
export function evaluateGrid(p: AdapterParams, input: EvalInput, grid: readonly number[]): MixPoint[] {
  const d = input.dim;
  const m = input.held;
  const distractors = Math.min(input.distractors, input.libraryCount);
  // Image rows: held-out photos, then the library sample (its first `distractors` rows are distractors).
  const gAll = m + input.libraryCount;
  const images = new Float64Array(gAll * d);
  images.set(toF64(input.heldImages, m * d), 0);
  images.set(toF64(input.library, input.libraryCount * d), m * d);
  const img = { rows: images, ...deltas(images, gAll, d, p.imageW, p.imageB) };
  const capRows = toF64(input.heldTexts, m * d);
  const cap = { rows: capRows, ...deltas(capRows, m, d, p.textW, p.textB) };
  const promptRows = toF64(input.prompts, input.promptCount * d);
  const pr = { rows: promptRows, ...deltas(promptRows, input.promptCount, d, p.textW, p.textB) };

  const gRecall = m + distractors;
  const recallImages = slice(img, 0, gRecall, d);
  const recall = new MixScores(m, gRecall, cap, recallImages, d);
  const probeImages = slice(img, m, gAll, d);
  const probe = input.promptCount > 0 && input.libraryCount > 0 ? new MixScores(input.promptCount, input.libraryCount, pr, probeImages, d) : null;
  const probe0 = probe?.at(0);
  const base = probe0 ? zeroShotLabels(probe0, input.promptCount, input.libraryCount) : new Int32Array(0);
  const sure = probe0 ? confidentColumns(probe0, input.promptCount, input.libraryCount) : new Int32Array(0);
  return grid.map((mix) => ({
    mix,
    recall: recallOf(recall.at(mix), m, gRecall, input.heldGroups),
    forgetting: probe ? disagreement(base, zeroShotLabels(probe.at(mix), input.promptCount, input.libraryCount), sure) : 0,
  }));
}

/**
 * The mix to keep: the best held-out recall@1 among the points whose forgetting is within the
 * bound (ties: better recall@5, then lower mean rank, then the smaller mix, closer to the original).
 */
export function chooseMix(points: readonly MixPoint[], forgettingBound: number): MixPoint {
  const ok = points.filter((p) => p.forgetting <= forgettingBound);
  const zero = points.find((p) => p.mix === 0);
  if (ok.length === 0) {
    if (!zero) throw new Error('fine-tuning: the mix grid must contain 0');
    return zero;
  }
  return ok.reduce((best, p) => {
    if (p.recall.at1 !== best.recall.at1) return p.recall.at1 > best.recall.at1 ? p : best;
    if (p.recall.at5 !== best.recall.at5) return p.recall.at5 > best.recall.at5 ? p : best;
    if (p.recall.meanRank !== best.recall.meanRank) return p.recall.meanRank < best.recall.meanRank ? p : best;
    return p.mix < best.mix ? p : best;
  });
}

/** Deterministic, evenly spread sample of `k` of `n` row indices. */
export function evenSample(n: number, k: number): Int32Array {
  if (k >= n) return Int32Array.from({ length: n }, (_, i) => i);
  return Int32Array.from({ length: k }, (_, i) => Math.floor(((i + 0.5) * n) / k));
}

function toF64(a: Float32Array | Float64Array, len: number): Float64Array {
  if (a.length < len) throw new Error(`fine-tuning: expected ${len} values, got ${a.length}`);
  return Float64Array.from(a.subarray(0, len));
}

function slice(s: { rows: Mat; delta: Mat; xd: Float64Array; dd: Float64Array }, from: number, to: number, d: number) {
  return {
    rows: s.rows.subarray(from * d, to * d),
    delta: s.delta.subarray(from * d, to * d),
    xd: s.xd.subarray(from, to),
    dd: s.dd.subarray(from, to),
  };
}


/**
 * One-sided sign test on the held-out captions that changed between two spaces: the chance of
 * `gained` or more of `gained + lost` changes going the better way if either way were as likely.
 */
export function signTestP(gained: number, lost: number): number {
  const n = gained + lost;
  let p = 0;
  let choose = 1; // C(n, k), built up from k = 0
  for (let k = 0; k <= n; k++) {
    if (k >= gained) p += choose;
    choose = (choose * (n - k)) / (k + 1);
  }
  return p / 2 ** n;
}
