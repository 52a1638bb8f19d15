// Parses the command line against the declarations: the command is the first positional (global
// options may come before it), and an option is accepted only if it is global or the command's own.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GLOBAL_OPTIONS, EXIT_OK, EXIT_USAGE, UsageError, narrowValues, type Command, type GlobalValues, type OptionSpecs } from './command.js';
import { commandHelp, globalUsage } from './usage.js';

export type CommandLine =
  | { kind: 'help'; text: string; exitCode: number }
  | { kind: 'run'; command: Command; args: string[]; values: Readonly<Record<string, unknown>>; globals: GlobalValues };

type ParseArgsOptions = NonNullable<ParseArgsConfig['options']>;

/**
 * Global options and every command's, for the first pass that finds the command. Commands that
 * share an option name must declare it alike, else "-n 5" could not be read before the command.
 */
function allOptions(commands: readonly Command[]): OptionSpecs {
  const all: Record<string, OptionSpecs[string]> = { ...GLOBAL_OPTIONS };
  for (const command of commands) {
    for (const [name, spec] of Object.entries(command.options)) {
      const seen = all[name];
      if (seen && (seen.type !== spec.type || seen.short !== spec.short || seen.default !== spec.default || seen.multiple !== spec.multiple)) {
        throw new Error(`CLI declaration: option --${name} of ${command.name} differs from another command's`);
      }
      all[name] = spec;
    }
  }
  return all;
}

function toParseArgs(specs: OptionSpecs): ParseArgsOptions {
  const options: ParseArgsOptions = {};
  for (const [name, { type, short, multiple, default: fallback }] of Object.entries(specs)) {
    options[name] = { type, ...(short ? { short } : {}), ...(multiple ? { multiple } : {}), ...(fallback !== undefined ? { default: fallback } : {}) };
  }
  return options;
}

function isParseError(err: unknown): err is Error {
  return err instanceof TypeError && 'code' in err && typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS');
}

function firstCommandIn(argv: string[], commands: readonly Command[]): Command | undefined {
  for (const arg of argv) {
    const command = commands.find((c) => c.name === arg);
    if (command) return command;
  }
  return undefined;
}

function tokenize(argv: string[], commands: readonly Command[]) {
  try {
    return parseArgs({ args: argv, options: toParseArgs(allOptions(commands)), allowPositionals: true, strict: true, tokens: true });
  } catch (err) {
    // util.parseArgs says what is wrong ("Unknown option '--x'", "argument missing"): bad usage,
    // shown with the help of the command named first, if any (a guess, as parsing stopped).
    if (isParseError(err)) throw new UsageError(err.message, firstCommandIn(argv, commands));
    throw err;
  }
}

export function parseCommandLine(argv: string[], commands: readonly Command[]): CommandLine {
  const { values, positionals, tokens } = tokenize(argv, commands);
  const globals = narrowValues(GLOBAL_OPTIONS, values);
  const [name, ...args] = positionals;
  if (name === undefined) return { kind: 'help', text: globalUsage(commands), exitCode: globals.help ? EXIT_OK : EXIT_USAGE };
  const command = commands.find((c) => c.name === name);
  if (!command) {
    if (globals.help) return { kind: 'help', text: globalUsage(commands), exitCode: EXIT_OK };
    throw new UsageError(`unknown command "${name}"`);
  }
  if (globals.help) return { kind: 'help', text: commandHelp(command), exitCode: EXIT_OK };
  for (const token of tokens) {
    if (token.kind === 'option' && !Object.hasOwn(GLOBAL_OPTIONS, token.name) && !Object.hasOwn(command.options, token.name)) {
      throw new UsageError(`${command.name} does not take ${token.rawName}`, command);
    }
  }
  return { kind: 'run', command, args, values, globals };
}
