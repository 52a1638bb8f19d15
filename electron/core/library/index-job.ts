// The index job: scans the library folders (all, or some), re-uses the embeddings of moved
// files, encodes what is new or changed with the active model, and keeps the search index
// current as it commits. Runs through the job runner as kind 'index' (jobs/kinds.ts).
import type { JobContext, JobRunner } from '../jobs/runner.js';
import type { ActiveModel, ModelHost } from '../models/model-host.js';
import type { SearchHost } from '../search/search-host.js';
import type { Store } from '../store/index.js';
import { indexCandidates, type IndexFailure } from './indexer.js';
import { planScan, type ScanError } from './scan.js';

/** The job's parameters as stored with its row: which folders (null: all). */
export type IndexParams = { rootIds: number[] | null };

export interface IndexSummary {
  filesSeen: number;
  indexed: number;
  unchanged: number;
  moved: number;
  missing: number;
  failed: IndexFailure[];
  scanErrors: ScanError[];
  cancelled: boolean;
  seconds: number;
}

export interface IndexDeps {
  store: Store;
  jobs: JobRunner;
  models: ModelHost;
  search: SearchHost;
  paths: { thumbnails: string };
}

/** Starts an index job of the given folders (all when left out); returns its job id. */
export function startIndexJob(deps: IndexDeps, rootIds?: readonly number[]): number {
  const params: IndexParams = { rootIds: rootIds ? [...rootIds] : null };
  return deps.jobs.start('index', params, (ctx) => indexLibrary(deps, ctx, rootIds)).id;
}

/** Scans the roots (all, or the given ids) and indexes what changed with the active model. */
export async function indexLibrary(deps: IndexDeps, ctx: JobContext, rootIds?: readonly number[]): Promise<IndexSummary> {
  return embedLibrary(deps, await deps.models.active(), ctx, rootIds);
}

/**
 * Scans the roots and embeds what `model` has not embedded yet. Vectors reach search only when
 * `model` is the one search answers from (a switch job embeds with a model that is not active yet).
 */
export async function embedLibrary(
  deps: Omit<IndexDeps, 'jobs' | 'models'>,
  model: ActiveModel,
  ctx: JobContext,
  rootIds?: readonly number[],
  options: { feedsSearch?: boolean } = {},
): Promise<IndexSummary> {
  const { store } = deps;
  const search = options.feedsSearch === false ? null : deps.search;
  const started = Date.now();
  const info = model.client.info();
  const roots = store.roots.list().filter((r) => !rootIds || rootIds.includes(r.id));
  const plan = await planScan(store, roots.map((r) => ({ id: r.id, path: r.path })), model.id, {
    signal: ctx.signal,
    onProgress: (p) => ctx.progress({ done: 0, total: null, currentFile: p.currentPath }),
  });
  // The search index may be loaded before, during or not at all in this run: new vectors go to
  // whichever index is current when they are committed (a later load reads them from the store).
  for (const m of plan.moved) {
    const vector = store.embeddings.get(m.photoId, model.id);
    if (vector) search?.upsert([{ photoId: m.photoId, vector }]);
  }
  const run = await indexCandidates(
    {
      store,
      modelId: model.id,
      preprocess: model.preprocess,
      encodeImages: (batch) => model.client.encodeImages(batch),
      thumbnailsDir: deps.paths.thumbnails,
      batchSize: info.batch === 'dynamic' ? 8 : info.batch,
    },
    plan.toIndex,
    {
      signal: ctx.signal,
      onProgress: (p) => ctx.progress(p),
      onCommitted: (items) => search?.upsert(items),
    },
  );
  // Photos that went missing or now fail leave search: rebuild the index lazily from the store.
  if (plan.missing > 0 || run.failures.length > 0) deps.search.invalidate();
  return {
    filesSeen: plan.filesSeen,
    indexed: run.indexed,
    unchanged: plan.unchanged,
    moved: plan.moved.length,
    missing: plan.missing,
    failed: run.failures,
    scanErrors: plan.scanErrors,
    cancelled: run.cancelled,
    seconds: (Date.now() - started) / 1000,
  };
}
