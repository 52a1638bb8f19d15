// Runs an exported model folder the way the app does: tokenizer.ts for text, the CLIP preprocessing
// geometry through sharp for images, onnxruntime-node for both encoders, L2-normalised outputs.
// Used by evaluate.ts and the model tests, so the figures describe the shipped files.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadClipTokenizer, type ClipTokenizer } from '../../electron/core/clip/tokenizer.js';
import { toModelPixels } from './pixels.js';

export interface PreprocessCfg {
  size: number;
  mean: [number, number, number];
  std: [number, number, number];
}

export interface OnnxClip {
  dim: number;
  tokenizer: ClipTokenizer;
  preprocess: PreprocessCfg;
  /** Encoded images (JPEG/PNG) → [n, dim] normalised. */
  embedImages(images: Buffer[]): Promise<Float32Array>;
  /** Model-size uint8 RGB HWC pixels → [n, dim] normalised. */
  embedPixels(pixels: Buffer[]): Promise<Float32Array>;
  embedTexts(texts: string[]): Promise<Float32Array>;
  release(): Promise<void>;
}

function normaliseRows(x: Float32Array, dim: number): Float32Array {
  for (let r = 0; r < x.length / dim; r++) {
    let s = 0;
    for (let i = r * dim; i < (r + 1) * dim; i++) s += (x[i] as number) ** 2;
    const inv = 1 / Math.sqrt(s || 1);
    for (let i = r * dim; i < (r + 1) * dim; i++) x[i] = (x[i] as number) * inv;
  }
  return x;
}

export async function loadOnnxClip(modelDir: string): Promise<OnnxClip> {
  const config = JSON.parse(await readFile(path.join(modelDir, 'config.json'), 'utf8')) as {
    embed_dim: number;
    text_cfg: { context_length: number };
  };
  const raw = JSON.parse(await readFile(path.join(modelDir, 'visual', 'preprocess_cfg.json'), 'utf8')) as {
    size: number | [number, number];
    mean: [number, number, number];
    std: [number, number, number];
  };
  const preprocess: PreprocessCfg = { size: Array.isArray(raw.size) ? raw.size[0] : raw.size, mean: raw.mean, std: raw.std };
  const opts: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 2, interOpNumThreads: 1 };
  const visual = await ort.InferenceSession.create(path.join(modelDir, 'visual', 'model.onnx'), opts);
  const textual = await ort.InferenceSession.create(path.join(modelDir, 'textual', 'model.onnx'), opts);
  const tokenizer = await loadClipTokenizer(modelDir, config.text_cfg.context_length);
  const dim = config.embed_dim;
  const s = preprocess.size;

  const embedPixels = async (pixels: Buffer[]): Promise<Float32Array> => {
    const out = new Float32Array(pixels.length * dim);
    const batch = 64;
    for (let b = 0; b < pixels.length; b += batch) {
      const chunk = pixels.slice(b, b + batch);
      const input = new Float32Array(chunk.length * 3 * s * s);
      chunk.forEach((px, n) => {
        for (let c = 0; c < 3; c++) {
          const m = preprocess.mean[c] as number;
          const sd = preprocess.std[c] as number;
          const base = (n * 3 + c) * s * s;
          for (let i = 0; i < s * s; i++) input[base + i] = ((px[i * 3 + c] as number) / 255 - m) / sd;
        }
      });
      const result = await visual.run({ [visual.inputNames[0] as string]: new ort.Tensor('float32', input, [chunk.length, 3, s, s]) });
      out.set((result[visual.outputNames[0] as string] as ort.Tensor).data as Float32Array, b * dim);
    }
    return normaliseRows(out, dim);
  };

  return {
    dim,
    tokenizer,
    preprocess,
    embedPixels,
    async embedImages(images) {
      return embedPixels(await Promise.all(images.map((img) => toModelPixels(img, s))));
    },
    async embedTexts(texts) {
      const out = new Float32Array(texts.length * dim);
      const batch = 256;
      for (let b = 0; b < texts.length; b += batch) {
        const enc = tokenizer.encode(texts.slice(b, b + batch));
        const result = await textual.run({
          [textual.inputNames[0] as string]: new ort.Tensor('int64', enc.ids, [enc.n, enc.contextLength]),
        });
        out.set((result[textual.outputNames[0] as string] as ort.Tensor).data as Float32Array, b * dim);
      }
      return normaliseRows(out, dim);
    },
    async release() {
      await visual.release();
      await textual.release();
    },
  };
}
