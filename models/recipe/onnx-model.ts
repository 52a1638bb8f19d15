// Runs an exported model folder through the app's own code: openClipModel (model folder checks,
// ONNX Runtime sessions, tokenizer.ts) and the imaging module's preprocessing. evaluate.ts and the
// model tests use it, so their figures describe what the app ships.

import { openClipModel } from '../../electron/core/clip/clip-model.js';
import type { ClipTokenizer } from '../../electron/core/clip/tokenizer.js';
import type { PreprocessConfig } from '../../electron/core/imaging/preprocess-config.js';
import { toModelTensor } from './pixels.js';

export interface OnnxClip {
  dim: number;
  tokenizer: ClipTokenizer;
  preprocess: PreprocessConfig;
  /** Encoded images (JPEG/PNG …) → [n, dim] row-major, L2-normalised. */
  embedImages(images: Buffer[]): Promise<Float32Array>;
  /** Texts → [n, dim] row-major, L2-normalised. */
  embedTexts(texts: string[]): Promise<Float32Array>;
  release(): Promise<void>;
}

function stack(rows: Float32Array[], dim: number): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => out.set(r, i * dim));
  return out;
}

export async function loadOnnxClip(modelDir: string, concurrency = 4): Promise<OnnxClip> {
  const model = await openClipModel(modelDir, { threads: 2, imageBatchSize: 64, textBatchSize: 256 });
  const preprocess = model.folder.preprocess;
  const dim = model.folder.embedDim;
  // The text encoder holds the tokenizer the app uses; tests read ids through it.
  const { loadClipTokenizer } = await import('../../electron/core/clip/tokenizer.js');
  const tokenizer = await loadClipTokenizer(model.folder.files, model.folder.contextLength, { clean: model.folder.textClean });
  return {
    dim,
    tokenizer,
    preprocess,
    async embedImages(images) {
      const tensors: Float32Array[] = new Array<Float32Array>(images.length);
      let next = 0;
      // Several decodes in flight: sharp works on libuv threads.
      await Promise.all(
        Array.from({ length: Math.min(concurrency, images.length) }, async () => {
          while (next < images.length) {
            const i = next++;
            tensors[i] = await toModelTensor(images[i] as Buffer, preprocess);
          }
        }),
      );
      return stack(await model.image.encode(tensors), dim);
    },
    async embedTexts(texts) {
      return stack(await (await model.text()).encode(texts), dim);
    },
    release: () => model.close(),
  };
}
