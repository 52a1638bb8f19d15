// Export operations: the preview of exporting the current sorting to disk (what goes where, counts,
// bytes, free space), the export itself and its undo as background jobs, and the history. The
// export engine is core/export/ (docs/EXPORT.md).
import { z } from 'zod';
import { ExportBlocked, ExportRefused } from '../export/errors.js';
import { exportHistory, startExport, startUndo } from '../export/export-job.js';
import { planExport, type ExportRequest } from '../export/plan.js';
import { ApiError, defineOperation } from './define.js';

const request = z
  .object({
    /** A full path; left out for tags, which are written beside the photos. */
    destination: z.string().min(1).max(4096).optional(),
    mode: z.enum(['copy', 'move', 'link', 'tags']).default('copy'),
  })
  .strict()
  .refine((r) => (r.mode === 'tags') === (r.destination === undefined), {
    message: 'tags takes no destination (sidecars go beside the photos); copy, move and link need one',
    path: ['destination'],
  });

const asRequest = (r: z.output<typeof request>): ExportRequest => ({ mode: r.mode, destination: r.destination ?? null });

/** The engine's refusals as API errors: a bad request, or something to finish first. */
async function translated<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ExportRefused) throw new ApiError('bad-input', err.message);
    if (err instanceof ExportBlocked) throw new ApiError(err.kind, err.message);
    throw err;
  }
}

export const sortExportOperations = {
  'sort.exportPreview': defineOperation({
    summary: 'What exporting the current sorting would do: per category photos and bytes, renamed and skipped files, free space; writes nothing',
    input: request,
    async run(core, input) {
      const assignment = await core.sorting.current();
      const { preview } = await translated(() => planExport({ store: core.store, dataDir: core.paths.root }, assignment, asRequest(input)));
      // At most one export is unfinished at a time, and it is the newest: the same request resumes it.
      const [latest] = exportHistory(core, 1);
      return { ...preview, unfinished: latest && (latest.state === 'running' || latest.state === 'undoing') ? latest : null };
    },
  }),

  'sort.export': defineOperation({
    summary: 'Export the current sorting to disk as a background job (copy, move, link or tags); the same request resumes an unfinished export',
    input: request,
    async run(core, input) {
      // The sorting is read only for a new plan: an unfinished export resumes from its journal.
      return translated(() => startExport(core, () => core.sorting.current(), asRequest(input)));
    },
  }),

  'sort.undo': defineOperation({
    summary: 'Undo the newest export that is not undone (also an interrupted one), as a background job',
    input: z.object({}).strict(),
    async run(core) {
      return translated(async () => startUndo(core));
    },
  }),

  'sort.exports': defineOperation({
    summary: 'The export history: mode, destination, state (interrupted ones flagged) and item counts',
    input: z.object({ limit: z.number().int().min(1).max(200).default(20) }).strict(),
    async run(core, input) {
      return exportHistory(core, input.limit);
    },
  }),
};
