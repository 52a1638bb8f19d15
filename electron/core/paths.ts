// Where Shoebox keeps its files. The data folder follows the platform convention (XDG on Linux:
// $XDG_DATA_HOME/shoebox or ~/.local/share/shoebox; %APPDATA% on Windows; ~/Library/Application
// Support on macOS), overridable with --data-dir or SHOEBOX_DATA_DIR. Also what to tell a person
// when that folder cannot be used: read-only, not writable, a file in the way, or a full disk.
import envPaths from 'env-paths';
import { accessSync, constants, existsSync, statSync, statfsSync } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { formatBytes } from '../common/format-bytes.js';
import { findProjectRoot } from './project-root.js';
import { errorMessage } from '../common/error-message.js';

export interface DataPaths {
  root: string;
  database: string;
  thumbnails: string;
  models: string;
}

export function resolveDataDir(explicit?: string): string {
  const chosen = explicit ?? process.env['SHOEBOX_DATA_DIR'];
  if (chosen && chosen.trim() !== '') return path.resolve(chosen);
  return envPaths('shoebox', { suffix: '' }).data;
}

export function dataPaths(root: string): DataPaths {
  return {
    root,
    database: path.join(root, 'library.sqlite'),
    thumbnails: path.join(root, 'thumbnails'),
    models: path.join(root, 'models'),
  };
}

const CHOOSE_ANOTHER = 'choose another data folder with --data-dir <folder> or SHOEBOX_DATA_DIR';

/**
 * Creates the data folder and its thumbnail folder and checks that Shoebox may write there, so
 * that a read-only disk, a missing permission or a file in the way is reported with the folder
 * and the cause (SQLite would only say "unable to open database file", and a recursive mkdir on
 * a read-only mount says ENOENT).
 */
export async function prepareDataFolder(paths: DataPaths): Promise<void> {
  try {
    await mkdir(paths.root, { recursive: true });
    await mkdir(paths.thumbnails, { recursive: true });
    await access(paths.root, constants.W_OK);
  } catch (err) {
    throw dataFolderError(paths.root, err);
  }
}

/** A person-readable error for a data folder that could not be created, opened or written. */
export function dataFolderError(root: string, err: unknown): Error {
  if (isDiskFull(err)) {
    const full = diskFull(root);
    return new Error(`Cannot open the library: ${full.what}. To go on, ${full.fix}.`, { cause: err });
  }
  const verb = existsSync(root) ? 'use' : 'create';
  const problem = writeProblem(root);
  if (problem) return new Error(`Cannot ${verb} the data folder ${root}: ${problem.cause}. To go on, ${problem.fix}.`, { cause: err });
  const detail = errorMessage(err);
  return new Error(`Cannot ${verb} the data folder ${root}: ${detail}. Check that folder, or ${CHOOSE_ANOTHER}.`, { cause: err });
}

/**
 * Why a folder cannot be created or written, found by probing the folder itself or, when it does
 * not exist, the nearest folder above it that does; null when nothing is found wrong.
 */
export function writeProblem(folder: string): { cause: string; fix: string } | null {
  const target = path.resolve(folder);
  let probe = target;
  for (;;) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(probe).isDirectory();
    } catch (err) {
      const code = errorCode(err);
      const parent = path.dirname(probe);
      if ((code === 'ENOENT' || code === 'ENOTDIR') && parent !== probe) {
        probe = parent;
        continue;
      }
      if (code === 'EACCES' || code === 'EPERM') return permissionDenied(target, parent, 'open');
      return null;
    }
    if (!isDirectory) {
      return { cause: `${probe === target ? 'it' : probe} is a file, not a folder`, fix: `move that file away, or ${CHOOSE_ANOTHER}` };
    }
    try {
      accessSync(probe, constants.W_OK);
    } catch (err) {
      const code = errorCode(err);
      if (code === 'EROFS') {
        const cause = `${probe === target ? 'it' : probe} is on a read-only file system`;
        return { cause, fix: 'choose a data folder on a writable disk with --data-dir <folder> or SHOEBOX_DATA_DIR, or remount that disk read-write' };
      }
      if (code === 'EACCES' || code === 'EPERM') return permissionDenied(target, probe, 'write in');
    }
    // Writable: a missing part of the path is created by mkdir, so nothing is wrong here.
    return null;
  }
}

function permissionDenied(target: string, folder: string, verb: 'open' | 'write in'): { cause: string; fix: string } {
  const cause = `permission denied: the user running Shoebox (${currentUser()}) may not ${verb} ${folder === target ? 'it' : folder}`;
  const permission = verb === 'open' ? 'permission to open' : 'write permission on';
  return { cause, fix: `give that user ${permission} ${folder}, or ${CHOOSE_ANOTHER}` };
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? 'unknown'}`; // a uid without a passwd entry (containers)
  }
}

/**
 * Free space under which indexing stops. A full disk breaks more than Shoebox, and SQLite needs
 * room to record how a job ended: with 16 KB pages the write-ahead log alone grows to ~16 MB
 * between checkpoints, and photos already decoded are still committed after a stop.
 */
export const MIN_FREE_BYTES = 32 * 1024 * 1024;

/** Free bytes for this user on the disk holding `folder`; null when the system cannot tell. */
export function freeSpace(folder: string): number | null {
  try {
    const s = statfsSync(folder);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/** Whether an error (SQLite's or the file system's, or one wrapping it as its cause) means the disk is full. */
export function isDiskFull(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = errorCode(e);
    if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return true;
    if (e instanceof Error && /database or disk is full|no space left on device|disk quota exceeded/i.test(e.message)) return true;
  }
  return false;
}

/** What is full (the disk holding the data folder, with the space left) and what to do about it. */
export function diskFull(root: string): { what: string; fix: string } {
  const free = freeSpace(root);
  const left = free === null ? '' : ` (${formatBytes(free)} left; Shoebox needs at least ${formatBytes(MIN_FREE_BYTES)} free to go on)`;
  return {
    what: `the disk holding the data folder ${root} is full${left}`,
    fix: 'free some space on that disk, or move the data folder to a disk with more room (--data-dir <folder> or SHOEBOX_DATA_DIR)',
  };
}

/** The error code of a file-system (or SQLite) error, or null. */
export function errorCode(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

/**
 * The folder holding the bundled models: `models/` at the repository root when running from
 * source or dist/, or `resources/models` inside a packaged app (electron-builder extraResources).
 */
export function bundledModelsDir(): string {
  const override = process.env['SHOEBOX_BUNDLED_MODELS'];
  if (override) return path.resolve(override);
  const resourcesPath = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (resourcesPath && existsSync(path.join(resourcesPath, 'models'))) return path.join(resourcesPath, 'models');
  const root = findProjectRoot();
  if (root && existsSync(path.join(root, 'models'))) return path.join(root, 'models');
  throw new Error('Bundled models folder not found: set SHOEBOX_BUNDLED_MODELS to the folder that holds shoebox-mini/.');
}

export const DEFAULT_MODEL_ID = 'shoebox-mini';
