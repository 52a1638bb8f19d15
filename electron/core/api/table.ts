// The Shoebox API: one table of named operations. The CLI, Electron's IPC and the browser-mode
// HTTP server all call `callApi` with a name from this table; the renderer's client types are
// derived from it (ApiInput / ApiOutput), so transports and UI cannot drift apart.
import { z } from 'zod';
import { ApiError, defineOperation, parseInput } from './define.js';
import type { Shoebox } from '../shoebox.js';
import { PhotoQueries, type PhotoSummary } from '../store/photo-queries.js';
import { photoStats } from '../store/photo-stats.js';
import { parseQuery, QueryError } from '../search/query.js';

const id = z.number().int().positive();
const limit = z.number().int().min(1).max(1000);
const filter = z
  .object({
    rootId: id.optional(),
    takenFrom: z.number().int().optional(),
    takenTo: z.number().int().optional(),
  })
  .strict();

export interface ScoredPhoto extends PhotoSummary {
  score: number;
}

function queries(core: Shoebox): PhotoQueries {
  return new PhotoQueries(core.store.db);
}

function withScores(core: Shoebox, hits: readonly { id: number; score: number }[]): ScoredPhoto[] {
  const byId = new Map(queries(core).summaries(hits.map((h) => h.id)).map((p) => [p.id, p]));
  const out: ScoredPhoto[] = [];
  for (const h of hits) {
    const p = byId.get(h.id);
    if (p) out.push({ ...p, score: h.score });
  }
  return out;
}

