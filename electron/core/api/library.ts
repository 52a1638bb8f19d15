// Library operations: folders, the demo library, indexing, pages of photos, their details and
// the files that could not be indexed.
import { z } from 'zod';
import { startIndexJob } from '../library/index-job.js';
import { addRoot, findRoot, requireAbsolute } from '../library/roots.js';
import { ApiError, defineOperation } from './define.js';
import { id, limit, photoFilter } from './schemas.js';

export const libraryOperations = {
  'roots.list': defineOperation({
    summary: 'Library folders',
    input: z.object({}).strict(),
    async run(core) {
      return core.store.roots.list();
    },
  }),

  'roots.add': defineOperation({
    summary: 'Add a library folder by its full path (not indexed until index.start); with reuse, an existing one is returned',
    input: z.object({ path: z.string().min(1).max(4096), reuse: z.boolean().default(false) }).strict(),
    async run(core, input) {
      const refused = (err: unknown): ApiError => new ApiError('bad-input', err instanceof Error ? err.message : String(err));
      // Before the reuse lookup too: a relative path would be looked up against this process's folder.
      try {
        requireAbsolute(input.path);
      } catch (err) {
        throw refused(err);
      }
      const existing = input.reuse ? await findRoot(core.store, input.path) : undefined;
      if (existing) return existing;
      try {
        return await addRoot(core.store, input.path, { dataDir: core.paths.root });
      } catch (err) {
        throw refused(err);
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
      core.search.invalidate();
      return { removed: input.id };
    },
  }),

  'library.addDemo': defineOperation({
    summary: 'Write a generated demo library into the data folder, add it and index it (first-run choice)',
    input: z.object({ count: z.number().int().min(1).max(5000).default(300) }).strict(),
    async run(core, input) {
      const root = await core.demo.add(input.count);
      return { root, jobId: startIndexJob(core, [root.id]) };
    },
  }),

  'index.start': defineOperation({
    summary: 'Scan the library folders and index new or changed photos, as a background job',
    input: z.object({ rootIds: z.array(id).optional() }).strict(),
    async run(core, input) {
      return { jobId: startIndexJob(core, input.rootIds) };
    },
  }),

  'photos.list': defineOperation({
    summary: 'A page of indexed photos, newest first',
    input: z.object({ offset: z.number().int().min(0).default(0), limit: limit.default(200), filter: photoFilter.default({}) }).strict(),
    async run(core, input) {
      return core.store.photoQueries.page(input.filter, input.offset, input.limit);
    },
  }),

  'photos.stats': defineOperation({
    summary: 'Indexed photos per library folder and the range of capture dates (for filters)',
    input: z.object({}).strict(),
    async run(core) {
      return core.store.photoStats.get();
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
