// Sorting the library as a background job (kind 'sort'): encodes the prompts this model has not
// embedded yet (the slow part the first time: the text tower loads), scores every photo and
// applies the rule. The result stays in the sorting host for the API to page through.
import type { JobRunner } from '../jobs/runner.js';
import type { SortingHost } from './sorting-host.js';

export type SortParams = Record<string, never>;

export interface SortSummary {
  modelId: string;
  categories: { id: number; name: string; count: number }[];
  unsorted: number;
}

const STEPS = ['encoding', 'scoring'] as const;

export function startSortJob(deps: { jobs: JobRunner; sorting: SortingHost }): number {
  return deps.jobs.start('sort', {}, async (ctx) => {
    ctx.progress({ done: 0, total: STEPS.length + 1 });
    const assignment = await deps.sorting.current((step) => {
      ctx.signal.throwIfAborted();
      ctx.progress({ done: STEPS.indexOf(step as (typeof STEPS)[number]), currentFile: step });
    });
    ctx.progress({ done: STEPS.length + 1 });
    return {
      modelId: assignment.modelId,
      categories: assignment.categories.map((c) => ({ id: c.id, name: c.name, count: c.photos.length })),
      unsorted: assignment.unsorted.length,
    };
  }).id;
}
