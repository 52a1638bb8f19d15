// Enlarging a small photo to the model's input size the way PIL does (Image.resize, which
// torchvision and open_clip call at training and evaluation time): a separable convolution whose
// output pixel x samples the source at (x + 0.5) · in/out, with the kernel widened only when
// shrinking, 8-bit fixed-point weights (22 fraction bits) and rounding to 8 bits after the
// horizontal pass and after the vertical one. libvips (sharp) aligns pixel centres differently
// when it enlarges: on a 200×300 photo with sharp edges that moved a real-architecture CLIP's
// embedding to cosine 0.946 of PyTorch's (measured with test/fixtures/clip-layouts). Photos that
// are shrunk keep sharp's resize, which matches PIL closely (cosine ≥ 0.9997 there).
// The algorithm follows PIL's documented behaviour (Pillow's libImaging/Resample.c).
import type { Interpolation } from './preprocess-config.js';
import type { RawRgb } from './model-input.js';

const PRECISION_BITS = 32 - 8 - 2;

/** Kernels and their support radius at scale 1, as PIL defines NEAREST, BILINEAR and BICUBIC (a = -0.5). */
const FILTERS: Record<Interpolation, { support: number; weight(x: number): number }> = {
  nearest: { support: 0.5, weight: (x) => (x >= -0.5 && x < 0.5 ? 1 : 0) },
  bilinear: { support: 1, weight: (x) => Math.max(0, 1 - Math.abs(x)) },
  bicubic: {
    support: 2,
    weight: (x) => {
      const a = -0.5;
      const t = Math.abs(x);
      if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
      return 0;
    },
  },
};

interface Taps {
  /** First source index of each output pixel. */
  start: Int32Array;
  /** Number of taps of each output pixel. */
  count: Int32Array;
  /** Fixed-point weights, `ksize` per output pixel. */
  weights: Int32Array;
  ksize: number;
}

function taps(inSize: number, outSize: number, interpolation: Interpolation): Taps {
  const filter = FILTERS[interpolation];
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filter.support * filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  for (let x = 0; x < outSize; x++) {
    const centre = (x + 0.5) * scale;
    const min = Math.max(0, Math.trunc(centre - support + 0.5));
    const max = Math.min(inSize, Math.trunc(centre + support + 0.5)) - min;
    let sum = 0;
    for (let i = 0; i < max; i++) {
      k[i] = filter.weight((i + min - centre + 0.5) / filterScale);
      sum += k[i]!;
    }
    for (let i = 0; i < max; i++) {
      const w = sum === 0 ? 0 : (k[i]! / sum) * (1 << PRECISION_BITS);
      // C's (int)(w ± 0.5): round half away from zero.
      weights[x * ksize + i] = w < 0 ? Math.trunc(w - 0.5) : Math.trunc(w + 0.5);
    }
    start[x] = min;
    count[x] = max;
  }
  return { start, count, weights, ksize };
}

function clip8(acc: number): number {
  const v = acc >> PRECISION_BITS;
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** One pass along rows (horizontal) or columns (vertical) of an RGB image. */
function pass(src: Uint8Array, width: number, height: number, t: Taps, horizontal: boolean, outLength: number): Uint8Array {
  const outWidth = horizontal ? outLength : width;
  const outHeight = horizontal ? height : outLength;
  const out = new Uint8Array(outWidth * outHeight * 3);
  const half = 1 << (PRECISION_BITS - 1);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const o = horizontal ? x : y;
      const first = t.start[o]!;
      const n = t.count[o]!;
      let r = half;
      let g = half;
      let b = half;
      for (let i = 0; i < n; i++) {
        const w = t.weights[o * t.ksize + i]!;
        const p = horizontal ? (y * width + first + i) * 3 : ((first + i) * width + x) * 3;
        r += src[p]! * w;
        g += src[p + 1]! * w;
        b += src[p + 2]! * w;
      }
      const q = (y * outWidth + x) * 3;
      out[q] = clip8(r);
      out[q + 1] = clip8(g);
      out[q + 2] = clip8(b);
    }
  }
  return out;
}

/** Resizes 8-bit RGB to width × height as PIL's Image.resize does (horizontal pass, then vertical). */
export function resizeLikePil(img: RawRgb, width: number, height: number, interpolation: Interpolation): RawRgb {
  let data: Uint8Array = img.data;
  let w = img.width;
  if (width !== img.width) {
    data = pass(data, img.width, img.height, taps(img.width, width, interpolation), true, width);
    w = width;
  }
  if (height !== img.height) data = pass(data, w, img.height, taps(img.height, height, interpolation), false, height);
  return { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), width, height };
}
