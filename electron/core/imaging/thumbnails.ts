// The on-disk thumbnail cache: one WebP per photo content hash, in sharded folders (two hex
// levels, 65 536 folders, so no folder grows huge), written atomically so a crash or a
// concurrent reader never sees half a file.

import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

// A content hash is hex (sha-256 or similar); anything else could escape the cache folder.
const HASH = /^[0-9a-f]{8,128}$/;

export function thumbnailPath(cacheDir: string, contentHash: string): string {
  if (!HASH.test(contentHash)) {
    throw new Error(`Invalid content hash for a thumbnail: ${JSON.stringify(contentHash)} (expected lowercase hex)`);
  }
  return path.join(cacheDir, contentHash.slice(0, 2), contentHash.slice(2, 4), `${contentHash}.webp`);
}

/** Writes the thumbnail (temp file in the same folder, then rename) and returns its path. */
export async function writeThumbnail(cacheDir: string, contentHash: string, buf: Buffer): Promise<string> {
  const target = thumbnailPath(cacheDir, contentHash);
  // Same folder, so the rename is atomic; a unique name, so concurrent writers don't collide.
  // No fsync: after a power cut a thumbnail may be lost or empty, and it is remade from the photo.
  const temp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(temp, buf, { flag: 'wx' });
    await rename(temp, target);
  } catch (err) {
    // Best effort: the original error is the one worth reporting.
    await rm(temp, { force: true }).catch(() => undefined);
    throw new Error(`Cannot write thumbnail ${target}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return target;
}
