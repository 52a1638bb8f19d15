// The help texts, generated from the command declarations: the global usage (shoebox --help, or
// on bad usage) and one command's help (shoebox <command> --help).
import { GLOBAL_OPTIONS, type Command, type OptionSpec, type OptionSpecs } from './command.js';

const EXIT_CODES = 'Exit codes: 0 ok; 1 error; 2 bad usage; 3 finished but some files failed.';

interface Row {
  label: string;
  text: string;
}

function optionLabel(name: string, spec: OptionSpec): string {
  const flags = spec.short ? `-${spec.short}, --${name}` : `--${name}`;
  return spec.type === 'string' ? `${flags} ${spec.placeholder ?? '<value>'}` : flags;
}

function optionText(spec: OptionSpec): string {
  const help = spec.multiple ? `${spec.help} (may be given several times)` : spec.help;
  return spec.default === undefined ? help : `${help} (default ${spec.default})`;
}

function optionRows(options: OptionSpecs, prefix = ''): Row[] {
  return Object.entries(options).map(([name, spec]) => ({ label: optionLabel(name, spec), text: prefix + optionText(spec) }));
}

function commandLabel(command: Command): string {
  return command.args ? `${command.name} ${command.args}` : command.name;
}

/** Two columns; a text's further lines ("\n") line up under its first. */
function table(rows: Row[], width: number): string {
  return rows
    .map(({ label, text }) => {
      const [first, ...rest] = text.split('\n');
      return [`  ${label.padEnd(width)}${first}`, ...rest.map((line) => ' '.repeat(width + 2) + line)].join('\n');
    })
    .join('\n');
}

function columnWidth(...groups: Row[][]): number {
  return Math.max(23, ...groups.flat().map((r) => r.label.length + 2));
}

/** Every command's options once; an option declared alike by several commands names them all. */
function commandOptionRows(commands: readonly Command[]): Row[] {
  const merged = new Map<string, { row: Row; names: string[] }>();
  for (const command of commands) {
    for (const row of optionRows(command.options)) {
      const key = `${row.label}\n${row.text}`;
      const entry = merged.get(key);
      if (entry) entry.names.push(command.name);
      else merged.set(key, { row, names: [command.name] });
    }
  }
  return [...merged.values()].map(({ row, names }) => ({ label: row.label, text: `${names.join(', ')}: ${row.text}` }));
}

export function globalUsage(commands: readonly Command[]): string {
  const commandRows = commands.map((c) => ({ label: commandLabel(c), text: c.summary }));
  const globalRows = optionRows(GLOBAL_OPTIONS);
  const perCommand = commandOptionRows(commands);
  const width = columnWidth(commandRows, globalRows, perCommand);
  return [
    'Usage: shoebox <command> [options]',
    '',
    'Commands:',
    table(commandRows, width),
    '',
    'Options:',
    table(globalRows, width),
    ...(perCommand.length > 0 ? ['', 'Command options:', table(perCommand, width)] : []),
    '',
    'Run shoebox <command> --help for one command and its options.',
    EXIT_CODES,
  ].join('\n');
}

export function commandHelp(command: Command): string {
  const own = optionRows(command.options);
  const globalRows = optionRows(GLOBAL_OPTIONS);
  const width = columnWidth(own, globalRows);
  return [
    `Usage: shoebox ${commandLabel(command)} [options]`,
    '',
    command.summary,
    ...(own.length > 0 ? ['', 'Options:', table(own, width)] : []),
    '',
    'Global options:',
    table(globalRows, width),
    '',
    EXIT_CODES,
  ].join('\n');
}
