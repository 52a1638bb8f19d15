// Search operations: text queries (with query arithmetic) and photos like a given one, both
// narrowed by the folder/date filter.
import { z } from 'zod';
import { resolvePhotoPath } from '../library/roots.js';
import { parseQuery, QueryError } from '../search/query.js';
import { ApiError, defineOperation } from './define.js';
import { id, limit, photoFilter } from './schemas.js';

export const searchOperations = {
  'search.text': defineOperation({
    summary: 'Photos ranked by similarity to a text query; supports "beach + sunset - people" and "2:dog"',
    input: z.object({ query: z.string().min(1).max(1000), limit: limit.default(50), filter: photoFilter.default({}) }).strict(),
    async run(core, input) {
      const { service } = await core.search.service();
      const only = core.store.photoQueries.matching(input.filter) ?? undefined;
      try {
        // A bad query is found while parsing, or when its terms cancel out ("dog - dog").
        const { terms } = parseQuery(input.query);
        const hits = await service.searchTerms(terms, input.limit, only);
        return { terms, hits: core.store.photoQueries.scored(hits) };
      } catch (err) {
        if (err instanceof QueryError) throw new ApiError('bad-input', err.message);
        throw err;
      }
    },
  }),

  'search.similar': defineOperation({
    summary: 'Photos most like a given indexed photo (by id or by path)',
    input: z
      .object({ photoId: id.optional(), path: z.string().min(1).max(4096).optional(), limit: limit.default(50), filter: photoFilter.default({}) })
      .strict()
      .refine((v) => (v.photoId === undefined) !== (v.path === undefined), 'give exactly one of photoId or path'),
    async run(core, input) {
      const photo = input.photoId !== undefined ? core.store.photos.getById(input.photoId) : core.store.photos.getByPath(await resolvePhotoPath(input.path!));
      if (!photo || photo.status !== 'indexed') {
        throw new ApiError('not-found', `${input.path ?? `Photo ${input.photoId}`} is not an indexed photo of this library.`);
      }
      const { service } = await core.search.service();
      const only = core.store.photoQueries.matching(input.filter) ?? undefined;
      const hits = service.searchSimilar(photo.id, input.limit, only);
      return { photo: core.store.photoQueries.scored([{ id: photo.id, score: 1 }])[0]!, hits: core.store.photoQueries.scored(hits) };
    },
  }),
};
