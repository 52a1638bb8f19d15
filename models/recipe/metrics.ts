// Zero-shot and retrieval metrics over L2-normalised embedding matrices (row-major Float32Array).
// Shared by evaluate.ts and the model tests.

import type { OnnxClip } from './onnx-model.js';

function dot(a: Float32Array, ai: number, b: Float32Array, bi: number, dim: number): number {
  let s = 0;
  for (let k = 0; k < dim; k++) s += (a[ai * dim + k] as number) * (b[bi * dim + k] as number);
  return s;
}

/** Prompt ensembling (CLIP 3.1.4): per class, the renormalised mean of its templates' embeddings. */
export async function classEmbeddings(model: OnnxClip, prompts: string[], nClasses: number): Promise<Float32Array> {
  const dim = model.dim;
  const t = await model.embedTexts(prompts);
  const perClass = prompts.length / nClasses;
  const out = new Float32Array(nClasses * dim);
  for (let c = 0; c < nClasses; c++) {
    for (let p = 0; p < perClass; p++) {
      for (let k = 0; k < dim; k++) out[c * dim + k] = (out[c * dim + k] as number) + (t[(c * perClass + p) * dim + k] as number);
    }
    let s = 0;
    for (let k = 0; k < dim; k++) s += (out[c * dim + k] as number) ** 2;
    for (let k = 0; k < dim; k++) out[c * dim + k] = (out[c * dim + k] as number) / Math.sqrt(s);
  }
  return out;
}

/** Index of the most similar class for every image. */
export function classify(images: Float32Array, classes: Float32Array, dim: number): number[] {
  const n = images.length / dim;
  const m = classes.length / dim;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < m; c++) {
      const s = dot(images, i, classes, c, dim);
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    }
    out.push(best);
  }
  return out;
}

export function accuracy(predicted: number[], truth: number[]): number {
  return predicted.filter((p, i) => p === truth[i]).length / truth.length;
}

/** For each text i, how many other images score at least as high as image i, which it describes (0: first). */
export function textToImageRanks(texts: Float32Array, images: Float32Array, dim: number): number[] {
  const n = texts.length / dim;
  return Array.from({ length: n }, (_, t) => {
    const own = dot(texts, t, images, t, dim);
    let rank = 0;
    for (let i = 0; i < n; i++) if (i !== t && dot(texts, t, images, i, dim) >= own) rank++;
    return rank;
  });
}

/** Text → image recall@k where text i describes image i (ties count against the query). */
export function textToImageRecall(texts: Float32Array, images: Float32Array, dim: number, ks: number[]): Record<number, number> {
  const ranks = textToImageRanks(texts, images, dim);
  return Object.fromEntries(ks.map((k) => [k, ranks.filter((r) => r < k).length / ranks.length]));
}
