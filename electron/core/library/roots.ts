// Library roots: turning what a person typed or picked into a root path, refusing duplicates and
// nesting, and answering "is this path inside a library root?" for file-access checks.
// Roots are stored as real paths (symlinks resolved, canonical case from the OS), so every
// containment check compares real paths with real paths.
import { realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { errorMessage } from '../../common/error-message.js';
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
    throw folderError(absolute, err);
  }
  if (!(await stat(real)).isDirectory()) throw new Error(`${shortenMiddle(absolute)}: is a file, not a folder`);
  return real;
}

/** Paths longer than this are shortened in the middle in messages: a 4,000-character path says nothing more. */
const MESSAGE_PATH_CHARS = 160;

/** `p` with its middle replaced by "…" when it is long, keeping the start (where) and the end (which folder). */
export function shortenMiddle(p: string, max = MESSAGE_PATH_CHARS): string {
  if (p.length <= max) return p;
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return `${p.slice(0, head)}…${p.slice(p.length - (keep - head))}`;
}

/** A person-readable error for a folder that could not be opened, naming it and the reason. */
export function folderError(folder: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const where = shortenMiddle(folder);
  const reasons: Record<string, string> = {
    ENOENT: 'folder does not exist',
    ENOTDIR: 'a part of this path is a file, not a folder',
    EACCES: 'Shoebox is not allowed to open this folder (permission denied)',
    EPERM: 'Shoebox is not allowed to open this folder (operation not permitted)',
    ELOOP: 'the path goes round in a loop of symbolic links',
    ENAMETOOLONG: `the path is too long for this system (${folder.length.toLocaleString('en')} characters; a folder name may have at most 255)`,
  };
  const reason = (code && reasons[code]) ?? `cannot be opened (${errorMessage(err)})`;
  return new Error(`${where}: ${reason}`, { cause: err });
}

/**
 * Whether `child` is `parent` or lies under it. Purely lexical: both must already be real paths.
 * `paths` is another platform's path module for its rules (systemFolderReason), this one's by default.
 */
export function isInside(child: string, parent: string, paths: path.PlatformPath = path): boolean {
  if (child.includes('\0') || parent.includes('\0')) return false;
  // path.relative resolves `..` and avoids prefix tricks: /photos2 is not inside /photos.
  const rel = paths.relative(paths.resolve(parent), paths.resolve(child));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${paths.sep}`) && !paths.isAbsolute(rel));
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
 * A typed folder path with `~` (this account's home folder) expanded: `~` and `~/Pictures`
 * (`~\Pictures` on Windows). Another account's `~name` is left as typed, and refused as relative.
 */
export function expandHome(input: string, home: string = homedir()): string {
  if (input === '~') return home;
  if (input.startsWith('~/') || (process.platform === 'win32' && input.startsWith('~\\'))) return path.join(home, input.slice(2));
  return input;
}

/**
 * Refuses a relative path: the core may run in another process with another working folder than
 * the person who typed it (the server, the Electron core host), so it cannot know what it is
 * relative to. A command line resolves its own relative paths before calling the API.
 */
export function requireAbsolute(input: string): void {
  if (path.isAbsolute(input)) return;
  const tilde = input.startsWith('~') ? " (~ alone or ~/… means your home folder; another account's ~name is not expanded)" : '';
  const example = process.platform === 'win32' ? 'C:\\Users\\you\\Pictures' : '/home/you/Pictures';
  throw new Error(`${JSON.stringify(shortenMiddle(input))} is a relative path: give the folder's full path${tilde}, e.g. ${example} or ~/Pictures.`);
}

interface SystemFolder {
  folder: string;
  what: string;
  /** Folders inside it that hold people's files, not the system's: browsed to and added like any other. */
  open?: readonly string[];
}

