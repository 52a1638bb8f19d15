// Shared by the commands that start a job: adding a folder once, and waiting for a job with a
// progress bar (Ctrl-C cancels it; what was committed stays, and the next run resumes from there).
import path from 'node:path';
import type { Shoebox } from '../../core/shoebox.js';
import { callApi } from '../../core/api/table.js';
import type { JobEvent, JobResult } from '../../common/job-events.js';
import type { IndexSummary } from '../../core/library/index-job.js';
import { createProgressRenderer, type ProgressView } from '../progress.js';

/**
 * The folder's root id; a folder already in the library is reused. A relative folder means what
 * it means in the person's terminal: relative to this command's working folder (the API itself
 * takes full paths only).
 */
export async function addRootIfNew(core: Shoebox, folder: string): Promise<number> {
  return (await callApi(core, 'roots.add', { path: path.resolve(folder), reuse: true })).id;
}

export interface JobView {
  /** The bar's label, e.g. "Indexing". */
  label: string;
  /** What the rate counts, e.g. "photos" (per second). */
  unit: string;
  /** The bar's figures from an event; null to skip the event. Default: done/total in items. */
  view?(event: JobEvent): ProgressView | null;
}

function itemsView(e: JobEvent): ProgressView | null {
  if (e.total === null) return null;
  return { done: e.done, total: e.total, rate: e.rate ?? 0, etaSeconds: e.etaSeconds, currentFile: e.currentFile };
}

/** Waits for a started job, showing its progress unless the output is JSON; returns it when done, throws otherwise. */
export async function waitForJob(core: Shoebox, jobId: number, json: boolean, shown: JobView): Promise<Extract<JobResult, { state: 'done' }>> {
  const bar = json ? null : createProgressRenderer(shown.label, shown.unit);
  const unsubscribe = core.jobs.subscribe((e) => {
    if (e.jobId !== jobId || e.state !== 'running') return;
    const view = (shown.view ?? itemsView)(e);
    if (view) bar?.update(view);
  });
  const onSigint = (): void => void callApi(core, 'jobs.cancel', { jobId });
  process.once('SIGINT', onSigint);
  try {
    const outcome = await callApi(core, 'jobs.wait', { jobId });
    bar?.stop();
    if (outcome.state === 'failed') throw new Error(outcome.error);
    if (outcome.state !== 'done') throw new Error(`${shown.label} was ${outcome.state}; run the command again to resume.`);
    return outcome;
  } finally {
    unsubscribe();
    process.removeListener('SIGINT', onSigint);
  }
}

/** Waits for a started index job. */
export async function waitForIndex(core: Shoebox, jobId: number, json: boolean): Promise<IndexSummary> {
  const result = await waitForJob(core, jobId, json, { label: 'Indexing', unit: 'photos' });
  if (result.kind !== 'index') throw new Error(`Job ${jobId} is a ${result.kind} job, not an index job.`);
  return result.value;
}
