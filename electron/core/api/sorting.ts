// Sorting operations: the person's categories, the library sorted into them (summary, pages of
// each category, the review queue, everything at once for scripts), the live preview of a
// category being typed, and corrections. Exports live in sort-export.ts.
import { z } from 'zod';
import type { Shoebox } from '../shoebox.js';
import type { CategoryInput, CategoryRow } from '../store/categories.js';
import { startSortJob } from '../sorting/sort-job.js';
import type { SortedPhoto } from '../sorting/types.js';
import { ApiError, defineOperation } from './define.js';
import { indexedPhotoIds, photoRefs } from './photo-refs.js';
import { id, limit } from './schemas.js';
import { errorMessage } from '../../common/error-message.js';

const name = z.string().trim().min(1, 'a category needs a name').max(100);
const prompt = z.string().trim().min(1).max(300);
const prompts = z.array(prompt).max(20);
const strictness = z.number().min(0).max(1).nullable();
/** Where photos are: a category's id, the photos no category took, or the least sure ones. */
const place = z.union([id, z.literal('unsorted'), z.literal('review')]);

function findCategory(core: Shoebox, key: { id?: number | undefined; name?: string | undefined }): CategoryRow {
  const found = key.id !== undefined ? core.store.categories.get(key.id) : core.store.categories.byName(key.name ?? '');
  if (!found) throw new ApiError('not-found', `No category ${key.id !== undefined ? `with id ${key.id}` : `named "${key.name}"`}: see \`shoebox categories list\`.`);
  return found;
}

function saveCategory(core: Shoebox, input: CategoryInput, existing?: CategoryRow): CategoryRow {
  const clash = core.store.categories.byName(input.name);
  if (clash && clash.id !== existing?.id) throw new ApiError('conflict', `A category named "${clash.name}" exists already.`);
  const row = existing ? core.store.categories.update(existing.id, input) : core.store.categories.add(input);
  if (!row) throw new ApiError('not-found', `The category ${existing?.name} was removed meanwhile.`);
  core.sorting.changed();
  return row;
}

/** The photos of one place in the current sorting, in its order. */
async function photosAt(core: Shoebox, where: z.output<typeof place>): Promise<SortedPhoto[]> {
  const state = await core.sorting.state();
  if (where === 'unsorted') return state.assignment.unsorted;
  if (where === 'review') return state.review;
  const category = state.assignment.categories.find((c) => c.id === where);
  if (!category) throw new ApiError('not-found', `No category with id ${where}.`);
  return category.photos;
}

