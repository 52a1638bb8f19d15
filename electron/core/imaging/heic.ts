// HEVC-coded HEIC (iPhone photos): sharp's prebuilt libvips reads their headers but has no
// HEVC decoder (patents; "Support for this compression format has not been built in"), while
// AV1-coded AVIF decodes natively. For these files only, libheif compiled to WebAssembly
// (heic-decode) produces RGBA that sharp then takes as raw input.
//
// libheif applies the file's own rotation/mirroring (irot/imir) while decoding, which is how
// HEIF is meant to be displayed (EXIF orientation is not to be applied on top), so the pixels
// come out upright. The work is synchronous WebAssembly on the calling thread: decode HEIC in
// a worker when the main thread must stay responsive.

import decodeHeicBuffer from 'heic-decode';

export interface RgbaImage {
  data: Buffer;
  width: number;
  height: number;
}

export async function decodeHeic(bytes: Buffer): Promise<RgbaImage> {
  const { width, height, data } = await decodeHeicBuffer({ buffer: bytes });
  return { width, height, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
}
