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

/** How strictly a category takes photos when it sets none. */
export const DEFAULT_STRICTNESS = 0.5;
/** Lead needed at strictness 1, in units of σ (see the note above). */
const MAX_FLOOR = 0.4;
/** Tip-Adapter's weight and sharpness for the corrections cache (chosen on scenes apart from docs/SORTING.md's). */
export const CACHE_ALPHA = 1;
export const CACHE_BETA = 3;
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

export function applyRule(input: RuleInput): RuleOutcome {
  const n = input.ids.length;
  const cats = input.categoryScores.length;
  const spread = pooledSpread(input.categoryScores);
  const floors = input.strictness.map(floorOf);
  const placed: number[][] = new Array(n);
  const confidence = new Float32Array(n);
  const best = new Int32Array(n).fill(-1);
  const corrected = new Uint8Array(n);
  const pinned = new Map(input.corrections.map((c) => [c.photoId, c.category]));
  // The cache's pull toward each class (index cats: Unsorted), per row.
  const pull = new Float32Array(cats + 1);
  const logit = new Float32Array(cats);

  for (let r = 0; r < n; r++) {
    pull.fill(0);
    for (const key of input.corrections) {
      const cls = key.category < 0 ? cats : key.category;
      pull[cls] = (pull[cls] as number) + CACHE_ALPHA * Math.exp(-CACHE_BETA * (1 - (key.similarity[r] as number)));
    }
    let top = -1;
    for (let c = 0; c < cats; c++) {
      logit[c] = ((input.categoryScores[c] as Float32Array)[r] as number) / spread + (pull[c] as number);
      if (top < 0 || (logit[c] as number) > (logit[top] as number)) top = c;
    }
    best[r] = top;
    const background = (input.backgroundScores[r] as number) / spread;
    const unsortedPull = pull[cats] as number;
    // The Unsorted logit for category c: its strongest zero-shot competitor plus c's floor.
    const unsortedFor = (c: number, withOthers: boolean): number => {
      let competitor = background;
      if (withOthers) {
        for (let o = 0; o < cats; o++) if (o !== c) competitor = Math.max(competitor, ((input.categoryScores[o] as Float32Array)[r] as number) / spread);
      }
      return competitor + (floors[c] as number) + unsortedPull;
    };

    const id = input.ids[r] as number;
    const pin = pinned.get(id);
    if (pin !== undefined) {
      placed[r] = pin < 0 ? [] : [pin];
      confidence[r] = 1;
      corrected[r] = 1;
      continue;
    }
    if (top < 0) {
      placed[r] = [];
      confidence[r] = 1;
      continue;
    }
    if (input.multiLabel) {
      // Every category that beats the background prompt by its floor, best first.
      const members: number[] = [];
      for (let c = 0; c < cats; c++) if ((logit[c] as number) >= unsortedFor(c, false)) members.push(c);
      members.sort((a, b) => (logit[b] as number) - (logit[a] as number) || a - b);
      placed[r] = members;
      const lead = members.length > 0 ? (logit[top] as number) - unsortedFor(top, false) : (logit[top] as number) - unsortedFor(top, false);
      confidence[r] = sigmoid(CONFIDENCE_SLOPE * (members.length > 0 ? lead : -lead));
      continue;
    }
    const lead = (logit[top] as number) - unsortedFor(top, true);
    placed[r] = lead >= 0 ? [top] : [];
    confidence[r] = sigmoid(CONFIDENCE_SLOPE * Math.abs(lead));
  }
  return { placed, confidence, best, corrected, spread };
}
