// Starting an export or its undo as a job (kinds 'sort-export' and 'sort-undo', in the 'cpu' lane,
// so never beside indexing), with the rules that keep one journal coherent: one export or undo at
// a time; an unfinished export is resumed by the same request (same mode and destination) and
// blocks any other until it is finished or undone; the plan is in the journal before the job
// starts. Also the export history.
import { formatBytes } from '../../common/format-bytes.js';
import type { JobRunner } from '../jobs/runner.js';
import { processIsAlive } from '../process-alive.js';
import type { SortAssignment } from '../sorting/types.js';
import type { ExportMode, ExportRow, ExportState, ItemState } from '../store/exports.js';
import { resolveDestination } from './destination.js';
import { ExportBlocked } from './errors.js';
import { planExport, type ExportPreview, type ExportRequest } from './plan.js';
import { runExport, type ExportDeps } from './run.js';
import { undoExport } from './undo.js';

export type SortExportParams = { exportId: number; resumed: boolean };
export type SortUndoParams = { exportId: number };

export interface JobDeps extends ExportDeps {
  jobs: JobRunner;
}

export interface ExportSummary {
  id: number;
  mode: ExportMode;
  destination: string | null;
  state: ExportState;
  /** Left running or undoing by a process that is gone (kill -9, crash) or by a cancel: run it again to finish it. */
  interrupted: boolean;
  createdAt: number;
  finishedAt: number | null;
  undoneAt: number | null;
  addedLibraryFolder: string | null;
  items: Record<ItemState, number>;
  bytes: number;
}

/**
 * Starts the export of the current sorting (read only when a new plan is made), or resumes the
 * unfinished export if it is the same request.
 */
export async function startExport(
  deps: JobDeps,
  currentSorting: () => Promise<SortAssignment>,
  request: ExportRequest,
): Promise<{ jobId: number; exportId: number; resumed: boolean; preview: ExportPreview | null }> {
  refuseWhileBusy(deps);
  const unfinished = deps.store.exports.unfinished();
  if (unfinished) {
    refuseIfOwned(unfinished);
    if (unfinished.state === 'undoing') {
      throw new ExportBlocked('conflict', `The undo of export #${unfinished.id} did not finish: undo again to finish it first.`);
    }
    if (!(await sameRequest(unfinished, request))) {
      throw new ExportBlocked(
        'conflict',
        `Export #${unfinished.id} (${describe(unfinished)}) did not finish: run that export again to complete it, or undo it, before starting another.`,
      );
    }
    return { jobId: startJob(deps, unfinished.id, true), exportId: unfinished.id, resumed: true, preview: null };
  }
  const plan = await planExport({ store: deps.store, dataDir: deps.paths.root }, await currentSorting(), request);
  if (!plan.preview.fits) throw new ExportBlocked('conflict', notEnoughRoom(plan.preview));
  const exportId = deps.store.exports.create(
    { mode: plan.mode, destination: plan.destination, modelId: plan.modelId, rootPath: plan.rootPath, newFolders: plan.newFolders },
    plan.items,
  );
  return { jobId: startJob(deps, exportId, false), exportId, resumed: false, preview: plan.preview };
}

function startJob(deps: JobDeps, exportId: number, resumed: boolean): number {
  return deps.jobs.start('sort-export', { exportId, resumed }, (ctx) => runExport(deps, exportId, resumed, ctx)).id;
}

/** Starts the undo of the newest export that is not undone (finished, interrupted, or half undone). */
export function startUndo(deps: JobDeps): { jobId: number; exportId: number } {
  refuseWhileBusy(deps);
  const exp = deps.store.exports.latestNotUndone();
  if (!exp) throw new ExportBlocked('not-found', 'There is no export to undo.');
  refuseIfOwned(exp);
  const jobId = deps.jobs.start('sort-undo', { exportId: exp.id }, (ctx) => undoExport(deps, exp.id, ctx)).id;
  return { jobId, exportId: exp.id };
}

/** The newest exports with their item counts. */
export function exportHistory(deps: JobDeps, limit: number): ExportSummary[] {
  const live = new Set(
    deps.jobs
      .active()
      .filter((j) => j.kind === 'sort-export' || j.kind === 'sort-undo')
      .map((j) => j.jobId),
  );
  return deps.store.exports.list(limit).map((e) => {
    const counts = deps.store.exports.counts(e.id);
    const owned = e.ownerPid !== null && (e.ownerPid === process.pid ? live.size > 0 : processIsAlive(e.ownerPid));
    return {
      id: e.id,
      mode: e.mode,
      destination: e.destination,
      state: e.state,
      interrupted: (e.state === 'running' || e.state === 'undoing') && !owned,
      createdAt: e.createdAt,
      finishedAt: e.finishedAt,
      undoneAt: e.undoneAt,
      addedLibraryFolder: e.rootId !== null ? e.rootPath : null,
      items: Object.fromEntries(Object.entries(counts).map(([state, c]) => [state, c.items])) as Record<ItemState, number>,
      bytes: Object.values(counts).reduce((n, c) => n + c.bytes, 0),
    };
  });
}

function refuseWhileBusy(deps: JobDeps): void {
  const busy = deps.jobs.active().find((j) => j.kind === 'sort-export' || j.kind === 'sort-undo');
  if (busy) throw new ExportBlocked('conflict', `An export or undo is already running (job ${busy.jobId}): wait for it to finish, or cancel it.`);
}

/** Another Shoebox (the app, a second command) is running this export: two must not work on one journal. */
function refuseIfOwned(exp: ExportRow): void {
  if (exp.ownerPid !== null && exp.ownerPid !== process.pid && processIsAlive(exp.ownerPid)) {
    throw new ExportBlocked('conflict', `Export #${exp.id} is being worked on by another Shoebox process (pid ${exp.ownerPid}): wait for it to finish.`);
  }
}

async function sameRequest(exp: ExportRow, request: ExportRequest): Promise<boolean> {
  if (exp.mode !== request.mode) return false;
  if (exp.destination === null || request.destination === null) return exp.destination === request.destination;
  return (await resolveDestination(request.destination)).real === exp.destination;
}

function describe(exp: ExportRow): string {
  return exp.destination === null ? `${exp.mode}` : `${exp.mode} to ${exp.destination}`;
}

function notEnoughRoom(p: ExportPreview): string {
  return `The export needs ${formatBytes(p.bytesNeeded)} on the disk of ${p.destination}, but only ${formatBytes(p.freeBytes ?? 0)} are free: free some space or choose another destination.`;
}
