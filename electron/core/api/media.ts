// Which file may be shown for a media request: the one place that turns a photo id (or a
// root-relative path) into a file on disk for the UI. The HTTP server (/media/…) and Electron's
// shoebox-media:// protocol both call it, so both refuse the same things: ids that are not
// photos, paths with `..` or encoded separators, hidden or non-photo files that indexing would
// skip, and anything whose real path (symlinks resolved) lies outside the library folders or the
// thumbnail cache.
// resolve* answer a checked real path (what the core host sends to Electron's main process);
// open* open that path and verify the descriptor (library/open-inside.ts), which is what a server
// in this process must stream from: a path checked and then opened by name is a race.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { MediaFile, MediaKind } from '../../common/media.js';
import type { Shoebox } from '../shoebox.js';
import { readError } from '../imaging/errors.js';
import { photoMimeType } from '../imaging/formats.js';
import { openVerified, type OpenedFile } from '../library/open-inside.js';
import { isInside, resolveInsideRoots } from '../library/roots.js';
import { isPhotoName, isSkippedName } from '../library/walk.js';

/**
 * Why a photo's original cannot be shown, as the UI tells a person: the file is gone from disk
 * (moved or deleted since indexing), or it is there but cannot be read or decoded.
 */
export type OriginalProblem = 'missing' | 'unreadable';

export interface OriginalDiagnosis {
  problem: OriginalProblem;
  /** The photo's path as indexed, to name it in the message. */
  path: string;
  /** Why, for a person: "file not found", "image data is corrupt", … */
  reason: string;
}

/** An opened, verified media file: stream from `handle` (and close it), never reopen `path`. */
export interface OpenedMedia extends OpenedFile {
  mime: string;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The real path of `file` when it lies inside `folder` (also resolved), else null. */
async function resolveInsideFolder(file: string, folder: string): Promise<string | null> {
  try {
    const [realFile, realFolder] = await Promise.all([realpath(file), realpath(folder)]);
    return isInside(realFile, realFolder) ? realFile : null;
  } catch {
    return null;
  }
}

function rootPaths(core: Shoebox): string[] {
  return core.store.roots.list().map((r) => r.path);
}

/**
 * The file for a photo's thumbnail or original, or null when the photo does not exist, has no
 * such file, or the file's real path is outside where it may be (thumbnail cache / library roots).
 */
export async function resolveMedia(core: Shoebox, kind: MediaKind, photoId: number): Promise<MediaFile | null> {
  if (!Number.isSafeInteger(photoId) || photoId <= 0) return null;
  const photo = core.store.photos.getById(photoId);
  if (!photo) return null;
  if (kind === 'thumb') {
    if (!photo.thumbPath) return null;
    const file = await resolveInsideFolder(photo.thumbPath, core.paths.thumbnails);
    return file && (await isFile(file)) ? { file, mime: 'image/webp' } : null;
  }
  const file = await resolveInsideRoots(photo.path, rootPaths(core));
  const mime = file && photoMimeType(file);
  return file && mime && (await isFile(file)) ? { file, mime } : null;
}

/**
 * What is wrong on disk with a photo's original, from one stat (cheap enough for every failed
 * media request): missing, or not a readable file. Null when the photo is unknown or its file is
 * there; whether its content decodes is checkOriginal's question (api/originals.ts).
 */
export async function originalProblem(core: Shoebox, photoId: number): Promise<OriginalDiagnosis | null> {
  const photo = core.store.photos.getById(photoId);
  if (!photo) return null;
  try {
    if ((await stat(photo.path)).isFile()) return null;
    return { problem: 'unreadable', path: photo.path, reason: 'this is a folder, not a file' };
  } catch (err) {
    // ENOTDIR: a folder on the way was replaced by a file, which also means the photo is gone.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { problem: 'missing', path: photo.path, reason: 'file not found' };
    return { problem: 'unreadable', path: photo.path, reason: readError(photo.path, err).reason };
  }
}

// Percent-encodings that could smuggle a separator, a dot segment, NUL or a second decoding pass.
const DANGEROUS_ENCODING = /%(?:2e|2f|5c|25|00)/i;

/**
 * A path-style request, `<rootId>/<path inside that root>` with each segment percent-encoded
 * once (as in a URL), resolved to a photo file inside that root. Null for anything else: dot
 * segments, encoded dots/slashes/backslashes/percent signs (double encoding), NUL, malformed
 * encodings, hidden or system names (files or folders, as library/walk.ts skips them), files that
 * are not photo types, and symlinks that lead out of the root.
 */
export async function resolveMediaPath(core: Shoebox, requestedPath: string): Promise<MediaFile | null> {
  if (requestedPath.includes('\0') || requestedPath.includes('\\') || DANGEROUS_ENCODING.test(requestedPath)) return null;
  const [rootSegment, ...rawSegments] = requestedPath.split('/');
  if (!rootSegment || !/^[1-9]\d{0,15}$/.test(rootSegment) || rawSegments.length === 0) return null;
  const root = core.store.roots.get(Number(rootSegment));
  if (!root) return null;
  const segments: string[] = [];
  for (const raw of rawSegments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '' || segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) return null;
    // Only what indexing would take: the walker skips hidden and system files and folders.
    if (isSkippedName(segment)) return null;
    segments.push(segment);
  }
  if (!isPhotoName(segments[segments.length - 1]!)) return null;
  // Only this root, and its real path: a symlink to a folder elsewhere resolves outside and is refused.
  const file = await resolveInsideRoots(path.join(root.path, ...segments), [root.path]);
  // The type comes from the real file, so a photo-named link to another kind of file is refused.
  const mime = file && photoMimeType(file);
  return file && mime && (await isFile(file)) ? { file, mime } : null;
}

async function openResolved(media: MediaFile | null): Promise<OpenedMedia | null> {
  const opened = media && (await openVerified(media.file));
  return opened && media ? { ...opened, mime: media.mime } : null;
}

/** resolveMedia, then the file opened and verified to be the one checked (see library/open-inside.ts). */
export async function openMedia(core: Shoebox, kind: MediaKind, photoId: number): Promise<OpenedMedia | null> {
  return openResolved(await resolveMedia(core, kind, photoId));
}

/** resolveMediaPath, then the file opened and verified to be the one checked (see library/open-inside.ts). */
export async function openMediaPath(core: Shoebox, requestedPath: string): Promise<OpenedMedia | null> {
  return openResolved(await resolveMediaPath(core, requestedPath));
}
