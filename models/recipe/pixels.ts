// The model-input pixels of one encoded image for training: CLIP's geometry (shortest side resized to
// `size` with a bicubic kernel, centre crop) as uint8 RGB HWC. Normalisation happens in train.py.
// Same sharp call as the app's CLIP preprocessing, so training sees the pixels the app produces.

import sharp from 'sharp';

export async function toModelPixels(encoded: Buffer, size: number): Promise<Buffer> {
  return sharp(encoded)
    .rotate()
    .resize(size, size, { fit: 'cover', position: 'centre', kernel: 'cubic' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer();
}
