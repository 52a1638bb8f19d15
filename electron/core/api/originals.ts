// The viewer's question when a photo's original did not show: why not? The file may be gone
// from disk (moved or deleted since it was indexed), unreadable (permissions, a folder in its
// place), or its content may not decode (corrupt, cut short, not an image). A browser's <img>
// only says "error", so the viewer asks here and tells the person what happened and what to do.
// The answer comes from the file itself: the disk first (api/media.ts, originalProblem, which the
// media route also answers with), then the content: decoded the way indexing decodes it for the
// formats browsers draw, only its first bytes for the rest (BROWSER_DRAWN).
import path from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import type { Shoebox } from '../shoebox.js';
import { containerOf } from '../imaging/container.js';
import { decodeError, ImageDecodeError, readError } from '../imaging/errors.js';
import { inspectPhoto, MAX_INPUT_PIXELS } from '../imaging/inspect.js';
import { openVerified, type OpenedFile } from '../library/open-inside.js';
import { resolveInsideRoots } from '../library/roots.js';
import { ApiError, defineOperation } from './define.js';
import { originalProblem, type OriginalDiagnosis } from './media.js';
import { id } from './schemas.js';

/** The photo's original is fine (problem null), or what is wrong with it. */
export type OriginalCheck = OriginalDiagnosis | { problem: null; path: string; reason: null };

/** Small enough to be quick, while still decoding every byte of the image data. */
const CHECK_SIZE = 64;

/**
 * Formats every browser draws, by extension: when one of these did not show, something is wrong
 * with its content and it is decoded to say what. Any other (HEIC, TIFF) does not show anyway:
 * only its first bytes are read, so a viewer asking for each one costs a small read, not a decode.
 */
const BROWSER_DRAWN = new Set(['.jpg', '.jpeg', '.jpe', '.png', '.webp', '.gif', '.avif']);
/** Read from the start of a file not decoded: enough for its signature and to tell text from an image. */
const SIGNATURE_BYTES = 512;

/** What is wrong with the content of `opened` (read from its verified descriptor only), or null. */
async function contentProblem(opened: OpenedFile): Promise<ImageDecodeError | null> {
  const file = opened.path;
  if (opened.size === 0) return new ImageDecodeError(file, 'empty', 'file is empty');
  let bytes: Buffer;
  try {
    if (!BROWSER_DRAWN.has(path.extname(file).toLowerCase())) {
      const { buffer, bytesRead } = await opened.handle.read(Buffer.alloc(SIGNATURE_BYTES), 0, SIGNATURE_BYTES, 0);
      const head = buffer.subarray(0, bytesRead);
      return containerOf(head) ? null : decodeError(file, head, new Error('unsupported image format'));
    }
    bytes = await opened.handle.readFile();
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
  // Only files inside the library folders are read, as for showing them, and from the opened descriptor.
  const file = await resolveInsideRoots(photo.path, core.store.roots.list().map((r) => r.path));
  if (!file) return { problem: 'unreadable', path: photo.path, reason: 'its path no longer leads to a file inside the library folders' };
  const opened = await openVerified(file);
  if (!opened) return { problem: 'unreadable', path: photo.path, reason: 'the file could not be opened' };
  try {
    const problem = await contentProblem(opened);
    return problem ? { problem: 'unreadable', path: photo.path, reason: problem.reason } : { problem: null, path: photo.path, reason: null };
  } finally {
    await opened.handle.close();
  }
}

export const originalOperations = {
  'photos.checkOriginal': defineOperation({
    summary: "Why a photo's original cannot be shown: missing from disk, or unreadable (with the reason)",
    input: z.object({ id }).strict(),
    run: (core, input) => checkOriginal(core, input.id),
  }),
};
