// The viewer's question when a photo's original did not show: why not? The file may be gone
// from disk (moved or deleted since it was indexed), unreadable (permissions, a folder in its
// place), or its content may not decode (corrupt, cut short, not an image). A browser's <img>
// only says "error", so the viewer asks here and tells the person what happened and what to do.
// The answer comes from the file itself: the disk first (api/media.ts, originalProblem, which the
// media route also answers with), then the content decoded the way indexing decodes it.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { z } from 'zod';
import type { Shoebox } from '../shoebox.js';
import { decodeError, ImageDecodeError, readError } from '../imaging/errors.js';
import { inspectPhoto, MAX_INPUT_PIXELS } from '../imaging/inspect.js';
import { resolveInsideRoots } from '../library/roots.js';
import { ApiError, defineOperation } from './define.js';
import { originalProblem, type OriginalDiagnosis } from './media.js';
import { id } from './schemas.js';

/** The photo's original is fine (problem null), or what is wrong with it. */
export type OriginalCheck = OriginalDiagnosis | { problem: null; path: string; reason: null };

/** Small enough to be quick, while still decoding every byte of the image data. */
const CHECK_SIZE = 64;

async function contentProblem(file: string): Promise<ImageDecodeError | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    return readError(file, err);
  }
  try {
    const header = await inspectPhoto(file, bytes);
    // HEVC-coded HEIC decodes only in the HEIC worker; its header is as far as a check goes.
    if (header.needsHeicDecoder) return null;
    // failOn 'error', as indexing: a cut-off file fails, harmless decoder warnings do not.
    await sharp(bytes, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS }).resize(CHECK_SIZE, CHECK_SIZE, { fit: 'inside' }).raw().toBuffer();
    return null;
  } catch (err) {
    return err instanceof ImageDecodeError ? err : decodeError(file, bytes, err);
  }
}

/** Why the original of `photoId` cannot be shown, or problem null when it reads and decodes. */
export async function checkOriginal(core: Shoebox, photoId: number): Promise<OriginalCheck> {
  const photo = core.store.photos.getById(photoId);
  if (!photo) throw new ApiError('not-found', `No photo with id ${photoId}.`);
  const onDisk = await originalProblem(core, photoId);
  if (onDisk) return onDisk;
  // Only files inside the library folders are read, as for showing them.
  const file = await resolveInsideRoots(photo.path, core.store.roots.list().map((r) => r.path));
  if (!file) return { problem: 'unreadable', path: photo.path, reason: 'it now leads outside the library folders' };
  const problem = await contentProblem(file);
  return problem ? { problem: 'unreadable', path: photo.path, reason: problem.reason } : { problem: null, path: photo.path, reason: null };
}

export const originalOperations = {
  'photos.checkOriginal': defineOperation({
    summary: "Why a photo's original cannot be shown: missing from disk, or unreadable (with the reason)",
    input: z.object({ id }).strict(),
    run: (core, input) => checkOriginal(core, input.id),
  }),
};
