// Container-level facts read straight from a file's bytes, for clearer errors where a decoder
// only says "failed": which image container the bytes claim to be, and whether that container
// is visibly cut short (a copy or download that stopped early). Only consulted after a decode
// failed: libvips' own "premature end" message can be lost when several decodes fail at once
// (it then says "Unknown error"), so the bytes are the reliable witness.

export type Container = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'isobmff';

function ascii(bytes: Buffer, start: number, end: number): string {
  return bytes.subarray(start, end).toString('latin1');
}

/** The container named by the file's signature, or null when it has no image signature. */
export function containerOf(bytes: Buffer): Container | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (ascii(bytes, 0, 4) === 'GIF8') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*') return 'tiff';
  if (ascii(bytes, 4, 8) === 'ftyp') return 'isobmff'; // HEIC, AVIF
  return null;
}

// ISO base media (HEIC/AVIF): top-level boxes are [size u32][type][…]; size 1 means a 64-bit
// size follows, 0 means "to the end of the file".
function isobmffCutShort(bytes: Buffer): boolean {
  let pos = 0;
  while (pos + 8 <= bytes.length) {
    let size = bytes.readUInt32BE(pos);
    if (size === 1) {
      if (pos + 16 > bytes.length) return true;
      size = Number(bytes.readBigUInt64BE(pos + 8));
    } else if (size === 0) {
      return false;
    }
    if (size < 8) return false; // malformed rather than short
    pos += size;
  }
  return pos > bytes.length;
}

/** True when the container's own structure says bytes are missing at the end. */
export function isCutShort(bytes: Buffer, container: Container): boolean {
  switch (container) {
    case 'png': // ends with the empty IEND chunk: length 0, "IEND", CRC
      return bytes.length < 12 || bytes.readUInt32BE(bytes.length - 12) !== 0 || ascii(bytes, bytes.length - 8, bytes.length - 4) !== 'IEND';
    case 'webp': // RIFF size counts everything after the first 8 bytes
      return bytes.length >= 8 && bytes.readUInt32LE(4) + 8 > bytes.length;
    case 'tiff': {
      // The first directory, often written last, must lie inside the file.
      if (bytes.length < 8) return true;
      const offset = bytes[0] === 0x49 ? bytes.readUInt32LE(4) : bytes.readUInt32BE(4);
      return offset + 2 > bytes.length;
    }
    case 'isobmff':
      return isobmffCutShort(bytes);
    case 'jpeg':
      return jpegCutShort(bytes);
    case 'gif': // ends with the trailer byte 0x3B
      return !endsWith(bytes, [0x3b]);
  }
}

// JPEG: marker segments [FF xx][u16 length] from SOI up to the start of scan (FF DA); a file
// whose headers are intact up to the scan but which lacks the closing EOI (FF D9) stopped early.
// Garbage after the signature fails the segment walk and counts as corrupt, not cut short.
function jpegCutShort(bytes: Buffer): boolean {
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) return false;
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    if (marker === 0xda) return !endsWith(bytes, [0xff, 0xd9]);
    pos += 2 + bytes.readUInt16BE(pos + 2);
  }
  return pos > bytes.length; // cut inside the headers
}

function endsWith(bytes: Buffer, tail: readonly number[]): boolean {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  if (end < tail.length) return false;
  return tail.every((b, i) => bytes[end - tail.length + i] === b);
}
