// The index job: scans the library folders (all, or some), re-uses the embeddings of moved
// files, encodes what is new or changed with the active model, and keeps the search index
// current as it commits. Runs through the job runner as kind 'index' (jobs/kinds.ts).
//
// [Note: disk full] A run stops with an error naming the data folder's disk while some room is
// left (paths.MIN_FREE_BYTES), so that SQLite can still record the failed files and the job's
// end; a disk filled by someone else meanwhile (SQLITE_FULL, ENOSPC) gets the same message.
import { CaptionsAsIndexed } from '../captions/import.js';
import type { JobContext, JobRunner } from '../jobs/runner.js';
import type { ModelHost, ModelOnTheWay } from '../models/model-host.js';
import { diskFull, freeSpace, isDiskFull, MIN_FREE_BYTES } from '../paths.js';
import type { SearchHost } from '../search/search-host.js';
import type { Store } from '../store/index.js';
import type { JobRow } from '../store/jobs.js';
import { IndexClock, type IndexTimings } from './index-timings.js';
import { indexCandidates, type ImageEncoder, type IndexFailure } from './indexer.js';
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
  /** Where the time went (index-timings.ts). */
  timings: IndexTimings;
  /** Captions read from the sidecars and metadata of the photos indexed now (captions/import.ts); index jobs only. */
  captions?: { added: number; updated: number; failed: { path: string; reason: string }[] };
}

export interface IndexDeps {
  store: Store;
  jobs: JobRunner;
  models: ModelHost;
  search: SearchHost;
  /** The data folder (named when its disk is full) and the thumbnail cache inside it. */
  paths: { root: string; thumbnails: string };
}

/** An index job asked for: its id, and whether it is one already queued or running that covers the folders. */
export interface IndexStart {
  jobId: number;
  reused: boolean;
}

export interface IndexStartOptions {
  /**
   * The folders do not change while they are indexed (the demo library, written whole before it
   * is added): a running job covers them too, however far its scan has gone.
   */
  unchanging?: boolean;
}

/**
 * Starts an index job of the given folders (all when left out), unless a queued one will already
 * index all of them: then that job is the answer (`reused`), so a double click or a second window
 * does not queue the same work twice. A running job is not reused: its scan may have passed a
 * folder where a file was added since, so one follow-up job is queued behind it (and reused).
 */
export function startIndexJob(deps: IndexDeps, rootIds?: readonly number[], options: IndexStartOptions = {}): IndexStart {
  const covering = coveringJob(deps, rootIds, options.unchanging ?? false);
  if (covering !== null) return { jobId: covering, reused: true };
  const params: IndexParams = { rootIds: rootIds ? [...rootIds] : null };
  try {
    return { jobId: deps.jobs.start('index', params, (ctx) => indexLibrary(deps, ctx, rootIds)).id, reused: false };
  } catch (err) {
    // The job's row could not be written: on a full disk, say which disk and what to do.
    throw isDiskFull(err) ? diskFullStop(deps.paths.root, err, 'Indexing cannot start') : err;
  }
}

/**
 * A queued index job (or a running one, for folders that do not change) that indexes every folder
 * asked for (all when left out). A job of all folders lists them as it begins running: a folder
 * added since is not in it.
 */
function coveringJob(deps: IndexDeps, rootIds: readonly number[] | undefined, unchanging: boolean): number | null {
  const roots = deps.store.roots.list();
  const wanted = rootIds ?? roots.map((r) => r.id);
  for (const job of deps.jobs.liveOf('index')) {
    if (job.state === 'running' && !unchanging) continue;
    const { startedAt } = job;
    const covered =
      job.params.rootIds !== null ? job.params.rootIds : startedAt === null ? null : roots.filter((r) => r.addedAt < startedAt).map((r) => r.id);
    if (covered === null || wanted.every((id) => covered.includes(id))) return job.id;
  }
  return null;
}

/**
 * Starts one index job for the indexing that did not finish: the newest index jobs, as long as
 * they ended 'interrupted' (a crash or kill -9, marked at a later start; or the app closed while
 * indexing), over their folders that still exist. Read from the rows rather than from what this
 * process found at start-up, so a one-shot command run in between (`shoebox status`) does not
 * make it forget. Returns the new job's id and the ids it resumes, or null.
 */
export function resumeInterruptedIndex(deps: IndexDeps): { jobId: number; resumes: number[] } | null {
  const rows: JobRow[] = [];
  for (const row of deps.store.jobs.list(RESUME_LOOKBACK)) {
    if (row.kind !== 'index') continue;
    if (row.state !== 'interrupted') break;
    rows.push(row);
  }
  const existing = new Set(deps.store.roots.list().map((r) => r.id));
  if (rows.length === 0 || existing.size === 0) return null;
  let all = false;
  const ids = new Set<number>();
  for (const row of rows) {
    const rootIds = storedRootIds(row.params);
    if (rootIds === null) all = true;
    else for (const id of rootIds) if (existing.has(id)) ids.add(id);
  }
  if (!all && ids.size === 0) return null;
  return { jobId: startIndexJob(deps, all ? undefined : [...ids]).jobId, resumes: rows.map((r) => r.id) };
}

/** Job rows looked at for an unfinished indexing (other kinds in between included). */
const RESUME_LOOKBACK = 50;

/** A stored job's folders (IndexParams.rootIds); null (all folders) when unreadable. */
function storedRootIds(params: unknown): number[] | null {
  const rootIds = (params as { rootIds?: unknown } | null)?.rootIds;
  return Array.isArray(rootIds) && rootIds.every((id) => Number.isInteger(id)) ? (rootIds as number[]) : null;
}

