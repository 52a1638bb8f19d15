// Content hashes (sha256, hex) that recognise a file after it was moved or renamed.
// The indexer hashes the bytes it already read for decoding (hashBytes); the scanner streams
// a file only when it might be a moved one (hashFile).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function hashFile(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(file, { highWaterMark: 1 << 20, signal });
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
