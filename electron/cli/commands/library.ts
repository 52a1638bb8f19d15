// The library commands: index folders, show status and errors, list/add/remove library folders.
import path from 'node:path';
import { callApi } from '../../core/api/table.js';
import { EXIT_OK, EXIT_PARTIAL, UsageError, defineCommand } from '../command.js';
import { printErrors, printIndexSummary, printResult, printStatus } from '../format.js';
import { addRootIfNew, waitForIndex } from './indexing.js';

export const indexCommand = defineCommand({
  name: 'index',
  args: '[folder…]',
  summary: 'add the folders to the library (if new) and index new or changed photos',
  options: {},
  async run({ args: folders, json, open }) {
    const core = await open();
    const rootIds: number[] = [];
    for (const folder of folders) rootIds.push(await addRootIfNew(core, folder));
    if ((await callApi(core, 'roots.list', {})).length === 0) {
      throw new UsageError('no library folders yet: give one, e.g. shoebox index ~/Pictures');
    }
    // No folders named: index every library folder.
    const { jobId } = await callApi(core, 'index.start', folders.length > 0 ? { rootIds } : {});
    const summary = await waitForIndex(core, jobId, json);
    printResult(json, summary, printIndexSummary);
    return summary.failed.length > 0 || summary.scanErrors.length > 0 ? EXIT_PARTIAL : EXIT_OK;
  },
});

export const statusCommand = defineCommand({
  name: 'status',
  summary: 'library size, model, execution provider, errors',
  options: {},
  async run({ json, open }) {
    printResult(json, await callApi(await open(), 'status', {}), printStatus);
    return EXIT_OK;
  },
});

export const errorsCommand = defineCommand({
  name: 'errors',
  summary: 'files that could not be indexed, with the reason',
  options: {},
  async run({ json, open }) {
    printResult(json, await callApi(await open(), 'errors.list', { limit: 1000 }), printErrors);
    return EXIT_OK;
  },
});

export const rootsCommand = defineCommand({
  name: 'roots',
  args: '[add|remove] […]',
  summary: "list, add or remove library folders (remove takes the folder's id)",
  options: {},
  async run({ args, json, open }) {
    const [action, value, ...extra] = args;
    const adding = action === 'add' && value !== undefined;
    const removing = action === 'remove' && value !== undefined && /^\d+$/.test(value);
    if ((action !== undefined && !adding && !removing) || extra.length > 0) throw new UsageError('roots [add <folder> | remove <id>]');
    const core = await open();
    // Relative to the terminal's working folder, as the person means it.
    if (adding) await callApi(core, 'roots.add', { path: path.resolve(value) });
    if (removing) await callApi(core, 'roots.remove', { id: Number(value) });
    printResult(json, await callApi(core, 'roots.list', {}), (roots) => {
      if (roots.length === 0) console.log('No library folders. Add one with: shoebox index <folder>');
      for (const r of roots) console.log(`${String(r.id).padStart(4)}  ${r.path}`);
    });
    return EXIT_OK;
  },
});