/** Scans the roots (all, or the given ids) and indexes what changed with the active model. */
export async function indexLibrary(deps: IndexDeps, ctx: JobContext, rootIds?: readonly number[]): Promise<IndexSummary> {
  return embedLibrary(deps, await deps.models.activeSoon(), ctx, rootIds, { importCaptions: true });
}

/**
 * Scans the roots and embeds what `model` has not embedded yet. Vectors reach search only when
 * `model` is the one search answers from (a switch job embeds with a model that is not active yet).
 */
export async function embedLibrary(
  deps: Omit<IndexDeps, 'jobs' | 'models'>,
  model: ModelOnTheWay,
  ctx: JobContext,
  rootIds?: readonly number[],
  options: { feedsSearch?: boolean; importCaptions?: boolean } = {},
): Promise<IndexSummary> {
  const space = new SpaceGuard(deps.paths.root, ctx.signal);
  try {
    space.check();
    const summary = await embedWithin(deps, model, ctx, space, rootIds, options);
    // Stopped by the guard before the end (not when the last photo was already in).
    if (space.low && summary.cancelled) throw new Error('disk full');
    return summary;
  } catch (err) {
    if (space.low || isDiskFull(err)) throw diskFullStop(deps.paths.root, err, 'Indexing stopped');
    throw err;
  }
}

async function embedWithin(
  deps: Omit<IndexDeps, 'jobs' | 'models'>,
  model: ModelOnTheWay,
  ctx: JobContext,
  space: SpaceGuard,
  rootIds: readonly number[] | undefined,
  options: { feedsSearch?: boolean; importCaptions?: boolean },
): Promise<IndexSummary> {
  const { store } = deps;
  const search = options.feedsSearch === false ? null : deps.search;
  const started = Date.now();
  const clock = new IndexClock();
  const roots = store.roots.list().filter((r) => !rootIds || rootIds.includes(r.id));
  const plan = await planScan(store, roots.map((r) => ({ id: r.id, path: r.path })), model.id, {
    signal: space.signal,
    onProgress: (p) => {
      ctx.progress({ done: 0, total: null, currentFile: p.currentPath });
      space.poll();
    },
  });
  // The search index may be loaded before, during or not at all in this run: new vectors go to
  // whichever index is current when they are committed (a later load reads them from the store).
  for (const m of plan.moved) {
    const vector = store.embeddings.get(m.photoId, model.id);
    if (vector) search?.upsert([{ photoId: m.photoId, vector }]);
  }
  clock.reach('scanned');
  // The captions of the photos indexed now (sidecars, metadata), read as they are committed;
  // photos indexed earlier are read by `shoebox caption import`.
  const captions = options.importCaptions ? new CaptionsAsIndexed(store) : null;
  const run = await indexCandidates(
    {
      store,
      modelId: model.id,
      preprocess: model.preprocess,
      encoder: imageEncoderOf(model, clock),
      thumbnailsDir: deps.paths.thumbnails,
    },
    plan.toIndex,
    {
      signal: space.signal,
      clock,
      onProgress: (p) => {
        ctx.progress(p);
        space.poll();
      },
      onCommitted: (items) => {
        search?.upsert(items);
        captions?.add(items.map((item) => item.photoId));
      },
    },
  );
  const captionSummary = await captions?.finish();
  // Photos that went missing or now fail leave search: rebuild the index lazily from the store.
  if (plan.missing > 0 || run.failures.length > 0) search?.invalidate();
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
    timings: run.timings,
    ...(captionSummary ? { captions: captionSummary } : {}),
  };
}

/** The model's image tower as the indexer calls it, once its worker is ready. */
async function imageEncoderOf(model: ModelOnTheWay, clock: IndexClock): Promise<ImageEncoder> {
  const { client } = await model.ready;
  if (model.starting) clock.towerLoaded(client.towerLoadSeconds());
  const batch = client.info().batch;
  // 8 for dynamic exports: ViT-B/32 on 2 cores gains ~50 % over batch 1 and little beyond 8.
  return { encode: (images) => client.encodeImages(images), batchSize: batch === 'dynamic' ? 8 : batch };
}

/** How often, at most, free space is looked at during a run (one statfs call). */
const SPACE_CHECK_MS = 250;

/**
 * Watches the free space on the data folder's disk during a run ([Note: disk full]): below the
 * reserve it aborts its signal (the run stops taking photos, like a cancel) and `low` is set.
 */
class SpaceGuard {
  readonly signal: AbortSignal;
  low = false;
  private readonly controller = new AbortController();
  private lastCheck = -Infinity;

  constructor(
    private readonly root: string,
    outer: AbortSignal,
  ) {
    this.signal = AbortSignal.any([outer, this.controller.signal]);
  }

  /** Throws (through the caller's catch) when the disk is already below the reserve. */
  check(): void {
    const free = freeSpace(this.root);
    if (free !== null && free < MIN_FREE_BYTES) {
      this.low = true;
      throw new Error('disk full');
    }
  }

  poll(): void {
    const now = Date.now();
    if (this.low || now - this.lastCheck < SPACE_CHECK_MS) return;
    this.lastCheck = now;
    const free = freeSpace(this.root);
    if (free !== null && free < MIN_FREE_BYTES) {
      this.low = true;
      this.controller.abort(new Error('disk full'));
    }
  }
}

function diskFullStop(root: string, err: unknown, what: string): Error {
  const full = diskFull(root);
  return new Error(`${what}: ${full.what}. Photos indexed so far are kept. To go on, ${full.fix}, then index again.`, { cause: err });
}
