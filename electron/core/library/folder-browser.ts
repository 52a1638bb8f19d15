// The folder browser of browser mode (where there is no system folder picker): the sub-folders
// of one folder, by name, with the number of photos directly in each; and whether a folder about
// to be added holds any photo at all. Only names are read, never a file's contents.
import type { Dir } from 'node:fs';
import { opendir, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { expandHome, folderError, isInside, isSystemFolder, openFoldersUnder, requireAbsolute, systemFolderReason } from './roots.js';
import { isPhotoName, isSkippedName } from './walk.js';

export interface BrowsedFolder {
  name: string;
  /** Its full path, to browse into or to add. */
  path: string;
  hidden: boolean;
  /** Photos directly inside (not in its sub-folders); null when it could not be read or was not counted. */
  photos: number | null;
  /** `photos` is a lower bound: the folder has more entries than are counted. */
  morePhotos: boolean;
}

export interface FolderListing {
  /** The folder listed (a real path). */
  path: string;
  /** The folder above it; null at the top of the disk. */
  parent: string | null;
  home: string;
  folders: BrowsedFolder[];
  /** Sub-folders left out of `folders` past MAX_LISTED. */
  leftOut: number;
  /** Photos directly inside the folder listed. */
  photos: number;
  /** Why this folder cannot be a library folder; null when it can. */
  refused: string | null;
}

export interface BrowseOptions {
  /** Shoebox's data folder: shown, but refused as a library folder. */
  dataDir: string;
  showHidden?: boolean;
  home?: string;
}

/** Sub-folders listed at most: a folder of 100k folders is not browsed by eye. */
const MAX_LISTED = 2000;
/** Sub-folders whose photos are counted, and the entries read in each: counting must stay quick. */
const MAX_COUNTED = 300;
const MAX_COUNTED_ENTRIES = 5000;
/** Sub-folders counted at once. */
const COUNT_CONCURRENCY = 8;

/** The folder `input` (the home folder when left out) and its sub-folders; throws a person-readable error. */
export async function browseFolder(input: string | undefined, options: BrowseOptions): Promise<FolderListing> {
  const home = options.home ?? homedir();
  const typed = input === undefined ? home : expandHome(input.trim(), home);
  requireAbsolute(typed);
  let real: string;
  let dir: Dir;
  try {
    real = await realpath(path.resolve(typed));
    dir = await opendir(real);
  } catch (err) {
    throw folderError(path.resolve(typed), err);
  }
  // Not listed at all: /proc's thousands of numbered folders are not anyone's photos. /run is,
  // with only /run/media in it, where USB sticks and memory cards are mounted.
  if (isSystemFolder(real) && !(await leadsToOpenFolder(real))) {
    await dir.close();
    throw new Error(systemFolderReason(real) ?? `${real} is a system folder`);
  }
  const folders: BrowsedFolder[] = [];
  let photos = 0;
  let leftOut = 0;
  for await (const entry of dir) {
    if (entry.isFile()) {
      if (isPhotoName(entry.name)) photos++;
      continue;
    }
    if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
    const hidden = isSkippedName(entry.name);
    if (hidden && !options.showHidden) continue;
    const full = path.join(real, entry.name);
    if ((isSystemFolder(full) && !(await leadsToOpenFolder(full))) || (entry.isSymbolicLink() && !(await isFolder(full)))) continue;
    if (folders.length >= MAX_LISTED) leftOut++;
    else folders.push({ name: entry.name, path: full, hidden, photos: null, morePhotos: false });
  }
  folders.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' }));
  await countEach(folders.slice(0, MAX_COUNTED));
  const parent = path.dirname(real);
  return { path: real, parent: parent === real ? null : parent, home, folders, leftOut, photos, refused: refusal(real, await realpath(options.dataDir).catch(() => path.resolve(options.dataDir))) };
}

/** Why the folder listed cannot be added (the same rules as roots.add), for the browser's Add button. */
function refusal(real: string, dataDir: string): string | null {
  const system = systemFolderReason(real);
  if (system) return system;
  if (isInside(real, dataDir)) return `${real} is Shoebox's data folder or inside it: it holds the library database and thumbnails, not your photos.`;
  return null;
}

/** Whether a system folder is on the way to an open folder that exists (/run to /run/media): browsed through, never added. */
async function leadsToOpenFolder(real: string): Promise<boolean> {
  for (const open of openFoldersUnder(real)) if (await isFolder(open)) return true;
  return false;
}

async function isFolder(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function countEach(folders: BrowsedFolder[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < folders.length) {
      const folder = folders[next++]!;
      Object.assign(folder, await countPhotos(folder.path));
    }
  };
  await Promise.all(Array.from({ length: COUNT_CONCURRENCY }, worker));
}

/** Photos directly inside `folder`, reading at most MAX_COUNTED_ENTRIES entries. */
async function countPhotos(folder: string): Promise<{ photos: number | null; morePhotos: boolean }> {
  let photos = 0;
  let seen = 0;
  try {
    for await (const entry of await opendir(folder)) {
      if (++seen > MAX_COUNTED_ENTRIES) return { photos, morePhotos: true };
      if (entry.isFile() && isPhotoName(entry.name)) photos++;
    }
  } catch {
    return { photos: null, morePhotos: false };
  }
  return { photos, morePhotos: false };
}

/** Folders looked through, at most, for a first photo before giving up. */
const MAX_SEARCHED_FOLDERS = 2000;

/**
 * Whether `folder` or a folder under it (hidden and system folders left out, as the walker does)
 * holds a photo: true at the first one found, false when there is none, null when the search
 * gave up (too many folders) and the index job will tell.
 */
export async function holdsPhotos(folder: string): Promise<boolean | null> {
  const pending = [folder];
  for (let searched = 0; pending.length > 0; searched++) {
    if (searched >= MAX_SEARCHED_FOLDERS) return null;
    const current = pending.shift()!;
    try {
      for await (const entry of await opendir(current)) {
        if (isSkippedName(entry.name)) continue;
        if (entry.isFile() && isPhotoName(entry.name)) return true;
        if (entry.isDirectory()) pending.push(path.join(current, entry.name));
      }
    } catch {
      // An unreadable folder is reported by the index job; here it just holds nothing found.
    }
  }
  return false;
}
