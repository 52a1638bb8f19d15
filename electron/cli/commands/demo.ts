// The demo command: writes a generated library (into the data folder, or a given folder),
// indexes it and runs a few searches, to try Shoebox without photos of one's own.
import path from 'node:path';
import { callApi, type ApiOutput } from '../../core/api/table.js';
import { DEMO_SEED } from '../../core/library/demo.js';
import { writeDemoLibrary } from '../../core/synthetic/index.js';
import { EXIT_OK, defineCommand, wholeNumber } from '../command.js';
import { printHits, printIndexSummary } from '../format.js';
import { addRootIfNew, waitForIndex } from './indexing.js';
import { LIMIT_OPTION, parseLimit } from './search.js';

const DEMO_QUERIES = ['two red stars on the beach', 'a blue circle at night', 'green triangles in the snow', 'yellow square + grass - night'];
/** Results shown per demo search, at most. */
const DEMO_HITS = 5;
/** library.addDemo's bound (api/library.ts), checked here before anything is written or opened. */
const DATA_FOLDER_DEMO_MAX = 5000;

export const demoCommand = defineCommand({
  name: 'demo',
  args: '[folder]',
  summary: 'write a generated demo library, index it and run a few searches',
  options: {
    limit: { ...LIMIT_OPTION, help: `results per search, at most ${DEMO_HITS}` },
    count: { type: 'string', default: '200', placeholder: '<n>', help: 'number of photos' },
  },
  async run({ args, options, json, open }) {
    const limit = Math.min(parseLimit(options.limit), DEMO_HITS);
    const target = args[0];
    const count = wholeNumber('--count', options.count, 1, target ? 100_000 : DATA_FOLDER_DEMO_MAX);
    const core = await open();
    let folder: string;
    let jobId: number;
    if (target) {
      folder = path.resolve(target);
      if (!json) console.log(`Writing ${count} generated photos (and a few broken files) to ${folder} …`);
      await writeDemoLibrary(folder, { seed: DEMO_SEED, count, withBadFiles: true });
      ({ jobId } = await callApi(core, 'index.start', { rootIds: [await addRootIfNew(core, folder)] }));
    } else {
      if (!json) console.log(`Writing ${count} generated photos (and a few broken files) to the data folder …`);
      // The API writes the data folder's demo library once and starts its index job.
      const added = await callApi(core, 'library.addDemo', { count });
      folder = added.root.path;
      jobId = added.jobId;
    }
    const summary = await waitForIndex(core, jobId, json);
    const searches: { query: string; hits: ApiOutput<'search.text'>['hits'] }[] = [];
    for (const query of DEMO_QUERIES) searches.push({ query, hits: (await callApi(core, 'search.text', { query, limit })).hits });
    if (json) {
      console.log(JSON.stringify({ folder, summary, searches }, null, 2));
      return EXIT_OK;
    }
    printIndexSummary(summary);
    for (const s of searches) {
      console.log(`\nshoebox search "${s.query}"`);
      printHits(s.hits, null);
    }
    console.log(`\nTry your own: npm run shoebox -- search "three white hearts in the snow"`);
    return EXIT_OK;
  },
});