export const sortingOperations = {
  'categories.list': defineOperation({
    summary: 'The categories, in their order',
    input: z.object({}).strict(),
    async run(core) {
      return core.store.categories.list();
    },
  }),

  'categories.add': defineOperation({
    summary: 'Add a category: a name, optional extra prompts ("a receipt on a table") and strictness 0..1',
    input: z.object({ name, prompts: prompts.default([]), strictness: strictness.default(null) }).strict(),
    async run(core, input) {
      return saveCategory(core, input);
    },
  }),

  'categories.update': defineOperation({
    summary: 'Rename a category or change its prompts or strictness',
    input: z.object({ id, name: name.optional(), prompts: prompts.optional(), strictness: strictness.optional() }).strict(),
    async run(core, input) {
      const existing = findCategory(core, input);
      return saveCategory(core, { name: input.name ?? existing.name, prompts: input.prompts ?? existing.prompts, strictness: input.strictness === undefined ? existing.strictness : input.strictness }, existing);
    },
  }),

  'categories.remove': defineOperation({
    summary: 'Remove a category (by id or name); its photos go back to the rule, corrections toward it are forgotten',
    input: z
      .object({ id: id.optional(), name: name.optional() })
      .strict()
      .refine((v) => (v.id === undefined) !== (v.name === undefined), 'give exactly one of id or name'),
    async run(core, input) {
      const category = findCategory(core, input);
      core.store.categories.remove(category.id);
      core.sorting.changed();
      return { removed: category };
    },
  }),

  'categories.reorder': defineOperation({
    summary: 'Put the categories in a new order (every id once)',
    input: z.object({ ids: z.array(id).max(1000) }).strict(),
    async run(core, input) {
      try {
        core.store.categories.reorder(input.ids);
      } catch (err) {
        throw new ApiError('bad-input', errorMessage(err));
      }
      core.sorting.changed();
      return core.store.categories.list();
    },
  }),

  'sort.start': defineOperation({
    summary: 'Sort the library into the categories, as a background job (encodes new prompts first)',
    input: z.object({}).strict(),
    async run(core) {
      return { jobId: startSortJob(core) };
    },
  }),

  'sort.mode': defineOperation({
    summary: 'Single-label (each photo in its best category) or multi-label (in every category it passes)',
    input: z.object({ multiLabel: z.boolean() }).strict(),
    async run(core, input) {
      core.sorting.setMultiLabel(input.multiLabel);
      return { multiLabel: input.multiLabel };
    },
  }),

  'sort.summary': defineOperation({
    summary: 'How many photos each category has, how many are unsorted and how many await review',
    input: z.object({}).strict(),
    async run(core) {
      const { assignment, outcome, review: queue } = await core.sorting.state();
      const review = queue.length;
      return {
        modelId: assignment.modelId,
        multiLabel: assignment.multiLabel,
        spread: outcome.spread,
        total: outcome.placed.length,
        categories: assignment.categories.map((c) => ({ id: c.id, name: c.name, count: c.photos.length, corrected: c.photos.filter((p) => p.corrected).length })),
        unsorted: assignment.unsorted.length,
        review,
      };
    },
  }),

  'sort.photos': defineOperation({
    summary: 'A page of the photos of a category, of Unsorted or of the review queue, surest first (review: least sure first)',
    input: z.object({ place, offset: z.number().int().min(0).default(0), limit: limit.default(200) }).strict(),
    async run(core, input) {
      const all = await photosAt(core, input.place);
      const page = all.slice(input.offset, input.offset + input.limit);
      const scored = core.store.photoQueries.scored(page.map((p) => ({ id: p.photoId, score: p.confidence })));
      const corrected = new Set(page.filter((p) => p.corrected).map((p) => p.photoId));
      // Where each photo is now (the review queue mixes places): empty = Unsorted.
      const { placedIn } = await core.sorting.state();
      return { total: all.length, photos: scored.map((p) => ({ ...p, corrected: corrected.has(p.id), placedIn: placedIn.get(p.id) ?? [] })) };
    },
  }),

  'sort.result': defineOperation({
    summary: 'The whole sorting: every category with its photos (paths, confidences) and the unsorted photos',
    input: z.object({}).strict(),
    async run(core) {
      const assignment = await core.sorting.current();
      const withPaths = (photos: SortedPhoto[]) => {
        const byId = new Map(core.store.photoQueries.scored(photos.map((p) => ({ id: p.photoId, score: p.confidence }))).map((s) => [s.id, s.path]));
        return photos.map((p) => ({ id: p.photoId, path: byId.get(p.photoId) ?? '', confidence: p.confidence, corrected: p.corrected }));
      };
      return {
        modelId: assignment.modelId,
        multiLabel: assignment.multiLabel,
        categories: assignment.categories.map((c) => ({ id: c.id, name: c.name, photos: withPaths(c.photos) })),
        unsorted: withPaths(assignment.unsorted),
      };
    },
  }),

  'sort.preview': defineOperation({
    summary: 'The photos a category would take, while its name is being typed (replacing: the category being edited)',
    input: z.object({ name, prompts: prompts.default([]), strictness: strictness.default(null), replacing: id.optional(), limit: z.number().int().min(0).max(200).default(24) }).strict(),
    async run(core, input) {
      // Typing the name of a category that exists previews that category as edited, not a twin of it.
      const replacing = input.replacing ?? core.store.categories.byName(input.name)?.id;
      const { count, photos } = await core.sorting.preview(
        { name: input.name, prompts: input.prompts, strictness: input.strictness, ...(replacing !== undefined ? { replacing } : {}) },
        input.limit,
      );
      return { count, photos: core.store.photoQueries.scored(photos.map((p) => ({ id: p.photoId, score: p.confidence }))) };
    },
  }),

  'sort.correct': defineOperation({
    summary: 'Put photos in a category (by id or name) or in Unsorted (category null), or confirm where they are; they teach the sorting',
    input: z.object({ category: z.union([id, name]).nullable() }).and(photoRefs),
    async run(core, input) {
      const photoIds = await indexedPhotoIds(core, input);
      const category = input.category === null ? null : findCategory(core, typeof input.category === 'number' ? { id: input.category } : { name: input.category });
      core.store.corrections.set(photoIds, category?.id ?? null);
      core.sorting.changed();
      return { photoIds, category: category ? { id: category.id, name: category.name } : null };
    },
  }),

  'sort.uncorrect': defineOperation({
    summary: 'Forget what was said about photos: the sorting decides for them again',
    input: photoRefs,
    async run(core, input) {
      const cleared = core.store.corrections.clear(await indexedPhotoIds(core, input));
      core.sorting.changed();
      return { cleared };
    },
  }),
};
