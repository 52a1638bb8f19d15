// Embedding vectors <-> BLOBs: float32, little-endian, as stored in embeddings.vector.
// On little-endian hosts (every platform Shoebox ships for) both directions are views, not copies,
// when the bytes are 4-byte aligned; otherwise they copy through a DataView.
import { endianness } from 'node:os';

export const HOST_IS_LITTLE_ENDIAN = endianness() === 'LE';

/** The vector's bytes as a Buffer. Shares memory with `v` on little-endian hosts. */
export function encodeVector(v: Float32Array): Buffer {
  if (HOST_IS_LITTLE_ENDIAN) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  const out = Buffer.allocUnsafe(v.length * 4);
  for (let i = 0; i < v.length; i++) out.writeFloatLE(v[i]!, i * 4);
  return out;
}

/** A Float32Array over the BLOB's bytes; a view when aligned on a little-endian host. */
export function decodeVector(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new Error(`Embedding BLOB of ${bytes.byteLength} bytes is not a whole number of float32 values`);
  const n = bytes.byteLength / 4;
  if (HOST_IS_LITTLE_ENDIAN) {
    if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, n);
    return new Float32Array(bytes.slice().buffer, 0, n);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
