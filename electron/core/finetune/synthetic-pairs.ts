// Random-but-structured (photo, caption) embeddings for the bench and the unit tests, shaped like a
// CLIP space: k latent concepts spread over d dimensions, each photo and caption a sparse mix of
// them plus noise, a modality gap (a constant offset per side), and a "personal vocabulary": the
// captions name some concepts by another concept's direction, so the original space ranks them
// poorly and a linear adapter can learn the correction. Probe prompts are single concepts in the
// original space; the library is more photos of the same world.
import { Rng } from '../synthetic/rng.js';
import type { EngineInput } from './engine.js';

export interface SyntheticPairsOptions {
  pairs: number;
  dim: number;
  libraryCount?: number;
  promptCount?: number;
  concepts?: number;
  /** Fraction of the concepts the captions name differently (0 = the original space is right). */
  personal?: number;
  noise?: number;
  seed?: number;
  /** Captions of random other photos (a worse adapter must be refused). */
  shuffledCaptions?: boolean;
}

/** What the engine takes, without the parts a real library adds (distractor rows, caption groups). */
export type SyntheticPairs = Omit<EngineInput, 'distractorRows' | 'groups'>;

export function syntheticPairs(o: SyntheticPairsOptions): SyntheticPairs {
  const d = o.dim;
  const k = o.concepts ?? 48;
  const rng = new Rng(o.seed ?? 7);
  const noise = o.noise ?? 0.6;
  const basis: Float64Array[] = [];
  for (let c = 0; c < k; c++) basis.push(unit(Float64Array.from({ length: d }, () => rng.normal())));
  const gapImage = Float64Array.from({ length: d }, () => rng.normal() * 0.0625);
  const gapText = Float64Array.from({ length: d }, () => rng.normal() * 0.0625);
  // The person's words: concept c is written as concept rename[c].
  const rename = Int32Array.from({ length: k }, (_, c) => c);
  const swapped = Math.floor(k * (o.personal ?? 0.3));
  for (let i = 0; i + 1 < swapped; i += 2) {
    rename[i] = i + 1;
    rename[i + 1] = i;
  }
  const sample = (): { c: number[]; w: number[] } => {
    const c = [rng.int(0, k - 1), rng.int(0, k - 1), rng.int(0, k - 1)];
    return { c, w: [1, 0.6 + 0.3 * rng.next(), 0.3 + 0.3 * rng.next()] };
  };
  const embed = (s: { c: number[]; w: number[] }, gap: Float64Array, map: (c: number) => number): Float32Array => {
    const v = new Float64Array(d);
    s.c.forEach((c, i) => {
      const b = basis[map(c)]!;
      for (let j = 0; j < d; j++) v[j] = (v[j] as number) + (s.w[i] as number) * (b[j] as number);
    });
    for (let j = 0; j < d; j++) v[j] = (v[j] as number) + (gap[j] as number) + (noise * rng.normal()) / Math.sqrt(d);
    return Float32Array.from(unit(v));
  };
  const n = o.pairs;
  const images = new Float32Array(n * d);
  const texts = new Float32Array(n * d);
  const scenes = Array.from({ length: n }, sample);
  scenes.forEach((s, i) => images.set(embed(s, gapImage, (c) => c), i * d));
  const order = o.shuffledCaptions ? rng.shuffle([...scenes.keys()]) : [...scenes.keys()];
  order.forEach((from, i) => texts.set(embed(scenes[from]!, gapText, (c) => rename[c] as number), i * d));
  const libraryCount = o.libraryCount ?? 1000;
  const library = new Float32Array(libraryCount * d);
  for (let i = 0; i < libraryCount; i++) library.set(embed(sample(), gapImage, (c) => c), i * d);
  const promptCount = Math.min(o.promptCount ?? 28, k);
  const prompts = new Float32Array(promptCount * d);
  for (let p = 0; p < promptCount; p++) prompts.set(embed({ c: [k - 1 - p], w: [1] }, gapText, (c) => c), p * d);
  return { dim: d, pairs: n, images, texts, library, libraryCount, prompts, promptCount };
}

function unit(v: Float64Array): Float64Array {
  let s = 0;
  for (const x of v) s += x * x;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * inv;
  return v;
}
