// Looks at a photo's header (no pixels are decoded) to decide whether and how to decode it:
// an allowed format, a size under the pixel limit, its upright dimensions, and whether it
// needs the HEIC fallback decoder.

import sharp, { type Metadata } from 'sharp';
import { ImageDecodeError, decodeError } from './errors.js';

/**
 * 120 MP: above every common camera (100–102 MP medium format: Fujifilm GFX100, Hasselblad
 * X2D) and phone panoramas, below what a crafted file needs to hurt. sharp's default
 * (268 MP) lets a 15000² bomb through. Most files stream through libvips (a 120 MP plain PNG:
 * +66 MB peak RSS, measured), but some must be held whole: an interlaced 120 MP PNG took
 * +400 MB, HEIC via heic-decode 4 bytes a pixel (480 MB). That is tolerable for one photo at
 * a time, not for a larger limit times several in flight. A 150 MP Phase One file is refused.
 */
export const MAX_INPUT_PIXELS = 120_000_000;

/** Formats Shoebox treats as photos (sharp can read more, e.g. SVG, which is not one). */
const PHOTO_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif']);

export interface PhotoHeader {
  /** jpeg, png, webp, gif, tiff, avif or heic. */
  format: string;
  /** After EXIF orientation. */
  width: number;
  height: number;
  /** HEVC-coded HEIF, which the prebuilt libvips cannot decode (see heic.ts). */
  needsHeicDecoder: boolean;
}

function megapixels(pixels: number): string {
  return `${Math.round(pixels / 1e6)} MP`;
}

export async function inspectPhoto(file: string, bytes: Buffer): Promise<PhotoHeader> {
  if (bytes.length === 0) throw new ImageDecodeError(file, 'empty', 'file is empty');
  let meta: Metadata;
  try {
    // No limit on reading the header: the limit is applied below, with the size in the message.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw decodeError(file, bytes, err);
  }
  const format = meta.format;
  if (!PHOTO_FORMATS.has(format)) {
    throw new ImageDecodeError(file, 'unsupported', `${format.toUpperCase()} images are not supported`);
  }
  // For multi-page files (GIF, TIFF) `height` is one page: only the first page is decoded.
  const pixels = meta.width * meta.height;
  if (pixels > MAX_INPUT_PIXELS) {
    throw new ImageDecodeError(
      file,
      'too-large',
      `image too large: ${meta.width}×${meta.height} pixels exceeds the ${megapixels(MAX_INPUT_PIXELS)} limit`,
    );
  }
  const isHevc = format === 'heif' && meta.compression === 'hevc';
  return {
    format: format === 'heif' ? (isHevc ? 'heic' : 'avif') : format,
    width: meta.autoOrient.width,
    height: meta.autoOrient.height,
    needsHeicDecoder: isHevc,
  };
}
