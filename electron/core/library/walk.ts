// Streams the image files under library roots: fs.opendir, one folder at a time, no full listing
// in memory. Skips hidden and system entries, follows symlinks to folders (each real folder is
// walked once, which also stops symlink loops) and reports unreadable folders instead of failing.
import type { Dirent } from 'node:fs';
import { opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { photoMimeType } from '../imaging/formats.js';
import { isInsideRoots } from './roots.js';

// Folders and files that operating systems and NAS boxes create; never photos of the person's.
const SYSTEM_NAMES = new Set(['thumbs.db', 'desktop.ini', '.ds_store', '@eadir', '$recycle.bin', 'system volume information', 'lost+found']);

/** Stats in flight at once within a folder: enough to hide disk latency, few enough for a NAS. */
const STAT_BATCH = 32;

/** A file the library indexes: one of the photo types (imaging/formats.ts), by extension. */
export function isPhotoName(name: string): boolean {
  return photoMimeType(name) !== null;
}

/** Hidden (dot-prefixed) and system entries are skipped, files and folders alike. */
export function isSkippedName(name: string): boolean {
  return name.startsWith('.') || SYSTEM_NAMES.has(name.toLowerCase());
}

export interface WalkRoot {
  id: number;
  path: string;
}

export interface WalkedFile {
  path: string;
  rootId: number;
  /** Relative to the root, with the platform's separator. */
  relPath: string;
  size: number;
  mtimeMs: number;
}

export interface WalkError {
  /** A folder that could not be listed is not known to be empty: nothing under it is missing. */
  kind: 'folder' | 'file';
  path: string;
  rootId: number;
  code: string | null;
  message: string;
}

export interface WalkOptions {
  signal?: AbortSignal;
  onError: (error: WalkError) => void;
  onFolder?: (path: string) => void;
}

interface PendingFolder {
  path: string;
  root: WalkRoot;
}

const errCode = (err: unknown): string | null => (err as NodeJS.ErrnoException | null)?.code ?? null;

/**
 * Yields every photo file under the roots. Real folders of every root come first and symlinked
 * folders after, so a folder reachable both ways is recorded under its real path.
 */
export async function* walkRoots(roots: readonly WalkRoot[], opts: WalkOptions): AsyncGenerator<WalkedFile> {
  const visited = new Set<string>();
  const rootPaths = roots.map((r) => r.path);
  const folders: PendingFolder[] = roots.map((root) => ({ path: root.path, root })).reverse();
  const linkedFolders: PendingFolder[] = [];

  while (folders.length > 0 || linkedFolders.length > 0) {
    opts.signal?.throwIfAborted();
    const folder = folders.pop() ?? linkedFolders.shift()!;
    const fail = (kind: WalkError['kind'], p: string, err: unknown, message?: string): void =>
      opts.onError({ kind, path: p, rootId: folder.root.id, code: errCode(err), message: message ?? (err as Error).message });

    let identity: string;
    try {
      const s = await stat(folder.path, { bigint: true });
      identity = `${s.dev}:${s.ino}`;
    } catch (err) {
      fail('folder', folder.path, err);
      continue;
    }
    if (visited.has(identity)) continue;
    visited.add(identity);
    opts.onFolder?.(folder.path);

    const files: string[] = [];
    const links: string[] = [];
    const subfolders: string[] = [];
    try {
      for await (const entry of await opendir(folder.path, { bufferSize: 256 })) sortEntry(entry, files, links, subfolders);
    } catch (err) {
      fail('folder', folder.path, err, `cannot list folder: ${(err as Error).message}`);
      continue;
    }

    // Symlinks: a link to a folder is walked later; a link to an image file counts as that file.
    // Only when it leads somewhere inside a library folder: a photo is in the library exactly when
    // its real path is, the same rule that decides which files the app may show (api/media.ts).
    for (const name of links) {
      const p = path.join(folder.path, name);
      try {
        const real = await realpath(p);
        if (!isInsideRoots(real, rootPaths)) {
          fail('file', p, null, `links to ${real}, outside the library folders: not indexed (add that folder to the library to include it)`);
          continue;
        }
        const s = await stat(p);
        if (s.isDirectory()) linkedFolders.push({ path: p, root: folder.root });
        else if (s.isFile() && isPhotoName(name)) files.push(name);
      } catch {
        // A dangling or looping link: nothing to index.
      }
    }
    for (const name of subfolders.sort().reverse()) folders.push({ path: path.join(folder.path, name), root: folder.root });

    files.sort();
    for (let i = 0; i < files.length; i += STAT_BATCH) {
      opts.signal?.throwIfAborted();
      const batch = files.slice(i, i + STAT_BATCH).map(async (name) => {
        const p = path.join(folder.path, name);
        try {
          const s = await stat(p);
          if (!s.isFile()) return undefined;
          const file: WalkedFile = { path: p, rootId: folder.root.id, relPath: path.relative(folder.root.path, p), size: s.size, mtimeMs: s.mtimeMs };
          return file;
        } catch (err) {
          // Gone since the listing: not an error. A name that is not valid UTF-8 cannot be
          // opened through a string path and shows up the same way, so say so.
          if (errCode(err) !== 'ENOENT') fail('file', p, err);
          else if (name.includes('\uFFFD')) fail('file', p, err, 'file name is not valid UTF-8; rename the file to index it');
          return undefined;
        }
      });
      for (const file of await Promise.all(batch)) if (file) yield file;
    }
  }
}

function sortEntry(entry: Dirent, files: string[], links: string[], subfolders: string[]): void {
  if (isSkippedName(entry.name)) return;
  if (entry.isDirectory()) subfolders.push(entry.name);
  else if (entry.isSymbolicLink()) links.push(entry.name);
  else if (entry.isFile() && isPhotoName(entry.name)) files.push(entry.name);
}
