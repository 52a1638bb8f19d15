// The `shoebox` command line: index, search, similar, status, errors, roots, demo. Every command
// goes through the API table (core/api), like the app's other transports; --json prints the
// API's answer as JSON for scripts.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { DEMO_SEED, Shoebox } from '../core/shoebox.js';
import { callApi, type ApiOutput } from '../core/api/table.js';
import { ApiError } from '../core/api/define.js';
import { resolveDataDir } from '../core/paths.js';
import { createProgressRenderer } from './progress.js';
import { printErrors, printHits, printIndexSummary, printStatus } from './format.js';
import { writeDemoLibrary } from '../core/synthetic/index.js';
import type { IndexSummary } from '../core/shoebox.js';

const USAGE = `Usage: shoebox <command> [options]

Commands:
  index [folder…]          add the folders to the library (if new) and index new or changed photos
  search <query>           photos ranked by a text query; "beach + sunset - people", "2:dog + grass"
  similar <photo>          photos most like an indexed photo (path or id)
  status                   library size, model, execution provider, errors
  errors                   files that could not be indexed, with the reason
  roots [add|remove] […]   list, add or remove library folders (remove takes the folder's id)
  demo [folder]            write a generated demo library, index it and run a few searches

Options:
  --data-dir <dir>         where the library database and thumbnails live
                           (default: the platform's data folder, e.g. ~/.local/share/shoebox)
  --model <dir>            a model folder to use instead of the active one
  --provider <list>        execution providers to try, e.g. "cuda,cpu" (default: the platform's)
  -n, --limit <n>          number of results (default 10)
  --count <n>              demo: number of photos (default 200)
  --json                   print machine-readable JSON
  -h, --help               this help

Exit codes: 0 ok; 1 error; 2 bad usage; 3 finished but some files failed.`;

const EXIT_OK = 0;
const EXIT_ERROR = 1;
const EXIT_USAGE = 2;
const EXIT_PARTIAL = 3;

interface Flags {
  json: boolean;
  limit: number;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      model: { type: 'string' },
      provider: { type: 'string' },
      limit: { type: 'string', short: 'n' },
      count: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...args] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? EXIT_OK : EXIT_USAGE;
  }
  const limit = values.limit === undefined ? 10 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return usage(`--limit must be a whole number from 1 to 1000, got "${values.limit}"`);
  const flags: Flags = { json: values.json === true, limit };

  const core = await Shoebox.open({
    dataDir: resolveDataDir(values['data-dir']),
    ...(values.model ? { modelDir: values.model } : {}),
    ...(values.provider ? { provider: values.provider } : {}),
  });
  try {
    switch (command) {
      case 'index':
        return await indexCommand(core, args, flags);
      case 'search':
        if (args.length === 0) return usage('search needs a query, e.g. shoebox search "dog on a beach"');
        return show(flags, await callApi(core, 'search.text', { query: args.join(' '), limit }), (r) => printHits(r.hits, r.terms));
      case 'similar':
        return await similarCommand(core, args, flags);
      case 'status':
        return show(flags, await callApi(core, 'status', {}), printStatus);
      case 'errors':
        return show(flags, await callApi(core, 'errors.list', { limit: 1000 }), printErrors);
      case 'roots':
        return await rootsCommand(core, args, flags);
      case 'demo':
        return await demoCommand(core, args, flags, values.count);
      default:
        return usage(`unknown command "${command}"`);
    }
  } finally {
    await core.close();
  }
}

function usage(message: string): number {
  console.error(`shoebox: ${message}\n\n${USAGE}`);
  return EXIT_USAGE;
}

function show<T>(flags: Flags, result: T, print: (r: T) => void): number {
  if (flags.json) console.log(JSON.stringify(result, null, 2));
  else print(result);
  return EXIT_OK;
}

async function addRootIfNew(core: Shoebox, folder: string): Promise<number> {
  return (await callApi(core, 'roots.add', { path: folder, reuse: true })).id;
}

/** Runs an index job with a progress bar; the summary decides the exit code. */
async function runIndex(core: Shoebox, rootIds: number[] | undefined, flags: Flags): Promise<IndexSummary> {
  const bar = flags.json ? null : createProgressRenderer('Indexing');
  const { jobId } = await callApi(core, 'index.start', rootIds ? { rootIds } : {});
  const unsubscribe = core.jobs.subscribe((e) => {
    if (e.jobId !== jobId || e.state !== 'running' || e.total === null) return;
    bar?.update({ done: e.done, total: e.total, rate: e.rate ?? 0, etaSeconds: e.etaSeconds, currentFile: e.currentFile });
  });
  // Ctrl-C cancels the job; what was committed stays, and the next run resumes from there.
  const onSigint = (): void => void callApi(core, 'jobs.cancel', { jobId });
  process.once('SIGINT', onSigint);
  try {
    const outcome = await callApi(core, 'jobs.wait', { jobId });
    bar?.stop();
    if (outcome.state === 'failed') throw new Error(outcome.error);
    if (outcome.state !== 'done') throw new Error(`Indexing was ${outcome.state}; run the command again to resume.`);
    return outcome.value as IndexSummary;
  } finally {
    unsubscribe();
    process.removeListener('SIGINT', onSigint);
  }
}

