// Which file may be shown for a media request: the one place that turns a photo id (or a
// root-relative path) into a file on disk for the UI. The HTTP server (/media/…) and Electron's
// shoebox-media:// protocol both call it, so both refuse the same things: ids that are not
// photos, paths with `..` or encoded separators, hidden or non-photo files that indexing would
// skip, and anything whose real path (symlinks resolved) lies outside the library folders or the
// thumbnail cache.
// resolve* answer a checked real path (what the core host sends to Electron's main process);
// open* open that path and verify the descriptor (library/open-inside.ts), which is what a server
// in this process must stream from: a path checked and then opened by name is a race.
import { lstat, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { MediaFile, MediaKind } from '../../common/media.js';
import type { Shoebox } from '../shoebox.js';
import { readError } from '../imaging/errors.js';
import { photoMimeType } from '../imaging/formats.js';
import { openVerified, type OpenedFile } from '../library/open-inside.js';
import { isInside, isInsideRoots, resolveInsideRoots } from '../library/roots.js';
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
 * What is wrong on disk with a photo's original, from a stat or two (cheap enough for every failed
 * media request): missing, or not a readable file. Null when the photo is unknown, its file is
 * there, or its path now leads out of the library folders (a folder on it swapped for a link):
 * only what lies inside the folders is looked at and told, never whether a path outside exists.
 * Whether its content decodes is checkOriginal's question (api/originals.ts).
 */
export async function originalProblem(core: Shoebox, photoId: number): Promise<OriginalDiagnosis | null> {
  const photo = core.store.photos.getById(photoId);
  if (!photo) return null;
  const roots = rootPaths(core);
  const real = await resolveInsideRoots(photo.path, roots);
  const found = real === null ? await unresolvedProblem(photo.path, roots) : await problemAt(real, photo.path);
  // A verdict holds only while the path resolves as it did: a folder swapped meanwhile voids it.
  return found && (await resolveInsideRoots(photo.path, roots)) === real ? found : null;
}

function missing(file: string): OriginalDiagnosis {
  return { problem: 'missing', path: file, reason: 'file not found' };
}

/** What is wrong with `real`, a real path inside the roots (`shown` names it). */
async function problemAt(real: string, shown: string): Promise<OriginalDiagnosis | null> {
  try {
    if ((await stat(real)).isFile()) return null;
    return { problem: 'unreadable', path: shown, reason: 'this is a folder, not a file' };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? missing(shown) : { problem: 'unreadable', path: shown, reason: readError(shown, err).reason };
  }
}

/**
 * Why `file`, a stored photo path (real when indexed) that no longer resolves inside the roots,
 * cannot be opened, told only from inside them: its nearest folder that is still itself (no link
 * on the way) has no entry by the next name (missing), a file where a folder was (missing), or
 * refuses to be looked in. An entry there that is a link answers null, wherever it leads.
 */
async function unresolvedProblem(file: string, roots: readonly string[]): Promise<OriginalDiagnosis | null> {
  const root = roots.find((r) => isInside(file, r) && file !== r);
  if (!root) return null;
  for (let child = file, dir = path.dirname(file); isInsideRoots(dir, [root]); child = dir, dir = path.dirname(dir)) {
    const real = await realpath(dir).catch(() => null);
    if (real === null) continue; // gone too: look one folder up
    if (real !== dir) return null; // a link on the way
    let found: OriginalDiagnosis | null;
    try {
      const entry = await lstat(child);
      found = child !== file && entry.isFile() ? missing(file) : null;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      found = code === 'ENOENT' ? missing(file) : code === 'EACCES' || code === 'EPERM' ? { problem: 'unreadable', path: file, reason: readError(file, err).reason } : null;
    }
    // The folder looked in is still itself: not swapped for a link while its entry was looked at.
    return found && (await realpath(dir).catch(() => null)) === dir ? found : null;
  }
  // The library folder itself is gone (an unplugged disk); a link in its place is not looked through.
  return (await lstat(root).then(() => false, (err: NodeJS.ErrnoException) => err.code === 'ENOENT')) ? missing(file) : null;
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
