// Library operations: folders, the demo library, indexing, pages of photos, their details and
// the files that could not be indexed.
import { z } from 'zod';
import { errorMessage } from '../../common/error-message.js';
import { startIndexJob } from '../library/index-job.js';
import { browseFolder, holdsPhotos } from '../library/folder-browser.js';
import { addRoot, expandHome, findRoot, requireAbsolute } from '../library/roots.js';
import { PHOTO_ORDERS } from '../store/photo-queries.js';
import { ApiError, defineOperation } from './define.js';
import { id, limit, photoFilter } from './schemas.js';

/**
 * A typed folder path, at most Windows' longest (32,767): longer than the system allows (4,096 on
 * Linux) is the file system's to refuse, in words that name the path (roots.ts folderError).
 */
const folderPath = z.string().min(1).max(32_767);
/** A refusal worded for a person (the library's own errors already are). */
const refused = (err: unknown): ApiError => new ApiError('bad-input', errorMessage(err));

export const libraryOperations = {
  'roots.list': defineOperation({
    summary: 'Library folders',
    input: z.object({}).strict(),
    async run(core) {
      return core.store.roots.list();
    },
  }),

  'roots.add': defineOperation({
    summary:
      'Add a library folder by its full path or ~/… (not indexed until index.start); with reuse, an existing one is returned. holdsPhotos: whether a photo was found in it (null: too many folders to look through)',
    input: z.object({ path: folderPath, reuse: z.boolean().default(false) }).strict(),
    async run(core, input) {
      const typed = expandHome(input.path);
      // Before the reuse lookup too: a relative path would be looked up against this process's folder.
      try {
        requireAbsolute(typed);
      } catch (err) {
        throw refused(err);
      }
      let root = input.reuse ? await findRoot(core.store, typed) : undefined;
      try {
        root ??= await addRoot(core.store, typed, { dataDir: core.paths.root });
      } catch (err) {
        throw refused(err);
      }
      return { ...root, holdsPhotos: await holdsPhotos(root.path) };
    },
  }),

  'folders.browse': defineOperation({
    summary: 'The sub-folders of a folder (the home folder when left out), by name, with the photos directly in each: the folder browser of browser mode',
    input: z.object({ path: folderPath.optional(), showHidden: z.boolean().default(false) }).strict(),
    async run(core, input) {
      try {
        return await browseFolder(input.path, { dataDir: core.paths.root, showHidden: input.showHidden });
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
    summary: 'Write a generated demo library into the data folder, add it and index it (first-run choice); asked again while it indexes, the same job',
    input: z.object({ count: z.number().int().min(1).max(5000).default(300) }).strict(),
    async run(core, input) {
      const root = await core.demo.add(input.count);
      // Written whole before it is added: a job already running over it sees every photo.
      return { root, ...startIndexJob(core, [root.id], { unchanging: true }) };
    },
  }),

  'index.start': defineOperation({
    summary: 'Scan the library folders and index new or changed photos, as a background job; a queued job that covers the folders is reused (reused: true); asked while one runs, one follow-up job is queued',
    input: z.object({ rootIds: z.array(id).optional() }).strict(),
    async run(core, input) {
      return startIndexJob(core, input.rootIds);
    },
  }),

  'photos.list': defineOperation({
    summary: 'A page of indexed photos in a sort order: date taken (newest first, undated last; the default), date added (newest first) or file name',
    input: z
      .object({ offset: z.number().int().min(0).default(0), limit: limit.default(200), filter: photoFilter.default({}), order: z.enum(PHOTO_ORDERS).default('taken') })
      .strict(),
    async run(core, input) {
      return core.store.photoQueries.page(input.filter, input.offset, input.limit, input.order);
    },
  }),

  'photos.timeline': defineOperation({
    summary: "Photos per local day (yyyymmdd) in photos.list's order for date taken or date added, the undated (day null) last: the grid's date headers and scrubber",
    input: z.object({ filter: photoFilter.default({}), order: z.enum(['taken', 'added']).default('taken') }).strict(),
    async run(core, input) {
      return { days: core.store.photoQueries.timeline(input.filter, input.order) };
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
