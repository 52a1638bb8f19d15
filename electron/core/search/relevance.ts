// The relevance floor of text search: which hits are good matches, for any model. Raw cosines
// cannot be compared across models (the bundled model's range is about -0.7..0.8, ViT-B/32's
// 0.1..0.35, SigLIP's -0.1..0.2), so the floor is measured in each photo's own units: how far the
// query's score for a photo is above what meaningless prompts score for that same photo, in units
// of their spread (a z-score). Both parts move together when a model shifts or stretches its
// scores, so the rule is scale-free. A second test is about the words, for models with a small
// vocabulary (known-words.ts): a word the model's tokenizer can only spell letter by letter is one
// it never learnt, and a query made of such words has no good matches whatever its scores (the
// bundled model maps "zzzz" as confidently as a real phrase). Why and the measured figures:
// docs/SEARCH.md.
import { Rng } from '../synthetic/rng.js';

/**
 * A hit is a good match when it beats the meaningless prompts on its photo by this many of their
 * spreads: the default, for models whose folder does not say otherwise. How far above letter
 * strings a model puts its real matches is the model's own: a model's record may carry the figure
 * its recipe measured (`relevanceZ` in clip/model-record.ts; search-host.ts reads it).
 */
export const STRONG_Z = 2;
/** Letters per token below which a word counts as unknown to the model (spelt out piece by piece). */
const MIN_LETTERS_PER_PIECE = 2;
/** Meaningless prompts per model: enough for a stable mean and spread per photo. */
const NULL_PROMPTS = 32;
const NULL_SEED = 1811;

/** Seeded random letter strings: text no model has learnt a meaning for, the same for every model. */
export function nullPrompts(count = NULL_PROMPTS, seed = NULL_SEED): string[] {
  const rng = new Rng(seed);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return Array.from({ length: count }, () => Array.from({ length: rng.int(3, 9) }, () => letters[rng.int(0, letters.length - 1)]).join(''));
}

/**
 * Each photo's floor, in the order of the score columns: the least score that beats the
 * meaningless prompts on that photo by `z` of their spreads (z = (s − mean) / spread ≥ `z`,
 * written as a threshold so a search compares one number per photo).
 * `columns[p][r]`: prompt p's score for the photo in row r.
 */
export function relevanceFloors(columns: readonly Float32Array[], z = STRONG_Z): Float32Array {
  if (columns.length < 2) throw new Error(`relevance: a baseline needs at least 2 prompts, got ${columns.length}`);
  const n = (columns[0] as Float32Array).length;
  const floors = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    let sum = 0;
    let sum2 = 0;
    for (const column of columns) {
      const s = column[r] as number;
      sum += s;
      sum2 += s * s;
    }
    floors[r] = floorOf(sum, sum2, columns.length, z);
  }
  return floors;
}

/** One photo's floor from the sum and the sum of squares of its `count` prompt scores. */
export function floorOf(sum: number, sum2: number, count: number, z = STRONG_Z): number {
  const mean = sum / count;
  return mean + z * Math.sqrt(Math.max(0, sum2 / count - mean * mean));
}

/** The median of some photos' floors: the one floor a library's search uses (relevance-baseline.ts). */
export function medianFloor(floors: Float32Array): number {
  const sorted = floors.slice().sort();
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Whether a word is one the model knows: spelt with fewer tokens than half its letters (or as one token). */
export function isKnownWord(word: string, pieces: number): boolean {
  return pieces <= 1 || word.length / pieces >= MIN_LETTERS_PER_PIECE;
}

/** The words of three letters or more in some texts, lower case: what the known-word test judges. */
export function judgedWords(texts: Iterable<string>): string[] {
  const words: string[] = [];
  for (const text of texts) for (const w of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (w.length >= 3) words.push(w);
  return words;
}

/**
 * Whether the model understands a query's positive terms: at least half of their words of three
 * letters or more are known ("a dog" is judged on "dog"; one known word in two is enough).
 * `knows` says whether the model knows a word (known-words.ts).
 */
export function understands(positiveTexts: readonly string[], knows: (word: string) => boolean): boolean {
  const words = judgedWords(positiveTexts);
  if (words.length === 0) return true;
  const known = words.filter(knows).length;
  return known * 2 >= words.length;
}
