// Search operations: text queries (with query arithmetic and the relevance floor) and photos like
// a given one, both narrowed by the folder/date filter. The floor is for text only: a photo's own
// vector always finds something like it, and its scores are ranked, not judged.
import { z } from 'zod';
import { resolvePhotoPath } from '../library/roots.js';
import { MAX_QUERY_CHARS } from '../../common/search-limits.js';
import { parseQuery, QueryError } from '../search/query.js';
import { MAX_RESULTS, searchTextPage } from '../search/text-search.js';
import { ApiError, defineOperation } from './define.js';
import { id, limit, photoFilter } from './schemas.js';

export const searchOperations = {
  'search.text': defineOperation({
    summary: 'Photos ranked by similarity to a text query, each marked a good match or not (the relevance floor, docs/SEARCH.md); supports "beach + sunset - people" and "2:dog"; pages with offset',
    input: z
      .object({
        query: z.string().min(1).max(MAX_QUERY_CHARS),
        limit: limit.default(50),
        offset: z.number().int().min(0).max(MAX_RESULTS).default(0),
        /** 'strong' pages through the good matches alone; 'all' through every photo, best first. */
        show: z.enum(['strong', 'all']).default('all'),
        filter: photoFilter.default({}),
      })
      .strict(),
    async run(core, input) {
      const { service } = await core.search.service();
      const only = core.store.photoQueries.matching(input.filter) ?? undefined;
      try {
        // A bad query is found while parsing, or when its terms cancel out ("dog - dog").
        const { terms } = parseQuery(input.query);
        // Both encoder calls are made at once: a model switch that closes this model after they
        // were asked for lets them finish, where a second call made later would be refused.
        const [parts, q] = await Promise.all([core.search.relevance(), service.queryVector(terms)]);
        const page = searchTextPage(service, parts, terms, q, { offset: input.offset, limit: input.limit, show: input.show, ...(only ? { filter: only } : {}) });
        const strong = new Map(page.hits.map((h) => [h.id, h.strong]));
        const hits = core.store.photoQueries.scored(page.hits).map((h) => ({ ...h, strong: strong.get(h.id) === true }));
        return { terms, hits, total: page.total, strong: page.strong, understood: page.understood };
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
