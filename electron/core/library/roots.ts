// Library roots: turning what a person typed or picked into a root path, refusing duplicates and
// nesting, and answering "is this path inside a library root?" for file-access checks.
// Roots are stored as real paths (symlinks resolved, canonical case from the OS), so every
// containment check compares real paths with real paths.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Store } from '../store/index.js';
import type { RootRow } from '../store/roots.js';

/** The real, absolute path of a folder to use as a root. Throws a person-readable error otherwise. */
export async function normaliseRoot(input: string): Promise<string> {
  if (input.trim() === '' || input.includes('\0')) throw new Error(`Not a folder path: ${JSON.stringify(input)}`);
  const absolute = path.resolve(input);
  let real: string;
  try {
    real = await realpath(absolute);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${absolute}: folder does not exist`);
    throw new Error(`${absolute}: cannot be opened (${(err as Error).message})`);
  }
  if (!(await stat(real)).isDirectory()) throw new Error(`${absolute}: is a file, not a folder`);
  return real;
}

/** Whether `child` is `parent` or lies under it. Purely lexical: both must already be real paths. */
export function isInside(child: string, parent: string): boolean {
  if (child.includes('\0') || parent.includes('\0')) return false;
  // path.relative resolves `..` and avoids prefix tricks: /photos2 is not inside /photos.
  const rel = path.relative(path.resolve(parent), path.resolve(child));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** Whether a real path lies inside one of the roots (real paths). */
export function isInsideRoots(realPath: string, roots: readonly string[]): boolean {
  return roots.some((root) => isInside(realPath, root));
}

/**
 * Resolves `candidate` (following symlinks) and returns its real path when that lies inside a
 * root; null when it does not, or does not exist. Use before serving any file to the UI: a
 * symlink inside a root that points elsewhere resolves outside and is refused.
 */
export async function resolveInsideRoots(candidate: string, roots: readonly string[]): Promise<string | null> {
  if (candidate.includes('\0')) return null;
  let real: string;
  try {
    real = await realpath(path.resolve(candidate));
  } catch {
    return null;
  }
  return isInsideRoots(real, roots) ? real : null;
}

/**
 * Refuses a relative path: the core may run in another process with another working folder than
 * the person who typed it (the server, the Electron core host), so it cannot know what it is
 * relative to. A command line resolves its own relative paths before calling the API.
 */
export function requireAbsolute(input: string): void {
  if (path.isAbsolute(input)) return;
  const tilde = input.startsWith('~') ? ' (a ~ is expanded by a shell, not by Shoebox)' : '';
  const example = process.platform === 'win32' ? 'C:\\Users\\you\\Pictures' : '/home/you/Pictures';
  throw new Error(`${JSON.stringify(input)} is a relative path: give the folder's full path${tilde}, e.g. ${example}.`);
}

export interface AddRootOptions {
  /** Shoebox's data folder: refused as a library folder, with everything inside it. */
  dataDir?: string;
}

/**
 * Adds a root after normalising it; refuses a relative path, a duplicate, a folder inside a
 * root, one holding a root, and the data folder or a folder inside it (its thumbnails would be
 * indexed as photos, thumbnails of thumbnails at each run).
 */
export async function addRoot(store: Store, input: string, options: AddRootOptions = {}): Promise<RootRow> {
  requireAbsolute(input);
  const real = await normaliseRoot(input);
  const { dataDir } = options;
  if (dataDir !== undefined) {
    const data = await realpath(dataDir).catch(() => path.resolve(dataDir));
    if (isInside(real, data)) {
      const where = real === data ? "is Shoebox's data folder" : `is inside Shoebox's data folder ${data}`;
      throw new Error(`${real} ${where}, which holds the library database, thumbnails and models, not photos: choose a folder of your own photos.`);
    }
  }
  for (const existing of store.roots.list()) {
    if (existing.path === real) throw new Error(`${real} is already a library folder`);
    if (isInside(real, existing.path)) throw new Error(`${real} is inside the library folder ${existing.path}, which already includes it`);
    if (isInside(existing.path, real)) {
      throw new Error(`${real} contains the library folder ${existing.path}: remove that folder first, then add this one`);
    }
  }
  return store.roots.add(real);
}

/** A user-given photo path as stored (absolute, symlinks resolved); unchanged when it does not exist. */
export async function resolvePhotoPath(file: string): Promise<string> {
  return realpath(path.resolve(file)).catch(() => path.resolve(file));
}

/** The library folder at `folder` (compared by real path), if it is one. */
export async function findRoot(store: Store, folder: string): Promise<RootRow | undefined> {
  const real = await resolvePhotoPath(folder);
  return store.roots.list().find((r) => r.path === real);
}
