// Undo of an export (the job 'sort-undo'): copies and links removed while they are still what the
// export wrote, moves moved back (their rows follow), sidecars restored byte for byte or removed;
// then the folders the export created, when empty, and the library folder a move added, when no
// photo is left in it. The export is marked 'undoing' first and each item 'undone' once its undo
// is durable, so a kill -9 during an undo is finished by the next undo. Items of an interrupted
// export that were never journalled as done are looked for on the disk and taken back too.
import { readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { JobContext } from '../jobs/runner.js';
import type { ExportMode } from '../store/exports.js';
import type { Store } from '../store/index.js';
import { errorCode, fsyncDirs, lstatOrNull, reason } from './disk.js';
import { FolderMaker, type ItemEnv } from './env.js';
import { MODES } from './modes.js';
import { runItems, type ExportDeps, type ItemProblem } from './run.js';

export interface UndoResult {
  exportId: number;
  mode: ExportMode;
  destination: string | null;
  /** Items taken back. */
  undone: number;
  /** Left in place because they changed after the export (the reason says how). */
  kept: ItemProblem[];
  /** Could not be undone this time (a read-only disk …): the same undo tries them again. */
  failed: ItemProblem[];
  removedFolders: string[];
  /** The library folder the move had added, removed again; or why it stays. */
  removedLibraryFolder: string | null;
  keptLibraryFolder: ItemProblem | null;
  /** Every item is undone or kept: the export is 'undone'. */
  complete: boolean;
  seconds: number;
}

export async function undoExport(deps: ExportDeps, exportId: number, ctx: JobContext): Promise<UndoResult> {
  const started = performance.now();
  const { store } = deps;
  const exp = store.exports.get(exportId);
  if (!exp) throw new Error(`Export ${exportId} is not in the journal.`);
  store.exports.setOwner(exportId, process.pid);
  store.exports.setState(exportId, 'undoing');
  try {
    const env: ItemEnv = { store, exportId, resuming: true, folders: new FolderMaker(), dataDir: deps.paths.root, roots: store.roots.list() };
    // Newest first: the reverse of the export's order.
    const items = [...store.exports.items(exportId, 'done'), ...store.exports.items(exportId, 'pending')].sort((a, b) => b.seq - a.seq);
    await runItems(env, items, MODES[exp.mode].undo, ctx, (left, err) => new Error(`The disk is full: the undo stopped with ${left} files still to do (${reason(err)}).`, { cause: err }));
    const counts = store.exports.counts(exportId);
    const complete = counts.done.items === 0 && counts.pending.items === 0;
    let removedFolders: string[] = [];
    let library: { removed: string | null; kept: ItemProblem | null } = { removed: null, kept: null };
    if (complete) {
      library = removeAddedRoot(store, exp.rootId);
      removedFolders = await removeEmptyFolders(exp.newFolders);
      await removeBackups(deps.paths.root, store, exportId);
      store.exports.setState(exportId, 'undone');
    }
    const problems = (state: 'kept' | 'done' | 'pending'): ItemProblem[] =>
      store.exports.items(exportId, state).filter((i) => i.error !== null).map((i) => ({ path: i.target, reason: i.error! }));
    return {
      exportId,
      mode: exp.mode,
      destination: exp.destination,
      undone: counts.undone.items,
      kept: problems('kept'),
      failed: [...problems('done'), ...problems('pending')],
      removedFolders,
      removedLibraryFolder: library.removed,
      keptLibraryFolder: library.kept,
      complete,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    store.exports.setOwner(exportId, null);
  }
}

/** Removes the library folder a move added, once no photo row is left in it (removing it would forget them). */
function removeAddedRoot(store: Store, rootId: number | null): { removed: string | null; kept: ItemProblem | null } {
  const root = rootId === null ? undefined : store.roots.get(rootId);
  if (!root) return { removed: null, kept: null };
  const left = store.exports.photosIn(root.id);
  if (left > 0) return { removed: null, kept: { path: root.path, reason: `${root.path} stays a library folder: ${left} photos are still in it` } };
  store.roots.remove(root.id);
  return { removed: root.path, kept: null };
}

/**
 * Removes the folders the export created, deepest first, where they are empty (a person's files
 * keep theirs). One that cannot be removed (a read-only disk) is left: an empty folder harms nothing.
 */
async function removeEmptyFolders(folders: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of [...folders].sort((a, b) => b.length - a.length)) {
    if (!(await lstatOrNull(dir))) continue;
    try {
      await rmdir(dir);
      removed.push(dir);
    } catch (err) {
      if (!['ENOTEMPTY', 'EEXIST', 'EROFS', 'EACCES', 'EPERM', 'EBUSY'].includes(errorCode(err) ?? '')) throw err;
    }
  }
  await fsyncDirs(removed.map((d) => path.dirname(d)).filter((d) => !removed.includes(d)));
  return removed;
}

/** The saved originals of sidecars; those of sidecars kept as they were (changed since) stay for the person. */
async function removeBackups(dataDir: string, store: Store, exportId: number): Promise<void> {
  for (const item of store.exports.items(exportId)) if (item.backup && item.state !== 'kept') await rm(item.backup, { force: true });
  const folder = path.join(dataDir, 'exports', String(exportId));
  const left = await readdir(folder).catch(() => null);
  if (left?.length === 0) await rmdir(folder);
}
