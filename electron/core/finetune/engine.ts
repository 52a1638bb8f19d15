// One fine-tuning run from embeddings to a verdict, with no I/O: split the captioned pairs, train
// the adapter pair on the training part, evaluate every mix of the grid on the held-out part and
// the forgetting probe, choose the mix, decide, and lay the final weights out as the store keeps
// them. The worker (electron/workers/finetune-worker.ts) runs it; tests and the bench call it directly.
import type { FinetuneFigures } from './types.js';
import type { AdapterParams } from './contrastive.js';
import { chooseMix, evaluateGrid, signTestP, splitPairs, type MixPoint } from './evaluate.js';
import { gatherRows } from './linalg.js';
import { trainAdapters, type EpochReport } from './train.js';

/** Every knob of a run; FINETUNE_DEFAULTS has the chosen values (the evidence: docs/FINETUNING.md). */
export interface EngineOptions {
  epochs: number;
  seed: number;
  batchSize: number;
  lr: number;
  l2: number;
  heldOutFraction: number;
  minHeldOut: number;
  mixGrid: readonly number[];
  /** Points of probe agreement the adapted space may lose. */
  forgettingBound: number;
  /** Library photos added to the held-out photos as distractors when measuring recall. */
  distractors: number;
  /** Adapt both embeddings, or only the captions' (text) side: photos stay as encoded. */
  sides: 'both' | 'text';
}

export const FINETUNE_DEFAULTS: EngineOptions = {
  epochs: 5,
  seed: 1,
  batchSize: 128,
  lr: 1e-3,
  l2: 0.1,
  heldOutFraction: 0.2,
  minHeldOut: 4,
  mixGrid: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
  forgettingBound: 2,
  distractors: 0,
  sides: 'text',
};

/**
 * Epochs when the person names none: enough for about 40 Adam steps (a few hundred captions fit
 * in one batch, so they need more passes), between 5 and 30. 1,000 pairs: 6 epochs of 7 batches.
 */
export function defaultEpochs(pairs: number, o: EngineOptions = FINETUNE_DEFAULTS): number {
  const train = pairs - Math.min(pairs - 2, Math.max(o.minHeldOut, Math.round(pairs * o.heldOutFraction)));
  const batches = Math.max(1, Math.ceil(train / o.batchSize));
  return Math.min(30, Math.max(5, Math.ceil(40 / batches)));
}

/** The fewest usable captioned photos a run needs (4 held out, the rest to train on). */
export const MIN_PAIRS = 10;

export interface EngineInput {
  dim: number;
  /** Captioned pairs: image embedding row i with caption embedding row i (unit vectors). */
  pairs: number;
  images: Float32Array;
  texts: Float32Array;
  /** A sample of the library's photos (unit rows) for the forgetting probe and as recall distractors. */
  library: Float32Array;
  libraryCount: number;
  /** The probe prompts' embeddings (unit rows). */
  prompts: Float32Array;
  promptCount: number;
  /**
   * How many of the first library rows may serve as recall distractors: photos without a caption
   * (a captioned photo in the sample would be a held-out photo's own twin). Default: all of them.
   */
  distractorRows?: number;
  /** Per pair, an id shared by the pairs whose captions are the same text (captionGroups). */
  groups?: Int32Array;
}

/** An id per caption, the same for the same text (ignoring case and surrounding spaces). */
export function captionGroups(captions: readonly string[]): Int32Array {
  const ids = new Map<string, number>();
  return Int32Array.from(captions, (c) => {
    const key = c.trim().toLowerCase();
    if (!ids.has(key)) ids.set(key, ids.size);
    return ids.get(key) as number;
  });
}

export interface EngineResult {
  accepted: boolean;
  reason: string | null;
  figures: FinetuneFigures;
  /** Each mix of the grid with its held-out recall and forgetting. */
  grid: MixPoint[];
  /** float32: text W (dim×dim), text b, image W, image b at the chosen mix (W includes the identity). */
  weights: Float32Array;
}

