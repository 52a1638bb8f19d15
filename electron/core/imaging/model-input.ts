// Turns the decoded RGB pixels into the CLIP image encoder's input: resize per the model's
// resize_mode, centre-crop or pad, scale to [0, 1], normalise by mean/std, lay out CHW float32.

import sharp, { type KernelEnum, type Sharp } from 'sharp';
import type { ModelGeometry } from './geometry.js';
import type { Interpolation, PreprocessConfig } from './preprocess-config.js';
import { resizeLikePil } from './resample.js';

/** 8-bit sRGB, 3 channels, rows top to bottom: the one decode's output. */
export interface RawRgb {
  data: Buffer;
  width: number;
  height: number;
}

// sharp's cubic is Catmull-Rom (a = -0.5), the same kernel as PIL's BICUBIC, which
// torchvision uses on PIL images; both widen the kernel when shrinking (antialiasing).
const KERNELS: Record<Interpolation, keyof KernelEnum> = {
  bicubic: 'cubic',
  bilinear: 'linear',
  nearest: 'nearest',
};

export function rawInput(img: RawRgb): Sharp {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } });
}

/** The model input as a CHW Float32Array of 3 × height × width. */
export async function modelTensor(img: RawRgb, geo: ModelGeometry, cfg: PreprocessConfig): Promise<Float32Array> {
  let pipeline: Sharp;
  if (geo.resize.width > img.width || geo.resize.height > img.height) {
    // Enlarging: PIL's pixel alignment, which sharp does not share (resample.ts).
    pipeline = rawInput(resizeLikePil(img, geo.resize.width, geo.resize.height, cfg.interpolation));
  } else {
    pipeline = rawInput(img);
    if (img.width !== geo.resize.width || img.height !== geo.resize.height) {
      pipeline = pipeline.resize(geo.resize.width, geo.resize.height, { fit: 'fill', kernel: KERNELS[cfg.interpolation] });
    }
  }
  if (geo.crop) pipeline = pipeline.extract(geo.crop);
  if (geo.pad) {
    const v = cfg.fill_color ?? 0;
    pipeline = pipeline.extend({ ...geo.pad, background: { r: v, g: v, b: v } });
  }
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  const { width, height } = geo.target;
  if (info.width !== width || info.height !== height || info.channels !== 3) {
    throw new Error(`model input came out ${info.width}×${info.height}×${info.channels}, expected ${width}×${height}×3`);
  }
  return normalise(data, width * height, cfg);
}

// x / 255 then (x - mean) / std, folded into one multiply-add per value.
function normalise(hwc: Buffer, plane: number, cfg: PreprocessConfig): Float32Array {
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const scale = 1 / (255 * cfg.std[c]!);
    const offset = -cfg.mean[c]! / cfg.std[c]!;
    const base = c * plane;
    for (let i = 0; i < plane; i++) out[base + i] = hwc[i * 3 + c]! * scale + offset;
  }
  return out;
}
