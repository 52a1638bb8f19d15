// Content hashes (sha256, hex) that recognise a file after it was moved or renamed.
// The indexer hashes the bytes it already read for decoding (hashBytes); the scanner streams
// a file only when it might be a moved one (hashFile).
import { createHash, webcrypto } from 'node:crypto';
import { createReadStream } from 'node:fs';

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * hashBytes on libuv's thread pool (WebCrypto's digest runs there), so the indexer's main thread,
 * which feeds the image tower, never spends the ~3 ms per MB of a camera file on it.
 */
export async function hashBytesOffThread(bytes: Uint8Array): Promise<string> {
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');
}

export async function hashFile(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(file, { highWaterMark: 1 << 20, signal });
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