/** The operating system's own folders, per platform: virtual files, devices, system software. */
function systemFolders(platform: NodeJS.Platform): SystemFolder[] {
  if (platform === 'win32') {
    const windows = process.env['SystemRoot'] ?? 'C:\\Windows';
    const drive = path.win32.parse(windows).root;
    return [
      { folder: windows, what: 'the Windows system folder' },
      { folder: path.win32.join(drive, '$Recycle.Bin'), what: 'the recycle bin' },
      { folder: path.win32.join(drive, 'System Volume Information'), what: 'a Windows system folder' },
    ];
  }
  const unix = [
    { folder: '/proc', what: 'a virtual folder of running processes, not files on disk' },
    { folder: '/sys', what: 'a virtual folder of kernel settings, not files on disk' },
    { folder: '/dev', what: 'the folder of devices, not files' },
    // udisks mounts USB sticks and memory cards at /run/media/<user>/<disk> (Fedora, Arch).
    { folder: '/run', what: 'a folder of the running system’s temporary state', open: ['/run/media'] },
  ];
  if (platform !== 'darwin') return unix;
  return [...unix, { folder: '/System', what: 'the macOS system folder' }, { folder: '/private/var/vm', what: 'the macOS swap folder' }];
}

function pathsOf(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/**
 * The system folder that `real` is, lies inside, or holds (the top of the system disk); null for
 * none, and for a folder in one of its open folders (/run/media/…).
 */
function systemFolderOf(real: string, platform: NodeJS.Platform): { folder: string; what: string; relation: 'is' | 'inside' | 'holds' } | null {
  const paths = pathsOf(platform);
  for (const { folder, what, open = [] } of systemFolders(platform)) {
    if (open.some((o) => isInside(real, o, paths))) continue;
    if (paths.relative(folder, real) === '') return { folder, what, relation: 'is' };
    if (isInside(real, folder, paths)) return { folder, what, relation: 'inside' };
    if (isInside(folder, real, paths)) return { folder, what, relation: 'holds' };
  }
  return null;
}

/**
 * The open folders (systemFolders) that lie under `real`, a system folder or the top of the disk:
 * the folder browser lists the way to them (/run, then only /run/media in it).
 */
export function openFoldersUnder(real: string, platform: NodeJS.Platform = process.platform): string[] {
  const paths = pathsOf(platform);
  return systemFolders(platform).flatMap(({ open = [] }) => open.filter((o) => paths.relative(real, o) !== '' && isInside(o, real, paths)));
}

/** Whether `real` is a system or virtual folder, or inside one: not browsed, never a library folder. */
export function isSystemFolder(real: string, platform: NodeJS.Platform = process.platform): boolean {
  const found = systemFolderOf(real, platform);
  return found !== null && found.relation !== 'holds';
}

/**
 * Why `real` (a real path) cannot be a library folder: a system or virtual folder, a folder inside
 * one, or one that holds one (the top of the system disk); null when it can. Walking /proc alone
 * finds thousands of unreadable "files".
 */
export function systemFolderReason(real: string, platform: NodeJS.Platform = process.platform): string | null {
  const found = systemFolderOf(real, platform);
  if (!found) return null;
  const shown = shortenMiddle(real);
  const cannot = 'Shoebox cannot index photos there. Choose a folder of your own photos.';
  if (found.relation === 'is') return `${shown} is ${found.what}: ${cannot}`;
  if (found.relation === 'inside') return `${shown} is inside ${found.folder}, ${found.what}: ${cannot}`;
  return `${shown} holds the system's own folders (${found.folder} among them): choose the folder inside it that holds your photos.`;
}

export interface AddRootOptions {
  /** Shoebox's data folder: refused as a library folder, with everything inside it. */
  dataDir?: string;
}

/**
 * Adds a root after normalising it; refuses a relative path, a duplicate, a folder inside a
 * root, one holding a root, a system or virtual folder (systemFolderReason), and the data folder
 * or a folder inside it (its thumbnails would be indexed as photos, thumbnails of thumbnails at
 * each run). `~` is expanded first (expandHome).
 */
export async function addRoot(store: Store, input: string, options: AddRootOptions = {}): Promise<RootRow> {
  const typed = expandHome(input);
  requireAbsolute(typed);
  const real = await normaliseRoot(typed);
  const system = systemFolderReason(real);
  if (system) throw new Error(system);
  const { dataDir } = options;
  if (dataDir !== undefined) {
    const data = await realpath(dataDir).catch(() => path.resolve(dataDir));
    if (isInside(real, data)) {
      const where = real === data ? "is Shoebox's data folder" : `is inside Shoebox's data folder ${data}`;
      throw new Error(`${shortenMiddle(real)} ${where}, which holds the library database, thumbnails and models, not photos: choose a folder of your own photos.`);
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
