// Pixel geometry of the preprocessing, as pure arithmetic: the model input's resize, crop and
// padding (open_clip's eval transform, integer for integer), the thumbnail's size, and the
// size of the one intermediate decode both are made from.

import type { PreprocessConfig } from './preprocess-config.js';

export interface Size {
  width: number;
  height: number;
}

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Padding {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Resize the (oriented) photo to `resize`, then crop or pad to the model's input size. */
export interface ModelGeometry {
  target: Size;
  resize: Size;
  crop: Rect | null;
  pad: Padding | null;
}

/** The model input's size; a [h, w] pair is in open_clip's order. */
function modelInputSize(cfg: PreprocessConfig): Size {
  return typeof cfg.size === 'number'
    ? { width: cfg.size, height: cfg.size }
    : { width: cfg.size[1], height: cfg.size[0] };
}

/** Python's round(): halves go to the even neighbour (used by open_clip and torchvision). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// torchvision CenterCrop: offset = int(round((have - want) / 2)).
function centreCrop(have: Size, want: Size): Rect {
  return {
    left: roundHalfEven((have.width - want.width) / 2),
    top: roundHalfEven((have.height - want.height) / 2),
    width: want.width,
    height: want.height,
  };
}

// open_clip ResizeKeepRatio: ratio = the larger (longest) or smaller (shortest) of the two
// source/target ratios; each side becomes round(side / ratio).
function keepRatio(src: Size, target: Size, longest: boolean): Size {
  const rw = src.width / target.width;
  const rh = src.height / target.height;
  const ratio = longest ? Math.max(rw, rh) : Math.min(rw, rh);
  return {
    width: Math.max(1, roundHalfEven(src.width / ratio)),
    height: Math.max(1, roundHalfEven(src.height / ratio)),
  };
}

export function modelGeometry(src: Size, cfg: PreprocessConfig): ModelGeometry {
  const target = modelInputSize(cfg);
  switch (cfg.resize_mode) {
    case 'squash':
      return { target, resize: target, crop: null, pad: null };
    case 'longest': {
      // Fits inside, so only padding is needed: open_clip CenterCropOrPad puts the odd pixel
      // on the right/bottom.
      const resize = keepRatio(src, target, true);
      const dw = target.width - resize.width;
      const dh = target.height - resize.height;
      const pad = { left: Math.floor(dw / 2), top: Math.floor(dh / 2), right: Math.ceil(dw / 2), bottom: Math.ceil(dh / 2) };
      return { target, resize, crop: null, pad: dw > 0 || dh > 0 ? pad : null };
    }
    case 'shortest': {
      let resize: Size;
      if (target.width === target.height) {
        // torchvision Resize(int): short side = size, long side = int(size * long / short).
        const s = target.width;
        resize =
          src.width <= src.height
            ? { width: s, height: Math.trunc((s * src.height) / src.width) }
            : { width: Math.trunc((s * src.width) / src.height), height: s };
      } else {
        resize = keepRatio(src, target, false);
      }
      const crop = centreCrop(resize, target);
      const isWhole = resize.width === target.width && resize.height === target.height;
      return { target, resize, crop: isWhole ? null : crop, pad: null };
    }
  }
}

/** Fits inside a square of `longSide`, never enlarged. */
export function thumbnailSize(src: Size, longSide: number): Size {
  const scale = Math.min(1, longSide / Math.max(src.width, src.height));
  return {
    width: Math.max(1, Math.round(src.width * scale)),
    height: Math.max(1, Math.round(src.height * scale)),
  };
}

/**
 * The one decode's size: big enough that neither the thumbnail nor the model input is ever
 * enlarged from it, times `oversample` so the final resize still has pixels to filter
 * (see decode.ts for the measured choice), and never larger than the photo itself.
 */
export function intermediateSize(src: Size, thumb: Size, model: ModelGeometry, oversample: number): Size {
  const needed = Math.max(
    thumb.width / src.width,
    thumb.height / src.height,
    model.resize.width / src.width,
    model.resize.height / src.height,
  );
  const scale = needed * oversample;
  if (scale >= 1) return src;
  return {
    width: Math.max(1, Math.round(src.width * scale)),
    height: Math.max(1, Math.round(src.height * scale)),
  };
}
