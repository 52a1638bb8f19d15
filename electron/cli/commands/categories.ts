// The categories command: the person's categories for sorting (shoebox sort), listed, added with
// extra prompts and a strictness, and removed.
import { callApi, type ApiOutput } from '../../core/api/table.js';
import { EXIT_OK, UsageError, defineCommand } from '../command.js';
import { printResult } from '../format.js';

const USAGE = 'categories [list | add <name> [--prompt <text>]… [--strictness <x>] | remove <name>]';

function printCategories(list: ApiOutput<'categories.list'>): void {
  if (list.length === 0) {
    console.log('No categories yet. Add one: shoebox categories add receipts --prompt "a receipt on a table"');
    return;
  }
  for (const c of list) {
    const strictness = c.strictness === null ? '' : `, strictness ${c.strictness}`;
    const prompts = c.prompts.length > 0 ? `; prompts: ${c.prompts.map((p) => `"${p}"`).join(', ')}` : '';
    console.log(`${String(c.position + 1).padStart(3)}. ${c.name}${strictness}${prompts}`);
  }
}

function parseStrictness(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const x = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(x) || x < 0 || x > 1) throw new UsageError(`--strictness must be a number from 0 (loose) to 1 (strict), got "${raw}"`);
  return x;
}

export const categoriesCommand = defineCommand({
  name: 'categories',
  args: '[list | add <name> | remove <name>]',
  summary: 'the categories shoebox sort puts photos into: list, add (with extra prompts), remove',
  options: {
    prompt: { type: 'string', multiple: true, placeholder: '<text>', help: 'categories add: an extra prompt, e.g. "a scanned document"' },
    strictness: { type: 'string', placeholder: '<x>', help: 'categories add: 0 (takes more photos) to 1 (takes only sure ones); default 0.5' },
  },
  async run({ args, options, json, open }) {
    const [action = 'list', ...rest] = args;
    if (action !== 'add' && (options.prompt.length > 0 || options.strictness !== undefined)) throw new UsageError('--prompt and --strictness go with categories add');
    switch (action) {
      case 'list': {
        if (rest.length > 0) throw new UsageError(USAGE);
        printResult(json, await callApi(await open(), 'categories.list', {}), printCategories);
        return EXIT_OK;
      }
      case 'add': {
        // An unquoted name of several words is one name.
        const name = rest.join(' ');
        if (name.trim() === '') throw new UsageError('categories add needs a name, e.g. shoebox categories add "beach holidays"');
        const strictness = parseStrictness(options.strictness);
        const row = await callApi(await open(), 'categories.add', { name, prompts: options.prompt, strictness });
        printResult(json, row, (r) => console.log(`Added the category "${r.name}". Sort the library with: shoebox sort`));
        return EXIT_OK;
      }
      case 'remove': {
        const name = rest.join(' ');
        if (name.trim() === '') throw new UsageError('categories remove needs the name of a category');
        const r = await callApi(await open(), 'categories.remove', { name });
        printResult(json, r, () => console.log(`Removed the category "${r.removed.name}"; the photos you had put there are sorted by the model again.`));
        return EXIT_OK;
      }
      default:
        throw new UsageError(USAGE);
    }
  },
});
