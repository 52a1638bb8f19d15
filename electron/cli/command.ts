// One CLI command as a declaration: its name, arguments, summary, options (util.parseArgs form
// plus help text) and run function. The parser (parse.ts) and the help texts (usage.ts) are
// generated from these declarations, so a command, its options and its help cannot drift apart.
import type { Shoebox } from '../core/shoebox.js';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_PARTIAL = 3;

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** A string option that may be given several times (--prompt a --prompt b): its value is a list. */
  multiple?: boolean;
  /** A string option's default, passed to util.parseArgs and shown in the help. */
  default?: string;
  /** The value's name in the help, e.g. "<n>". */
  placeholder?: string;
  /** One line (or a few, joined by "\n") for the help. */
  help: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The parsed values of a set of options: a string option with a default is always set. */
export type OptionValues<O extends OptionSpecs> = {
  [K in keyof O]: O[K]['type'] extends 'boolean' ? boolean : O[K] extends { multiple: true } ? string[] : O[K] extends { default: string } ? string : string | undefined;
};

/** Options every command takes; main.ts reads them to open the library. */
export const GLOBAL_OPTIONS = {
  'data-dir': {
    type: 'string',
    placeholder: '<dir>',
    help: "where the library database and thumbnails live\n(default: the platform's data folder, e.g. ~/.local/share/shoebox)",
  },
  model: { type: 'string', placeholder: '<dir>', help: 'a model folder to use instead of the active one' },
  provider: { type: 'string', placeholder: '<list>', help: `execution providers to try, e.g. "cuda,cpu" (default: the platform's)` },
  json: { type: 'boolean', help: 'print machine-readable JSON' },
  help: { type: 'boolean', short: 'h', help: 'this help' },
} as const satisfies OptionSpecs;

export type GlobalValues = OptionValues<typeof GLOBAL_OPTIONS>;

export interface CommandContext<O extends OptionSpecs> {
  /** The positional arguments after the command name. */
  args: string[];
  options: OptionValues<O>;
  json: boolean;
  /** Opens the library on first call; a command checks its arguments before, so bad usage touches nothing. */
  open(): Promise<Shoebox>;
}

export interface CommandSpec<O extends OptionSpecs> {
  name: string;
  /** The positional arguments as the help shows them, e.g. "<query>" or "[folder…]". */
  args?: string;
  summary: string;
  options: O;
  /** Returns the exit code; throws UsageError on bad arguments. */
  run(ctx: CommandContext<O>): Promise<number>;
}

/** What the parser hands to a command: option values not yet narrowed to the command's own. */
export interface RawContext {
  args: string[];
  values: Readonly<Record<string, unknown>>;
  json: boolean;
  open(): Promise<Shoebox>;
}

/** A declared command with its option types erased, so commands of different options share one table. */
export interface Command {
  name: string;
  args: string;
  summary: string;
  options: OptionSpecs;
  run(ctx: RawContext): Promise<number>;
}

/** Bad usage of a command (or of the command line): main prints the message and the help, and exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose help to show; none: the command being run, else the global usage. */
    readonly command?: Command,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export function defineCommand<const O extends OptionSpecs>(spec: CommandSpec<O>): Command {
  return {
    name: spec.name,
    args: spec.args ?? '',
    summary: spec.summary,
    options: spec.options,
    run: (ctx) => spec.run({ args: ctx.args, json: ctx.json, open: ctx.open, options: narrowValues(spec.options, ctx.values) }),
  };
}

/** The values of the given options, each of the type its spec declares (defaults filled in). */
export function narrowValues<O extends OptionSpecs>(specs: O, values: Readonly<Record<string, unknown>>): OptionValues<O> {
  const narrowed: Record<string, string | string[] | boolean | undefined> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = values[name];
    if (spec.type === 'boolean') narrowed[name] = value === true;
    else if (spec.multiple) narrowed[name] = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    else narrowed[name] = typeof value === 'string' ? value : spec.default;
  }
  // Every key of O was set above with the type its spec declares.
  return narrowed as OptionValues<O>;
}

/** Parses a whole-number option, e.g. --limit, within its bounds. */
export function wholeNumber(flag: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}