async function indexCommand(core: Shoebox, folders: string[], flags: Flags): Promise<number> {
  const rootIds: number[] = [];
  for (const folder of folders) rootIds.push(await addRootIfNew(core, folder));
  if ((await callApi(core, 'roots.list', {})).length === 0) {
    return usage('no library folders yet: give one, e.g. shoebox index ~/Pictures');
  }
  const summary = await runIndex(core, folders.length > 0 ? rootIds : undefined, flags);
  show(flags, summary, printIndexSummary);
  return summary.failed.length > 0 || summary.scanErrors.length > 0 ? EXIT_PARTIAL : EXIT_OK;
}

async function similarCommand(core: Shoebox, args: string[], flags: Flags): Promise<number> {
  const [target] = args;
  if (!target || args.length > 1) return usage('similar takes one photo: a path or an id');
  const input = /^\d+$/.test(target) ? { photoId: Number(target), limit: flags.limit } : { path: target, limit: flags.limit };
  const result = await callApi(core, 'search.similar', input);
  return show(flags, result, (r) => printHits(r.hits, null, r.photo.path));
}

async function rootsCommand(core: Shoebox, args: string[], flags: Flags): Promise<number> {
  const [action, value] = args;
  if (action === 'add' && value) await callApi(core, 'roots.add', { path: value });
  else if (action === 'remove' && value && /^\d+$/.test(value)) await callApi(core, 'roots.remove', { id: Number(value) });
  else if (action !== undefined) return usage('roots [add <folder> | remove <id>]');
  const roots = await callApi(core, 'roots.list', {});
  return show(flags, roots, (rs) => {
    if (rs.length === 0) console.log('No library folders. Add one with: shoebox index <folder>');
    for (const r of rs) console.log(`${String(r.id).padStart(4)}  ${r.path}`);
  });
}

const DEMO_QUERIES = ['two red stars on the beach', 'a blue circle at night', 'green triangles in the snow', 'yellow square + grass - night'];

async function demoCommand(core: Shoebox, args: string[], flags: Flags, countFlag: string | undefined): Promise<number> {
  const count = countFlag === undefined ? 200 : Number(countFlag);
  if (!Number.isInteger(count) || count < 1 || count > 100_000) return usage('--count must be a whole number from 1 to 100000');
  let rootId: number;
  let folder: string;
  if (args[0]) {
    folder = path.resolve(args[0]);
    if (!flags.json) console.log(`Writing ${count} generated photos (and a few broken files) to ${folder} …`);
    await writeDemoLibrary(folder, { seed: DEMO_SEED, count, withBadFiles: true });
    rootId = await addRootIfNew(core, folder);
  } else {
    if (!flags.json) console.log(`Writing ${count} generated photos (and a few broken files) to the data folder …`);
    const root = await core.addDemoLibrary(count);
    folder = root.path;
    rootId = root.id;
  }
  const summary = await runIndex(core, [rootId], flags);
  const searches: { query: string; hits: ApiOutput<'search.text'>['hits'] }[] = [];
  for (const query of DEMO_QUERIES) {
    searches.push({ query, hits: (await callApi(core, 'search.text', { query, limit: Math.min(flags.limit, 5) })).hits });
  }
  if (flags.json) {
    console.log(JSON.stringify({ folder, summary, searches }, null, 2));
  } else {
    printIndexSummary(summary);
    for (const s of searches) {
      console.log(`\nshoebox search "${s.query}"`);
      printHits(s.hits, null);
    }
    console.log(`\nTry your own: npm run shoebox -- search "three white hearts in the snow"`);
  }
  return EXIT_OK;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    if (err instanceof ApiError || (err instanceof Error && (err as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')) {
      console.error(`shoebox: ${err.message}`);
      process.exitCode = err instanceof ApiError && err.code === 'bad-input' ? EXIT_USAGE : EXIT_ERROR;
    } else {
      // The stack helps a developer, not a person: only with SHOEBOX_DEBUG=1.
      const detail = err instanceof Error ? (process.env['SHOEBOX_DEBUG'] ? (err.stack ?? err.message) : err.message) : String(err);
      console.error(`shoebox: ${detail}`);
      process.exitCode = EXIT_ERROR;
    }
  },
);