export function runEngine(input: EngineInput, o: EngineOptions, onEpoch?: (r: EpochReport) => void): EngineResult {
  const started = performance.now();
  const d = input.dim;
  if (input.pairs < MIN_PAIRS) throw new Error(`Fine-tuning needs at least ${MIN_PAIRS} captioned photos; there are ${input.pairs}.`);
  const split = splitPairs(input.pairs, o.heldOutFraction, o.minHeldOut, o.seed);
  const train = {
    n: split.train.length,
    dim: d,
    x: gatherRows(input.images, d, split.train),
    t: gatherRows(input.texts, d, split.train),
    ...(input.groups ? { groups: Int32Array.from(split.train, (i) => input.groups![i] as number) } : {}),
  };
  const trained = trainAdapters(train, { epochs: o.epochs, batchSize: o.batchSize, lr: o.lr, l2: o.l2, seed: o.seed, sides: o.sides }, onEpoch);
  const grid = evaluateGrid(
    trained.params,
    {
      dim: d,
      heldImages: gatherRows(input.images, d, split.heldOut),
      heldTexts: gatherRows(input.texts, d, split.heldOut),
      held: split.heldOut.length,
      library: input.library,
      libraryCount: input.libraryCount,
      prompts: input.prompts,
      promptCount: input.promptCount,
      distractors: Math.min(o.distractors, input.distractorRows ?? input.libraryCount),
      ...(input.groups ? { heldGroups: Int32Array.from(split.heldOut, (i) => input.groups![i] as number) } : {}),
    },
    o.mixGrid.includes(0) ? o.mixGrid : [0, ...o.mixGrid],
  );
  const before = grid.find((p) => p.mix === 0)!;
  const gained = clearGain(before, split.heldOut.length);
  // The best mix among those that gain clearly and forget within the bound; none: the original (α = 0).
  const chosen = chooseMix(grid.filter((p) => p.mix === 0 || gained(p)), o.forgettingBound);
  const { accepted, reason } = verdict(before, chosen, grid.filter(gained), o.forgettingBound, split.heldOut.length);
  const figures: FinetuneFigures = {
    trainPairs: split.train.length,
    heldOutPairs: split.heldOut.length,
    before: { at1: fraction(before.recall.at1), at5: fraction(before.recall.at5) },
    after: { at1: fraction(chosen.recall.at1), at5: fraction(chosen.recall.at5) },
    forgetting: round(chosen.forgetting),
    mix: chosen.mix,
    loss: trained.losses.map((l) => Math.round(l * 1e4) / 1e4),
    seconds: Math.round((performance.now() - started) / 10) / 100,
  };
  return { accepted, reason, figures, grid, weights: packWeights(trained.params, chosen.mix) };
}

/**
 * How unlikely a version's gain must be by chance (a one-sided sign test over the held-out
 * captions that changed): with a few dozen held out, captions shuffled among their photos gained
 * one or two by chance in the tests; a real gain of 5 with none lost passes (p ≈ 0.03).
 */
export const MAX_CHANCE = 0.05;

/** Whether a mix finds clearly more held-out captions' photos first than the original (sign test). */
function clearGain(before: MixPoint, heldOut: number): (p: MixPoint) => boolean {
  return (p) => {
    let won = 0;
    let lost = 0;
    for (let j = 0; j < heldOut; j++) {
      const was = before.recall.hits[j] as number;
      const now = p.recall.hits[j] as number;
      if (now > was) won++;
      else if (now < was) lost++;
    }
    return won > lost && signTestP(won, lost) <= MAX_CHANCE;
  };
}

function verdict(before: MixPoint, chosen: MixPoint, better: readonly MixPoint[], bound: number, heldOut: number): { accepted: boolean; reason: string | null } {
  if (chosen.mix > 0) return { accepted: true, reason: null };
  if (better.length === 0) {
    return {
      accepted: false,
      reason: `Held-out recall@1 did not improve clearly: ${round(before.recall.at1)} % before, and no mix found clearly more of the ${heldOut} held-out captions' photos first than chance could. The captions may not describe their photos consistently, or there are too few of them.`,
    };
  }
  const least = better.reduce((a, b) => (b.forgetting < a.forgetting ? b : a));
  return {
    accepted: false,
    reason: `Every mix that improves held-out recall@1 clearly forgets too much: at least ${round(least.forgetting)} points of zero-shot agreement lost (mix ${least.mix}), more than the ${bound} allowed.`,
  };
}

/** The store's layout at mix α: W = I + α·A, b = α·a, text side first. */
export function packWeights(p: AdapterParams, mix: number): Float32Array {
  const d = p.dim;
  const out = new Float32Array(2 * d * d + 2 * d);
  const side = (w: Float64Array, b: Float64Array, off: number): void => {
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) out[off + r * d + c] = mix * (w[r * d + c] as number) + (r === c ? 1 : 0);
    }
    for (let r = 0; r < d; r++) out[off + d * d + r] = mix * (b[r] as number);
  };
  side(p.textW, p.textB, 0);
  side(p.imageW, p.imageB, d * d + d);
  return out;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Points (0..100) as a fraction with four decimals. */
function fraction(points: number): number {
  return Math.round(points * 100) / 1e4;
}
