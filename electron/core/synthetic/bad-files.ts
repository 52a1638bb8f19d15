// Broken files for the demo library, so scanning and decoding are exercised on what real photo
// folders contain: an empty file, a cut-off JPEG, text with a .jpg name, and a tiny PNG whose
// header declares 30000×30000 pixels (a decompression bomb: a decoder that trusts the header
// would allocate 2.7 GB).

import { crc32, deflateSync } from 'node:zlib';

export type BadFileKind = 'empty' | 'truncated' | 'not-an-image' | 'decompression-bomb';

/** PNG chunk: length, type, data, CRC-32 of type + data (PNG spec, section 5.3). */
function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A well-formed PNG header declaring width × height RGB pixels, followed by one row of data. */
export function decompressionBombPng(width = 30000, height = width): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  // compression, filter, interlace: 0
  const firstRow = deflateSync(Buffer.alloc(1 + width * 3));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', firstRow),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The first 40% of a real JPEG: a valid start, no end-of-image marker. */
export function truncate(jpeg: Buffer): Buffer {
  return Buffer.from(jpeg.subarray(0, Math.floor(jpeg.length * 0.4)));
}

export const NOT_AN_IMAGE_TEXT = 'This is a text file that only has a photo\'s name.\n';
