// Opening a file to serve it without the check-then-open race. Checking a real path and then
// opening that path by name is not safe: between the two, a folder on the way can be swapped
// for a symlink to somewhere else, and the open follows it. So the file is opened first and the
// descriptor is verified afterwards; whatever is read comes from that descriptor only.
//
// How the opened file is verified:
// - Linux: the kernel's name for the descriptor, readlink('/proc/self/fd/<fd>'), must be exactly
//   the real path that was checked. A symlink followed during the open shows up there as its
//   target, so this is exact whatever happens to the folders before or after.
// - macOS: the open itself carries O_NOFOLLOW_ANY (macOS 11+), so the kernel refuses a symlink in
//   any component; the path was real when checked, so the file opened is the one at that path.
//   The portable check below runs as well.
// - elsewhere (Windows), or without /proc: realpath again and fstat; the path must still resolve
//   to itself and the file there must be the opened one (same device and inode). This is not
//   exact: each of realpath, stat and open walks the path anew, so a folder swapped back and forth
//   between them can still pass (measured on Linux against a tight swapping loop: about 5% of the
//   opens that passed were the outside file). Node offers no openat or descriptor-to-path call
//   there; Windows needs Developer Mode or admin rights for symlinks, but not for junctions.
// Opening is non-blocking, so a FIFO planted under a photo's name cannot hang a libuv thread, and
// anything that is not a regular file is refused.
import { constants } from 'node:fs';
import { open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { resolveInsideRoots } from './roots.js';

export interface OpenedFile {
  /** Read through this only; the caller closes it (a stream from handle.createReadStream closes it at its end). */
  handle: FileHandle;
  /** The verified real path of the opened file. */
  path: string;
  size: number;
  mtimeMs: number;
}

/** 'proc': Linux's /proc/self/fd; 'inode': realpath + device/inode comparison, the portable fallback. */
export type VerifyMethod = 'proc' | 'inode';

const DEFAULT_METHOD: VerifyMethod = process.platform === 'linux' ? 'proc' : 'inode';

/** Whether this platform's default check is exact against a concurrent symlink swap (see above). */
export const EXACT_OPEN_CHECK = process.platform === 'linux' || process.platform === 'darwin';

// <sys/fcntl.h> on macOS 11+: no symlink anywhere in the path. Node does not export it; the
// kernel passes the bit through libuv's open. (Linux has no such open flag, only openat2.)
const DARWIN_O_NOFOLLOW_ANY = 0x20000000;

// O_NONBLOCK and O_NOCTTY do not exist on Windows (undefined there), where neither is needed.
const OPEN_FLAGS =
  constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0) | (process.platform === 'darwin' ? DARWIN_O_NOFOLLOW_ANY : 0);

async function opensAt(handle: FileHandle, realFile: string, dev: bigint, ino: bigint, method: VerifyMethod): Promise<boolean> {
  if (method === 'proc') {
    const name = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => null);
    if (name !== null) return name === realFile;
    // No /proc (a restricted container): the portable check below still applies.
  }
  if ((await realpath(realFile)) !== realFile) return false;
  const atPath = await stat(realFile, { bigint: true });
  return atPath.dev === dev && atPath.ino === ino;
}

/**
 * Opens `realFile`, an absolute real path (symlinks already resolved and checked by the caller),
 * and returns it only when the opened file is a regular file at exactly that path. Null when it
 * cannot be opened or is anything else (a symlink swapped in on the way, a folder, a device, a FIFO).
 */
export async function openVerified(realFile: string, method: VerifyMethod = DEFAULT_METHOD): Promise<OpenedFile | null> {
  if (realFile.includes('\0') || !path.isAbsolute(realFile) || path.normalize(realFile) !== realFile) return null;
  let handle: FileHandle;
  try {
    handle = await open(realFile, OPEN_FLAGS);
  } catch {
    return null;
  }
  try {
    const info = await handle.stat({ bigint: true });
    if (info.isFile() && (await opensAt(handle, realFile, info.dev, info.ino, method))) {
      return { handle, path: realFile, size: Number(info.size), mtimeMs: Number(info.mtimeMs) };
    }
  } catch {
    // Gone or unreadable while being verified: refused below like any other mismatch.
  }
  await handle.close();
  return null;
}

/**
 * Resolves `candidate` (symlinks followed), requires its real path to lie inside one of `folders`
 * (real paths), then opens and verifies it with openVerified. Null for anything else.
 */
export async function openInside(candidate: string, folders: readonly string[], method: VerifyMethod = DEFAULT_METHOD): Promise<OpenedFile | null> {
  const real = await resolveInsideRoots(candidate, folders);
  return real ? openVerified(real, method) : null;
}
