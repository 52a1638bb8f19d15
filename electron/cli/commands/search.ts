// The search commands: photos ranked by a text query, and photos most like a given photo.
import { callApi } from '../../core/api/table.js';
import { EXIT_OK, UsageError, defineCommand, wholeNumber } from '../command.js';
import { printHits, printResult, printTextHits } from '../format.js';

/** -n/--limit as search, similar and demo declare it (alike, so it may come before the command). */
export const LIMIT_OPTION = { type: 'string', short: 'n', default: '10', placeholder: '<n>', help: 'number of results' } as const;

export const parseLimit = (raw: string): number => wholeNumber('--limit', raw, 1, 1000);

export const searchCommand = defineCommand({
  name: 'search',
  args: '<query>',
  summary: 'photos ranked by a text query; "beach + sunset - people", "2:dog + grass"',
  options: { limit: LIMIT_OPTION },
  async run({ args, options, json, open }) {
    const limit = parseLimit(options.limit);
    if (args.length === 0) throw new UsageError('search needs a query, e.g. shoebox search "dog on a beach"');
    // An unquoted query arrives as several words: they are one query.
    const result = await callApi(await open(), 'search.text', { query: args.join(' '), limit });
    printResult(json, result, printTextHits);
    return EXIT_OK;
  },
});

export const similarCommand = defineCommand({
  name: 'similar',
  args: '<photo>',
  summary: 'photos most like an indexed photo (path or id)',
  options: { limit: LIMIT_OPTION },
  async run({ args, options, json, open }) {
    const limit = parseLimit(options.limit);
    const [target] = args;
    if (!target || args.length > 1) throw new UsageError('similar takes one photo: a path or an id');
    const input = /^\d+$/.test(target) ? { photoId: Number(target), limit } : { path: target, limit };
    const result = await callApi(await open(), 'search.similar', input);
    printResult(json, result, (r) => printHits(r.hits, null, r.photo.path));
    return EXIT_OK;
  },
});
