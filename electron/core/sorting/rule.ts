// The sorting rule: which category each photo goes to, or none (Unsorted), from its cosine scores
// against the categories' prompt ensembles, the generic "background" prompt, and the photos the
// person corrected. A pure function of its inputs, so the same library, categories and
// corrections always give the same result. Why this rule: docs/SORTING.md.
//
// [Note: normalised margin] Raw cosines live in different ranges for different models (the
// bundled model's spread is not ViT-B/32's or SigLIP's), so no fixed floor works across models.
// The rule measures a photo's lead instead: the score of its best category minus the best score of
// any competitor (another category, or the background prompt "a photo"), divided by σ, the pooled
// standard deviation of the category scores over this library. The lead is then in units of
// "how much do category scores vary across this library", which carries over between models. A
// photo is sorted when its lead reaches the floor, 0.4 × strictness (default strictness 0.5 →
// 0.2σ). On held-out generated scenes the lead separates in-category from out-of-category photos
// far better than the raw best score (AUC ~0.88 against ~0.65; docs/SORTING.md).
//
// [Note: corrections as a cache] Each corrected photo is a key (its image embedding) with a value
// (its category, or Unsorted), as in Tip-Adapter (Zhang et al., 2022): a photo's logit for a
// class gains α·Σ exp(−β(1 − cos(photo, key))) over that class's keys. Nothing is retrained and
// the encoders are untouched; a photo like one the person moved follows it.
//
// [Note: corrections fit the floor] The corrections also say where this person draws the line
// between "in a category" and "none of them". Each corrected photo's lead is measured as if it
// were not corrected (the rule with every other correction, leave-one-out); the person's floor is
// halfway between the median lead of the photos they put into a category (those the rule ranks
// first there) and the median lead of the photos they put into Unsorted. It is shrunk toward the
// default floor as if the default were FIT_PRIOR corrections' worth of evidence, so one or two
// corrections move it a little and many move it most of the way; each category's strictness then
// shifts it up or down as before. Without corrections on both sides the default stands. On the
// tuning scenes (a seed apart from docs/SORTING.md's) this turned 5 corrections per category from
// 95.1 % / 53.2 % (in-category accuracy / out-of-category left Unsorted) into 89.8 % / 78.9 % for
// the colour sorting, where the cache alone could not move the line (an orange photo is close in
// image space to red and yellow photos of the same shape on the same background), and the shape
// sorting from 92.7 / 80.9 into 89.8 / 93.0. Medians rather than the best-separating threshold:
// with a few dozen corrections that threshold jumps from one library to the next. All figures:
// docs/SORTING.md.
import { median } from '../stats.js';

/** How strictly a category takes photos when it sets none. */
export const DEFAULT_STRICTNESS = 0.5;
/** Lead needed at strictness 1, in units of σ (see the note above). */
const MAX_FLOOR = 0.4;
/** Tip-Adapter's weight and sharpness for the corrections cache (chosen on scenes apart from docs/SORTING.md's). */
export const CACHE_ALPHA = 0.5;
export const CACHE_BETA = 3;
/** How many corrections' worth of evidence the default floor counts for when corrections fit it. */
export const FIT_PRIOR = 20;
/** Logit difference → confidence slope: a lead of 0.2σ past the floor reads as 0.88. */
const CONFIDENCE_SLOPE = 10;

export interface RuleInput {
  /** Photo ids; row r of every column belongs to ids[r]. */
  ids: ArrayLike<number>;
  /** One column of cosines per category (category order), each ids.length long. */
  categoryScores: readonly Float32Array[];
  /** Cosines with the generic background prompt. */
  backgroundScores: Float32Array;
  /** Per category, 0..1 or null for the default. */
  strictness: readonly (number | null)[];
  /** Corrected photos: the class each belongs to (a category index, or -1 for Unsorted) and its cosines with every row. */
  corrections: readonly { photoId: number; category: number; similarity: Float32Array }[];
  multiLabel: boolean;
}