export const api = {
  status: defineOperation({
    summary: 'Library size, roots, active model and execution provider, errors, running jobs',
    input: z.object({ loadModel: z.boolean().default(true) }).strict(),
    async run(core, input) {
      const counts = core.store.photos.countByStatus();
      let model: Awaited<ReturnType<Shoebox['modelInfo']>> | null = null;
      let modelError: string | null = null;
      if (input.loadModel) {
        try {
          model = await core.modelInfo();
        } catch (err) {
          modelError = err instanceof Error ? err.message : String(err);
        }
      }
      return {
        dataDir: core.paths.root,
        photos: counts,
        roots: core.store.roots.list(),
        model,
        modelDir: core.modelDir(),
        modelError,
        errors: core.store.errors.count(),
        jobs: core.jobs.active(),
      };
    },
  }),

  'roots.list': defineOperation({
    summary: 'Library folders',
    input: z.object({}).strict(),
    async run(core) {
      return core.store.roots.list();
    },
  }),

  'roots.add': defineOperation({
    summary: 'Add a library folder (not indexed until index.start); with reuse, an existing one is returned',
    input: z.object({ path: z.string().min(1).max(4096), reuse: z.boolean().default(false) }).strict(),
    async run(core, input) {
      const existing = input.reuse ? await core.findRoot(input.path) : undefined;
      if (existing) return existing;
      try {
        return await core.addRoot(input.path);
      } catch (err) {
        throw new ApiError('bad-input', err instanceof Error ? err.message : String(err));
      }
    },
  }),

  'roots.remove': defineOperation({
    summary: 'Remove a library folder and forget its photos (the files are not touched)',
    input: z.object({ id }).strict(),
    async run(core, input) {
      if (core.jobs.active().some((j) => j.kind === 'index')) {
        throw new ApiError('conflict', 'Indexing is running: cancel it or wait for it to finish, then remove the folder.');
      }
      if (!core.store.roots.remove(input.id)) throw new ApiError('not-found', `No library folder with id ${input.id}.`);
      core.invalidateSearch();
      return { removed: input.id };
    },
  }),

  'library.addDemo': defineOperation({
    summary: 'Write a generated demo library into the data folder, add it and index it (first-run choice)',
    input: z.object({ count: z.number().int().min(1).max(5000).default(300) }).strict(),
    async run(core, input) {
      const root = await core.addDemoLibrary(input.count);
      const jobId = core.startJob('index', { rootIds: [root.id] }, (ctx) => core.indexLibrary(ctx, [root.id]));
      return { root, jobId };
    },
  }),

  'index.start': defineOperation({
    summary: 'Scan the library folders and index new or changed photos, as a background job',
    input: z.object({ rootIds: z.array(id).optional() }).strict(),
    async run(core, input) {
      const jobId = core.startJob('index', { rootIds: input.rootIds ?? null }, (ctx) => core.indexLibrary(ctx, input.rootIds));
      return { jobId };
    },
  }),

  'jobs.list': defineOperation({
    summary: 'Running jobs with progress, and recent finished ones',
    input: z.object({}).strict(),
    async run(core) {
      return { active: core.jobs.active(), recent: core.store.jobs.list(20) };
    },
  }),

  'jobs.wait': defineOperation({
    summary: 'Wait for a job of this session to finish and return its result',
    input: z.object({ jobId: id }).strict(),
    async run(core, input) {
      const outcome = core.waitJob(input.jobId);
      if (!outcome) throw new ApiError('not-found', `Job ${input.jobId} was not started in this session.`);
      const o = await outcome;
      return o.state === 'failed' ? { state: o.state, error: o.error.message } : o;
    },
  }),

  'jobs.cancel': defineOperation({
    summary: 'Cancel a running job (work already committed is kept)',
    input: z.object({ jobId: id }).strict(),
    async run(core, input) {
      return { cancelled: core.jobs.cancel(input.jobId) };
    },
  }),

  'search.text': defineOperation({
    summary: 'Photos ranked by similarity to a text query; supports "beach + sunset - people" and "2:dog"',
    input: z.object({ query: z.string().min(1).max(1000), limit: limit.default(50), filter: filter.default({}) }).strict(),
    async run(core, input) {
      const { service } = await core.searchService();
      const only = queries(core).matching(input.filter) ?? undefined;
      try {
        // A bad query is found while parsing, or when its terms cancel out ("dog - dog").
        const { terms } = parseQuery(input.query);
        const hits = await service.searchTerms(terms, input.limit, only);
        return { terms, hits: withScores(core, hits) };
      } catch (err) {
        if (err instanceof QueryError) throw new ApiError('bad-input', err.message);
        throw err;
      }
    },
  }),

  'search.similar': defineOperation({
    summary: 'Photos most like a given indexed photo (by id or by path)',
    input: z
      .object({ photoId: id.optional(), path: z.string().min(1).max(4096).optional(), limit: limit.default(50), filter: filter.default({}) })
      .strict()
      .refine((v) => (v.photoId === undefined) !== (v.path === undefined), 'give exactly one of photoId or path'),
    async run(core, input) {
      const photo = input.photoId !== undefined ? core.store.photos.getById(input.photoId) : core.store.photos.getByPath(await core.resolvePhotoPath(input.path!));
      if (!photo || photo.status !== 'indexed') {
        throw new ApiError('not-found', `${input.path ?? `Photo ${input.photoId}`} is not an indexed photo of this library.`);
      }
      const { service } = await core.searchService();
      const only = queries(core).matching(input.filter) ?? undefined;
      const hits = service.searchSimilar(photo.id, input.limit, only);
      return { photo: withScores(core, [{ id: photo.id, score: 1 }])[0]!, hits: withScores(core, hits) };
    },
  }),

  'photos.list': defineOperation({
    summary: 'A page of indexed photos, newest first',
    input: z.object({ offset: z.number().int().min(0).default(0), limit: limit.default(200), filter: filter.default({}) }).strict(),
    async run(core, input) {
      return queries(core).page(input.filter, input.offset, input.limit);
    },
  }),

  'photos.stats': defineOperation({
    summary: 'Indexed photos per library folder and the range of capture dates (for filters)',
    input: z.object({}).strict(),
    async run(core) {
      return photoStats(core.store.db);
    },
  }),

  'photos.get': defineOperation({
    summary: 'One photo with its metadata',
    input: z.object({ id }).strict(),
    async run(core, input) {
      const photo = core.store.photos.getById(input.id);
      if (!photo) throw new ApiError('not-found', `No photo with id ${input.id}.`);
      return photo;
    },
  }),

  'errors.list': defineOperation({
    summary: 'Files that could not be indexed, with the reason',
    input: z.object({ offset: z.number().int().min(0).default(0), limit: limit.default(100) }).strict(),
    async run(core, input) {
      return { total: core.store.errors.count(), errors: core.store.errors.list(input.limit, input.offset) };
    },
  }),
};

export type Api = typeof api;
export type ApiName = keyof Api;
export type ApiInput<N extends ApiName> = z.input<Api[N]['input']>;
export type ApiOutput<N extends ApiName> = Awaited<ReturnType<Api[N]['run']>>;

export function isApiName(name: string): name is ApiName {
  return Object.hasOwn(api, name);
}

/** The one entry point of every transport: validates the input, then runs the operation. */
export async function callApi<N extends ApiName>(core: Shoebox, name: N, raw: unknown): Promise<ApiOutput<N>> {
  const op = api[name] as unknown as { input: z.ZodType; run(core: Shoebox, input: unknown): Promise<ApiOutput<N>> };
  const input = parseInput(name, op.input, raw);
  return op.run(core, input);
}
