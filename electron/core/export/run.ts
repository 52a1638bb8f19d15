// Runs an export from its journal: the pending items in plan order, in batches (a few files at
// once; their folders fsynced once per batch; one commit per batch, made only after the batch's
// files are durable). A resumed export runs the same way, each item first looking at the disk
// for work a killed run did but did not journal. A full disk stops the export with the rest still
// pending; a cancel stops it between batches; either way the same command finishes it later.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { formatBytes } from '../../common/format-bytes.js';
import type { JobContext } from '../jobs/runner.js';
import { addRoot, findRoot } from '../library/roots.js';
import { freeSpace } from '../paths.js';
import type { ExportItemRow, ExportMode, ExportRow } from '../store/exports.js';
import type { Store } from '../store/index.js';
import { fsyncDirs } from './disk.js';
import { batches, FolderMaker, type ItemEnv } from './env.js';
import { MODES, type Batch } from './modes.js';

export interface ExportDeps {
  store: Store;
  /** The data folder: refused as a destination, and where sidecar backups are kept. */
  paths: { root: string };
}

/** A file that could not be exported (or undone), and why, naming it. */
export interface ItemProblem {
  path: string;
  reason: string;
}

export interface ExportResult {
  exportId: number;
  mode: ExportMode;
  destination: string | null;
  /** Finished an export a previous run left unfinished. */
  resumed: boolean;
  /** Items in the plan; of them done, skipped (already there) and failed (with the reasons). */
  files: number;
  done: number;
  skipped: number;
  failed: ItemProblem[];
  /** The folder a move added to the library, so the moved photos stay in it. */
  addedLibraryFolder: string | null;
  seconds: number;
}

// A batch is what one commit covers: enough files to share the folder fsyncs, few enough bytes
// that a cancel is felt within a second or two.
const BATCH_ITEMS = 128;
const BATCH_BYTES = 64 * 1024 * 1024;

/** Runs (or resumes) an export whose plan is in the journal; the job 'sort-export'. */
export async function runExport(deps: ExportDeps, exportId: number, resumed: boolean, ctx: JobContext): Promise<ExportResult> {
  const started = performance.now();
  const { store } = deps;
  const exp = exportOf(store, exportId);
  store.exports.setOwner(exportId, process.pid);
  try {
    if (exp.rootPath !== null && exp.rootId === null) await addDestination(deps, exp);
    const env: ItemEnv = { store, exportId, resuming: resumed, folders: new FolderMaker(), dataDir: deps.paths.root, roots: store.roots.list() };
    const result = await runItems(env, store.exports.items(exportId, 'pending'), MODES[exp.mode].run, ctx, (left, err) => destinationFull(exp, left, err));
    if (result.left === 0) store.exports.setState(exportId, 'done');
    return exportResult(store, exportId, resumed, (performance.now() - started) / 1000);
  } finally {
    store.exports.setOwner(exportId, null);
  }
}

/**
 * Runs items through a mode's batch operation, committing each batch's outcomes, with progress
 * over the export's whole plan. Shared by the export and its undo. Returns how many were not run.
 */
export async function runItems(
  env: ItemEnv,
  items: readonly ExportItemRow[],
  batch: Batch,
  ctx: JobContext,
  stopped: (left: number, err: unknown) => Error,
): Promise<{ left: number }> {
  const counts = env.store.exports.counts(env.exportId);
  const total = Object.values(counts).reduce((n, c) => n + c.items, 0);
  let left = items.length;
  ctx.progress({ done: total - left, total, currentFile: null });
  for (const group of batches(items, BATCH_ITEMS, BATCH_BYTES)) {
    ctx.signal.throwIfAborted();
    const { outcomes, stop } = await batch(env, group);
    env.store.exports.settle(env.exportId, outcomes);
    left -= outcomes.length;
    ctx.progress({ done: total - left, currentFile: group.at(-1)?.target ?? null });
    if (stop) throw stopped(left, stop);
  }
  return { left };
}

function exportOf(store: Store, exportId: number): ExportRow {
  const exp = store.exports.get(exportId);
  if (!exp) throw new Error(`Export ${exportId} is not in the journal.`);
  return exp;
}

/** A move out of the library: its destination becomes a library folder first, so the moved photos stay in the library. */
async function addDestination(deps: ExportDeps, exp: ExportRow): Promise<void> {
  const folder = exp.rootPath!;
  await mkdir(folder, { recursive: true });
  await fsyncDirs([path.dirname(folder)]);
  // Journalled as root_path before it is added: a kill in between finds it here again.
  const root = (await findRoot(deps.store, folder)) ?? (await addRoot(deps.store, folder, { dataDir: deps.paths.root }));
  deps.store.exports.setRootId(exp.id, root.id);
}

function destinationFull(exp: ExportRow, left: number, err: unknown): Error {
  const free = exp.destination ? freeSpace(exp.destination) : null;
  const room = free === null ? '' : ` (${formatBytes(free)} left)`;
  return new Error(
    `${exp.destination ? `The disk of ${exp.destination}` : 'A disk the sidecars go to'} is full${room}: the export stopped with ${left} files still to do. Free some space, then run the same export again to finish it (or undo it).`,
    { cause: err },
  );
}

/** The export's outcome as its journal has it. */
function exportResult(store: Store, exportId: number, resumed: boolean, seconds: number): ExportResult {
  const exp = exportOf(store, exportId);
  const counts = store.exports.counts(exportId);
  const problems = [...store.exports.items(exportId, 'failed'), ...store.exports.items(exportId, 'vanished')].sort((a, b) => a.seq - b.seq);
  return {
    exportId,
    mode: exp.mode,
    destination: exp.destination,
    resumed,
    files: Object.values(counts).reduce((n, c) => n + c.items, 0),
    done: counts.done.items,
    skipped: counts.skipped.items,
    failed: problems.map((i) => ({ path: i.source, reason: i.error ?? 'failed' })),
    addedLibraryFolder: exp.rootId !== null ? exp.rootPath : null,
    seconds,
  };
}
