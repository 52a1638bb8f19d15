// The `shoebox` command line (entered through main.ts). The commands are declarations
// (commands/table.ts) that the parser and the help texts are generated from; every command goes
// through the API table (core/api), like the app's other transports, and --json prints the API's
// answer for scripts.
import type { EarlyModel } from '../core/models/early-model.js';
import { Shoebox } from '../core/shoebox.js';
import { ApiError } from '../core/api/define.js';
import { resolveDataDir } from '../core/paths.js';
import { EXIT_ERROR, EXIT_USAGE, UsageError, type Command, type GlobalValues } from './command.js';
import { COMMANDS } from './commands/table.js';
import { parseCommandLine } from './parse.js';
import { commandHelp, globalUsage } from './usage.js';

async function main(argv: string[], early: EarlyModel | null): Promise<number> {
  let line;
  try {
    line = parseCommandLine(argv, COMMANDS);
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(err);
    throw err;
  }
  if (line.kind === 'help') {
    console.log(line.text);
    return line.exitCode;
  }
  const { command, args, values, globals } = line;
  const library = lazyLibrary(globals, early);
  try {
    return await command.run({ args, values, json: globals.json, open: library.open });
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(err, command);
    throw err;
  } finally {
    await library.close();
  }
}

/** The library, opened on a command's first call, so that bad usage neither creates nor locks one. */
function lazyLibrary(globals: GlobalValues, early: EarlyModel | null): { open(): Promise<Shoebox>; close(): Promise<void> } {
  let opening: Promise<Shoebox> | null = null;
  return {
    open: () =>
      (opening ??= Shoebox.open({
        dataDir: resolveDataDir(globals['data-dir']),
        ...(globals.model ? { modelDir: globals.model } : {}),
        ...(globals.provider ? { provider: globals.provider } : {}),
        earlyModel: early,
      })),
    // A failed open is reported by the command's own rejection; nothing is left to close.
    close: async () => opening?.then((core) => core.close(), () => undefined),
  };
}

/** Bad usage: the message, then the help of the command concerned (else the global usage); exit 2. */
function usageFailure(err: UsageError, running?: Command): number {
  const command = err.command ?? running;
  console.error(`shoebox: ${err.message}\n\n${command ? commandHelp(command) : globalUsage(COMMANDS)}`);
  return EXIT_USAGE;
}

/** Runs the command line and sets the exit code; `early` is the model worker main.ts started. */
export async function runCommandLine(argv: string[], early: EarlyModel | null): Promise<void> {
  try {
    process.exitCode = await main(argv, early);
  } catch (err) {
    if (err instanceof ApiError) {
      console.error(`shoebox: ${err.message}`);
      process.exitCode = err.code === 'bad-input' ? EXIT_USAGE : EXIT_ERROR;
    } else {
      // The stack helps a developer, not a person: only with SHOEBOX_DEBUG=1.
      const detail = err instanceof Error ? (process.env['SHOEBOX_DEBUG'] ? (err.stack ?? err.message) : err.message) : String(err);
      console.error(`shoebox: ${detail}`);
      process.exitCode = EXIT_ERROR;
    }
  } finally {
    // Help, bad usage or a library that would not open: the early worker was nobody's.
    await early?.cancel();
  }
}