export interface RuleOutcome {
  /** Per row: the categories the photo is in (best first; empty: Unsorted). */
  placed: number[][];
  /** Per row: confidence 0..1 that the photo belongs where it was put (for Unsorted: that it belongs to none). */
  confidence: Float32Array;
  /** Per row: the best category, whether or not the photo was placed in it (-1 when there are none). */
  best: Int32Array;
  /** Per row: the person placed it (a correction), not the rule. */
  corrected: Uint8Array;
  /** σ of the note above, for the docs and the UI's explanation. */
  spread: number;
  /** The floor at the default strictness, in units of σ: 0.2 without corrections, fitted to them otherwise. */
  floor: number;
}

export function floorOf(strictness: number | null): number {
  return MAX_FLOOR * (strictness ?? DEFAULT_STRICTNESS);
}

/** Pooled standard deviation of the category columns over the library (1 when it cannot be measured). */
export function pooledSpread(columns: readonly Float32Array[]): number {
  let sum = 0;
  let count = 0;
  for (const col of columns) {
    const n = col.length;
    if (n < 2) continue;
    let mean = 0;
    for (let r = 0; r < n; r++) mean += col[r] as number;
    mean /= n;
    let v = 0;
    for (let r = 0; r < n; r++) v += ((col[r] as number) - mean) ** 2;
    sum += v / n;
    count++;
  }
  const spread = count === 0 ? 0 : Math.sqrt(sum / count);
  // Identical scores everywhere (one photo, or a degenerate model): any unit will do.
  return spread > 1e-6 ? spread : 1;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** One corrected photo as the fit sees it: its row and class (category index, or cats for Unsorted). */
interface Key {
  row: number;
  cls: number;
  similarity: Float32Array;
}

/**
 * The floor at the default strictness that the corrections show (see [Note: corrections fit the
 * floor]): each key's leave-one-out lead; halfway between the median lead of the photos put into
 * a category and that of the photos put into Unsorted; shrunk toward the default by FIT_PRIOR.
 */
function fittedFloor(keys: readonly Key[], categoryScores: readonly Float32Array[], backgroundScores: Float32Array, spread: number): number {
  const base = floorOf(null);
  const cats = categoryScores.length;
  const inside: number[] = [];
  const outside: number[] = [];
  const pull = new Float64Array(cats + 1);
  for (const key of keys) {
    const r = key.row;
    pull.fill(0);
    for (const other of keys) if (other !== key) pull[other.cls] = (pull[other.cls] as number) + CACHE_ALPHA * Math.exp(-CACHE_BETA * (1 - (other.similarity[r] as number)));
    let top = -1;
    let topLogit = -Infinity;
    for (let c = 0; c < cats; c++) {
      const logit = ((categoryScores[c] as Float32Array)[r] as number) / spread + (pull[c] as number);
      if (logit > topLogit) [top, topLogit] = [c, logit];
    }
    let competitor = (backgroundScores[r] as number) / spread;
    for (let c = 0; c < cats; c++) if (c !== top) competitor = Math.max(competitor, ((categoryScores[c] as Float32Array)[r] as number) / spread);
    const lead = topLogit - competitor - (pull[cats] as number);
    if (key.cls === cats) outside.push(lead);
    // A photo the rule ranks into another category is not a question of the floor.
    else if (key.cls === top) inside.push(lead);
  }
  // Both sides are needed to say where the line between them is.
  if (inside.length === 0 || outside.length === 0) return base;
  const fitted = (median(inside) + median(outside)) / 2;
  const evidence = inside.length + outside.length;
  return (FIT_PRIOR * base + evidence * fitted) / (FIT_PRIOR + evidence);
}

export function applyRule(input: RuleInput): RuleOutcome {
  const n = input.ids.length;
  const cats = input.categoryScores.length;
  const spread = pooledSpread(input.categoryScores);
  // Rows of the corrected photos (the map only when there are corrections: 100k rows cost ~10 ms).
  const rowOf = new Map<number, number>();
  if (input.corrections.length > 0) for (let r = 0; r < n; r++) rowOf.set(input.ids[r] as number, r);
  const keys: Key[] = [];
  for (const c of input.corrections) {
    const row = rowOf.get(c.photoId);
    if (row !== undefined) keys.push({ row, cls: c.category < 0 ? cats : c.category, similarity: c.similarity });
  }
  const floor = fittedFloor(keys, input.categoryScores, input.backgroundScores, spread);
  // Strictness moves each category's floor from the fitted one as it moves it from the default.
  const floors = input.strictness.map((s) => floor + floorOf(s) - floorOf(null));
  const placed: number[][] = new Array(n);
  const confidence = new Float32Array(n);
  const best = new Int32Array(n).fill(-1);
  const corrected = new Uint8Array(n);
  const pinned = new Map(input.corrections.map((c) => [c.photoId, c.category]));
  const columns = input.categoryScores;
  const backgroundScores = input.backgroundScores;

  // [Note: the hot loop] 100k photos × 20 categories per sort (test/bench/sorting.bench.ts). The
  // work is done a column at a time (each column is one contiguous array; a row at a time would
  // touch 20 arrays per photo): the cache's pull per class, each row's best logit, and its best
  // and second-best raw category score, so the strongest competitor of any category is one of
  // those two (max(a/σ, b/σ) = max(a, b)/σ exactly, since σ > 0). Logits are float32.
  // The cache's pull toward each class (index cats: Unsorted), per row; none without corrections.
  const pulls: Float32Array[] | null = input.corrections.length > 0 ? Array.from({ length: cats + 1 }, () => new Float32Array(n)) : null;
  if (pulls) {
    for (const key of input.corrections) {
      const pull = pulls[key.category < 0 ? cats : key.category] as Float32Array;
      const similarity = key.similarity;
      for (let r = 0; r < n; r++) pull[r] = (pull[r] as number) + CACHE_ALPHA * Math.exp(-CACHE_BETA * (1 - (similarity[r] as number)));
    }
  }
  const topLogit = new Float32Array(n);
  const first = new Float32Array(n).fill(-Infinity);
  const firstAt = new Int32Array(n).fill(-1);
  const second = new Float32Array(n).fill(-Infinity);
  for (let c = 0; c < cats; c++) {
    const column = columns[c] as Float32Array;
    const pull = pulls?.[c];
    for (let r = 0; r < n; r++) {
      const score = column[r] as number;
      const l = Math.fround(score / spread + (pull ? (pull[r] as number) : 0));
      if (c === 0 || l > (topLogit[r] as number)) {
        topLogit[r] = l;
        best[r] = c;
      }
      if (score > (first[r] as number)) {
        second[r] = first[r] as number;
        first[r] = score;
        firstAt[r] = c;
      } else if (score > (second[r] as number)) second[r] = score;
    }
  }

  const logit = new Float32Array(cats);
  for (let r = 0; r < n; r++) {
    const top = best[r] as number;
    if (pinned.size > 0) {
      const pin = pinned.get(input.ids[r] as number);
      if (pin !== undefined) {
        placed[r] = pin < 0 ? [] : [pin];
        confidence[r] = 1;
        corrected[r] = 1;
        continue;
      }
    }
    if (top < 0) {
      placed[r] = [];
      confidence[r] = 1;
      continue;
    }
    // The Unsorted logit for a category: its strongest zero-shot competitor, its floor, and the
    // pull of the corrections toward Unsorted.
    const unsortedPull = pulls ? ((pulls[cats] as Float32Array)[r] as number) : 0;
    if (input.multiLabel) {
      // Every category that beats the background prompt by its floor, best first.
      const background = (backgroundScores[r] as number) / spread;
      const members: number[] = [];
      for (let c = 0; c < cats; c++) {
        logit[c] = Math.fround(((columns[c] as Float32Array)[r] as number) / spread + (pulls ? ((pulls[c] as Float32Array)[r] as number) : 0));
        if ((logit[c] as number) >= background + (floors[c] as number) + unsortedPull) members.push(c);
      }
      if (members.length > 1) members.sort((a, b) => (logit[b] as number) - (logit[a] as number) || a - b);
      placed[r] = members;
      const lead = (topLogit[r] as number) - (background + (floors[top] as number) + unsortedPull);
      confidence[r] = sigmoid(CONFIDENCE_SLOPE * (members.length > 0 ? lead : -lead));
      continue;
    }
    const other = firstAt[r] === top ? (second[r] as number) : (first[r] as number);
    const competitor = Math.max(backgroundScores[r] as number, other);
    const lead = (topLogit[r] as number) - (competitor / spread + (floors[top] as number) + unsortedPull);
    placed[r] = lead >= 0 ? [top] : [];
    confidence[r] = sigmoid(CONFIDENCE_SLOPE * Math.abs(lead));
  }
  return { placed, confidence, best, corrected, spread, floor };
}
