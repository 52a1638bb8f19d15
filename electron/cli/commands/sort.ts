// The sort command: the library sorted into the categories (every category with its photos and
// their confidences, then the unsorted photos), corrections that teach it, and the export to disk
// with its undo (sort-export.ts).
import path from 'node:path';
import { callApi, type ApiOutput } from '../../core/api/table.js';
import { EXIT_OK, UsageError, defineCommand } from '../command.js';
import { printResult } from '../format.js';
import { waitForJob } from './indexing.js';
import { runSortExport, runSortUndo, SORT_EXPORT_OPTIONS } from './sort-export.js';

const USAGE = 'sort [correct <photo> <category|unsorted> | export <destination> | undo]';

function printSorting(r: ApiOutput<'sort.result'>): void {
  if (r.categories.length === 0) {
    console.log('No categories yet. Add some first: shoebox categories add receipts');
    return;
  }
  const line = (p: { path: string; confidence: number; corrected: boolean }): string => `  ${p.corrected ? 'you' : (p.confidence * 100).toFixed(0).padStart(2) + '%'}  ${p.path}`;
  for (const c of r.categories) {
    console.log(`${c.name} (${c.photos.length})`);
    for (const p of c.photos) console.log(line(p));
  }
  console.log(`Unsorted (${r.unsorted.length})`);
  for (const p of r.unsorted) console.log(line(p));
}

export const sortCommand = defineCommand({
  name: 'sort',
  args: '[correct <photo> <category|unsorted> | export <destination> | undo]',
  summary: 'the library sorted into your categories, with confidences; correct a photo; export to folders',
  options: SORT_EXPORT_OPTIONS,
  async run({ args, options, json, open }) {
    const [action, ...rest] = args;
    const exportFlags = Object.keys(SORT_EXPORT_OPTIONS).filter((k) => options[k as keyof typeof SORT_EXPORT_OPTIONS]);
    if (action !== 'export' && action !== 'undo' && exportFlags.length > 0) throw new UsageError(`${exportFlags.map((f) => `--${f}`).join(', ')} go with sort export`);
    switch (action) {
      case undefined: {
        const core = await open();
        // The first sort with new categories encodes their prompts (the text model loads): a job with progress.
        const { jobId } = await callApi(core, 'sort.start', {});
        await waitForJob(core, jobId, json, { label: 'Sorting', unit: 'steps' });
        printResult(json, await callApi(core, 'sort.result', {}), printSorting);
        return EXIT_OK;
      }
      case 'correct': {
        const [photo, target, ...extra] = rest;
        if (!photo || !target || extra.length > 0) throw new UsageError('sort correct takes a photo (path or id) and a category name, or "unsorted"');
        // A relative path means what it means in the person's terminal (the API takes full paths only).
        const ref = /^\d+$/.test(photo) ? { photoIds: [Number(photo)] } : { paths: [path.resolve(photo)] };
        const r = await callApi(await open(), 'sort.correct', { ...ref, category: target.toLowerCase() === 'unsorted' ? null : target });
        printResult(json, r, () => console.log(`${photo} now belongs to ${r.category ? `"${r.category.name}"` : 'Unsorted'}; photos like it follow.`));
        return EXIT_OK;
      }
      case 'export':
        return runSortExport({ args: rest, options, json, open });
      case 'undo':
        return runSortUndo({ args: rest, options, json, open });
      default:
        throw new UsageError(USAGE);
    }
  },
});
