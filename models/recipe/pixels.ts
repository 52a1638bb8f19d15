// The model-input pixels of one encoded image, produced by the app's own preprocessing
// (electron/core/imaging preparePhoto: one shrink-on-load decode, shortest side resized with the
// model's kernel, centre crop, normalised). Training stores them as uint8 RGB HWC (the exact
// 8-bit values before normalisation, recovered by inverting it), so the model trains on the
// pixels the app will feed it.

import { preparePhoto } from '../../electron/core/imaging/decode.js';
import { parsePreprocessConfig, type PreprocessConfig } from '../../electron/core/imaging/preprocess-config.js';

export function clipPreprocessConfig(size: number, mean: readonly number[], std: readonly number[]): PreprocessConfig {
  return parsePreprocessConfig(
    { size: [size, size], mode: 'RGB', mean, std, interpolation: 'bicubic', resize_mode: 'shortest', fill_color: 0 },
    'models/recipe (training preprocessing)',
  );
}

/** Normalised CHW float32, exactly as the app computes it for `cfg`. */
export async function toModelTensor(encoded: Buffer, cfg: PreprocessConfig): Promise<Float32Array> {
  return (await preparePhoto('synthetic scene', cfg, { bytes: encoded })).pixels;
}

/** The same pixels as uint8 RGB HWC (size × size × 3). */
export async function toModelPixels(encoded: Buffer, cfg: PreprocessConfig): Promise<Buffer> {
  const chw = await toModelTensor(encoded, cfg);
  const plane = chw.length / 3;
  const out = Buffer.alloc(chw.length);
  for (let c = 0; c < 3; c++) {
    const m = cfg.mean[c] as number;
    const s = cfg.std[c] as number;
    for (let i = 0; i < plane; i++) {
      out[i * 3 + c] = Math.min(255, Math.max(0, Math.round(((chw[c * plane + i] as number) * s + m) * 255)));
    }
  }
  return out;
}
