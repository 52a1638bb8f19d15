// The on-disk thumbnail cache: one WebP per photo content hash, in sharded folders (two hex
// levels, 65 536 folders, so no folder grows huge), written atomically so a crash or a
// concurrent reader never sees half a file.
//
// Temp files go to one folder, `<cache>/.tmp`, not beside each thumbnail: a kill -9 between the
// write and the rename leaves one there, and start-up removes those of dead processes by reading
// that one folder instead of walking 65 536.

import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { processIsAlive } from '../process-alive.js';
import { errorMessage } from '../../common/error-message.js';

const TEMP_FOLDER = '.tmp';
// <hash>.<pid>.<random>.tmp: the writer's pid tells whether it may still be writing.
const TEMP_NAME = /^[0-9a-f]{8,128}\.(\d+)\.[0-9a-f]+\.tmp$/;
// A temp file lives for milliseconds; one this old is stale even if its pid was reused.
const STALE_AFTER_MS = 60 * 60 * 1000;

// A content hash is hex (sha-256 or similar); anything else could escape the cache folder.
const HASH = /^[0-9a-f]{8,128}$/;

export function thumbnailPath(cacheDir: string, contentHash: string): string {
  if (!HASH.test(contentHash)) {
    throw new Error(`Invalid content hash for a thumbnail: ${JSON.stringify(contentHash)} (expected lowercase hex)`);
  }
  return path.join(cacheDir, contentHash.slice(0, 2), contentHash.slice(2, 4), `${contentHash}.webp`);
}

/** Writes the thumbnail (a temp file in <cache>/.tmp, then a rename into place) and returns its path. */
export async function writeThumbnail(cacheDir: string, contentHash: string, buf: Buffer): Promise<string> {
  const target = thumbnailPath(cacheDir, contentHash);
  // Same file system, so the rename is atomic; a unique name, so concurrent writers don't collide.
  // No fsync: after a power cut a thumbnail may be lost or empty, and it is remade from the photo.
  const tempDir = path.join(cacheDir, TEMP_FOLDER);
  const temp = path.join(tempDir, `${contentHash}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(path.dirname(target), { recursive: true });
    await mkdir(tempDir, { recursive: true });
    await writeFile(temp, buf, { flag: 'wx' });
    await rename(temp, target);
  } catch (err) {
    // Best effort: the original error is the one worth reporting.
    await rm(temp, { force: true }).catch(() => undefined);
    throw new Error(`Cannot write thumbnail ${target}: ${errorMessage(err)}`, { cause: err });
  }
  return target;
}

/**
 * Removes temp files that a killed process left in the cache (kill -9 between write and rename):
 * those of processes that no longer run, and any older than an hour. Reads only the temp folder,
 * so it is quick whatever the size of the cache. Returns how many were removed.
 */
export async function removeStaleTempFiles(cacheDir: string, now: number = Date.now()): Promise<number> {
  const tempDir = path.join(cacheDir, TEMP_FOLDER);
  let names: string[];
  try {
    names = await readdir(tempDir);
  } catch {
    return 0; // no temp folder yet: nothing was ever left
  }
  let removed = 0;
  for (const name of names) {
    const pid = TEMP_NAME.exec(name)?.[1];
    if (pid === undefined) continue; // not ours: leave it
    const file = path.join(tempDir, name);
    // Another live process (a second Shoebox on this data folder) may be about to rename it.
    if (processIsAlive(Number(pid))) {
      const age = await stat(file).then((s) => now - s.mtimeMs, () => 0);
      if (age < STALE_AFTER_MS) continue;
    }
    if (await rm(file, { force: true }).then(() => true, () => false)) removed++;
  }
  return removed;
}
