// The staging area of one download and the final move into place. A download works in
// `<stagingDir>/hub-<repo>@<revision>-<hash>/` (same file system as the destination, so the
// install is a rename): `tree/` holds verified files at their final paths, `partial/` the .part
// files (named by path and expected content, so a changed file never resumes from stale bytes).
// The folder is keyed by repository and revision: a download interrupted by a crash leaves it
// behind and the next one resumes from it; a lock file with the owner's pid keeps two downloads
// of the same revision apart. Installing renames `tree/` to the destination; replacing an
// installed model renames the old one aside first and puts it back if the second rename fails.
import { createHash } from 'node:crypto';
import { lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HubError } from './errors.js';
import type { HubFile } from './hub-client.js';

export interface StagingArea {
  root: string;
  tree: string;
  /** Where the previous installed folder waits while it is being replaced. */
  aside: string;
  partFor(file: HubFile): string;
  /** Keeps the area on disk after all (it holds the only copy of a model); discard then only unlocks. */
  keep(): void;
  /** Removes the whole area (lock included); never throws. */
  discard(): Promise<void>;
}

/** Staging roots held by downloads of this process (the pid in the lock file cannot tell them apart). */
const held = new Set<string>();

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Creates (or takes over, after a crash) the staging area of `repo` at `revision`. */
export async function openStaging(stagingDir: string, repo: string, revision: string): Promise<StagingArea> {
  const key = `hub-${slug(repo)}@${slug(revision)}-${sha256Hex(`${repo}\0${revision}`).slice(0, 12)}`;
  const root = path.join(stagingDir, key);
  const busy = (): HubError => new HubError(`${repo} at "${revision}" is already being downloaded (staging folder ${root} is in use)`, 'busy');
  if (held.has(root)) throw busy();
  await mkdir(root, { recursive: true });
  const lock = path.join(root, 'lock');
  try {
    await writeFile(lock, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const owner = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) throw busy();
    await writeFile(lock, String(process.pid)); // left by a process that is gone: resume its work
  }
  const tree = path.join(root, 'tree');
  const partial = path.join(root, 'partial');
  await mkdir(tree, { recursive: true });
  await mkdir(partial, { recursive: true });
  let kept = false;
  held.add(root);
  return {
    root,
    tree,
    aside: path.join(root, 'replaced'),
    partFor: (file) => path.join(partial, `${sha256Hex(`${file.path}\0${file.lfsSha256 ?? file.oid}`).slice(0, 32)}.part`),
    keep: () => {
      kept = true;
    },
    discard: async () => {
      if (!kept) await rm(root, { recursive: true, force: true }).catch(() => undefined);
      else await rm(lock, { force: true }).catch(() => undefined);
      held.delete(root);
    },
  };
}

function moveError(err: unknown, from: string, to: string): HubError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EXDEV') {
    return new HubError(`cannot move ${from} to ${to}: the staging folder and the destination are on different file systems; use a staging folder next to the destination`, 'destination', { cause: err });
  }
  return new HubError(`cannot move ${from} to ${to}: ${(err as Error).message}`, 'destination', { cause: err });
}

/**
 * Moves the finished tree to `destDir`. Without `replace` an existing destination is an error;
 * with it, the old folder is swapped out and removed only once the new one is in place.
 */
export async function installTree(area: StagingArea, destDir: string, replace: boolean): Promise<void> {
  await mkdir(path.dirname(destDir), { recursive: true });
  const present = await exists(destDir);
  if (present && !replace) throw destinationExists(destDir);
  if (!present) {
    await rename(area.tree, destDir).catch((err: unknown) => {
      throw moveError(err, area.tree, destDir);
    });
    return;
  }
  await rename(destDir, area.aside).catch((err: unknown) => {
    throw moveError(err, destDir, area.aside);
  });
  try {
    await rename(area.tree, destDir);
  } catch (err) {
    try {
      await rename(area.aside, destDir); // put the installed model back as it was
    } catch {
      area.keep();
      throw new HubError(`cannot move ${area.tree} to ${destDir} (${(err as Error).message}), nor the installed model back from ${area.aside}: move it back by hand`, 'destination', { cause: err });
    }
    throw moveError(err, area.tree, destDir);
  }
  await rm(area.aside, { recursive: true, force: true }).catch(() => undefined);
}

export function destinationExists(destDir: string): HubError {
  return new HubError(`${destDir} already exists: remove it first, or pass replace to swap in the new download`, 'destination');
}
