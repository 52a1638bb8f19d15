// Shared by index and demo: adding a folder once, and waiting for an index job with a progress
// bar (Ctrl-C cancels it).
import type { Shoebox } from '../../core/shoebox.js';
import { callApi } from '../../core/api/table.js';
import type { IndexSummary } from '../../core/library/index-job.js';
import { createProgressRenderer } from '../progress.js';

/** The folder's root id; a folder already in the library is reused. */
export async function addRootIfNew(core: Shoebox, folder: string): Promise<number> {
  return (await callApi(core, 'roots.add', { path: folder, reuse: true })).id;
}

/** Waits for a started index job, showing its progress unless the output is JSON. */
export async function waitForIndex(core: Shoebox, jobId: number, json: boolean): Promise<IndexSummary> {
  const bar = json ? null : createProgressRenderer('Indexing');
  const unsubscribe = core.jobs.subscribe((e) => {
    if (e.jobId !== jobId || e.state !== 'running' || e.total === null) return;
    bar?.update({ done: e.done, total: e.total, rate: e.rate ?? 0, etaSeconds: e.etaSeconds, currentFile: e.currentFile });
  });
  // Ctrl-C cancels the job; what was committed stays, and the next run resumes from there.
  const onSigint = (): void => void callApi(core, 'jobs.cancel', { jobId });
  process.once('SIGINT', onSigint);
  try {
    const outcome = await callApi(core, 'jobs.wait', { jobId });
    bar?.stop();
    if (outcome.state === 'failed') throw new Error(outcome.error);
    if (outcome.kind === 'index' && outcome.state === 'done') return outcome.value;
    if (outcome.state === 'done') throw new Error(`Job ${jobId} is a ${outcome.kind} job, not an index job.`);
    throw new Error(`Indexing was ${outcome.state}; run the command again to resume.`);
  } finally {
    unsubscribe();
    process.removeListener('SIGINT', onSigint);
  }
}

