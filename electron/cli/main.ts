// Entry of the `shoebox` command. For commands whose first work is encoding photos, the image
// tower's worker starts here, before the rest of Shoebox is even loaded: on 2 cores that loading
// takes ~0.45 s, which then runs beside the tower's load instead of before it (docs/BENCHMARKS.md,
// "Fixed cost of a small job"). Everything else happens in run.ts.
import { parseArgs } from 'node:util';
import { startModelEarly, type EarlyModel } from '../core/models/early-model.js';
import { resolveDataDir } from '../core/paths.js';

/** Commands that encode photos before anything else needs the model. */
const ENCODING_COMMANDS = new Set(['index', 'demo']);

/** A best-effort read of the global options (the real parse is run.ts's): a wrong guess only wastes the early start. */
function earlyModel(argv: string[]): EarlyModel | null {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { 'data-dir': { type: 'string' }, model: { type: 'string' }, provider: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: false,
      allowPositionals: true,
    });
    if (values.help || !ENCODING_COMMANDS.has(positionals[0] ?? '')) return null;
    const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    const modelDir = text(values.model);
    const provider = text(values.provider);
    return startModelEarly({
      dataDir: resolveDataDir(text(values['data-dir'])),
      ...(modelDir ? { modelDir } : {}),
      ...(provider ? { provider } : {}),
    });
  } catch {
    return null;
  }
}

const argv = process.argv.slice(2);
const early = earlyModel(argv);
const { runCommandLine } = await import('./run.js');
await runCommandLine(argv, early);
