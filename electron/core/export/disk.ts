// The file operations an export is made of, each without overwriting anything and durable once it
// returns: a name appears at a target only with complete, fsynced content (written under a hidden
// temp name first, then hard-linked into place, which fails if the name is taken), and the folders
// whose entries changed are fsynced before the journal says the step is done.
import { constants, type Stats } from 'node:fs';
import { copyFile, link, lstat, open, rm, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import { errorCode } from '../paths.js';
import { errorMessage } from '../../common/error-message.js';

/** The error code of a file-system error, or null (one definition: paths.ts). */
export { errorCode };

/** lstat, with null for a path that does not exist. */
export async function lstatOrNull(file: string): Promise<Stats | null> {
  try {
    return await lstat(file);
  } catch (err) {
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return null;
    throw err;
  }
}

/** Why an operation on a file failed, in words a person reads ("is on a read-only file system"). */
export function reason(err: unknown): string {
  switch (errorCode(err)) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the disk is read-only';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    case 'ENAMETOOLONG':
      return 'the name is too long for the file system';
    case 'EIO':
      return 'input/output error (a failing disk or a disconnected drive?)';
    default:
      return errorMessage(err);
  }
}


/**
 * The hidden temp name an item writes under in the target's folder (same disk) before its file is
 * linked into place. Hidden, so the library walk never indexes one; named by export and item, so
 * a resumed export or an undo knows its own leftovers.
 */
export function tempPath(dir: string, exportId: number, seq: number): string {
  return path.join(dir, `.shoebox-export-${exportId}-${seq}.tmp`);
}

/** Flushes a file's content and metadata to the disk. */
export async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Flushes folders' entries (a new name, a removed one) to the disk, all at once. Windows cannot
 * open a folder for this; NTFS journals its metadata itself.
 */
export async function fsyncDirs(dirs: Iterable<string>): Promise<void> {
  if (process.platform === 'win32') return;
  await Promise.all([...new Set(dirs)].map((dir) => fsyncFile(dir)));
}

/**
 * Copies `source` to `temp` (which must not exist) with the source's times; not yet durable (see
 * fsyncFile). A partial copy is removed on failure.
 */
export async function copyWithTimes(source: string, temp: string, from: Pick<Stats, 'atimeMs' | 'mtimeMs'>): Promise<void> {
  try {
    await copyFile(source, temp, constants.COPYFILE_EXCL);
    // The photo keeps its date in file managers, and a rescan of the library sees the same mtime.
    // Seconds as numbers keep sub-millisecond precision (a Date would round to the millisecond).
    await utimes(temp, from.atimeMs / 1000, from.mtimeMs / 1000);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** copyWithTimes, then fsync: the copy is durable when this returns. */
export async function copyDurable(source: string, temp: string, from: Pick<Stats, 'atimeMs' | 'mtimeMs'>): Promise<void> {
  await copyWithTimes(source, temp, from);
  try {
    await fsyncFile(temp);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * Gives `from` the name `to` without overwriting: a hard link (EEXIST when `to` is taken), then
 * `from` is unlinked. Returns false, leaving `from` in place, when `to` is taken.
 */
export async function linkIntoPlace(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    throw err;
  }
  await unlink(from);
  return true;
}

/** Errors of link() that mean "hard links cannot be made here" rather than "this file failed". */
export function linkUnsupported(err: unknown): boolean {
  return ['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK'].includes(errorCode(err) ?? '');
}

/** Whether two stats are the same file (one inode with two names). */
export function sameInode(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}
