// `npm run bench`: every benchmark in one run, printed as tables of figures and side-by-side
// ratios, then written to docs/BENCHMARKS.md with the machine and the command that made them.
// Pass names to run a subset: `npm run bench -- search memory`.
import { cpus, totalmem } from 'node:os';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runBrowserBench } from './browser.bench.js';
import { runFinetuneBench } from './finetune.bench.js';
import { runIndexCompareBench } from './index-compare.bench.js';
import { runIndexBench } from './indexing.bench.js';
import { runMemoryBench } from './memory.bench.js';
import { runModelsBench } from './models.bench.js';
import { runSearchBench } from './search.bench.js';
import { runSortExportBench } from './sort-export.bench.js';
import { runSortingBench } from './sorting.bench.js';

const repo = path.resolve(import.meta.dirname, '../..');
const all = ['indexing', 'compare', 'search', 'sorting', 'export', 'memory', 'browser', 'models', 'finetune'] as const;
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const wanted = new Set(chosen.length > 0 ? chosen : all);
for (const w of wanted) if (!(all as readonly string[]).includes(w)) throw new Error(`unknown benchmark "${w}" (choose from ${all.join(', ')})`);

// Capture everything printed so the doc shows exactly what the console showed.
const printed: string[] = [];
const log = console.log.bind(console);
console.log = (...args: unknown[]) => {
  log(...args);
  printed.push(args.map(String).join(' '));
};
const table = console.table.bind(console);
console.table = (data: unknown) => {
  table(data);
  printed.push(markdownTable(data));
};

function markdownTable(data: unknown): string {
  const rows = Array.isArray(data) ? (data as Record<string, unknown>[]) : [];
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]!);
  const line = (cells: unknown[]): string => `| ${cells.map(String).join(' | ')} |`;
  return ['', line(cols), line(cols.map(() => '---')), ...rows.map((r) => line(cols.map((c) => r[c]))), ''].join('\n');
}

const started = new Date();
if (wanted.has('indexing')) await runIndexBench();
if (wanted.has('compare')) await runIndexCompareBench();
if (wanted.has('search')) await runSearchBench({});
if (wanted.has('sorting')) await runSortingBench();
if (wanted.has('export')) await runSortExportBench();
if (wanted.has('memory')) await runMemoryBench();
if (wanted.has('browser')) await runBrowserBench();
if (wanted.has('models')) await runModelsBench();
if (wanted.has('finetune')) await runFinetuneBench();

const cpu = cpus();
const header = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench${chosen.length > 0 ? ` -- ${chosen.join(' ')}` : ''}\` (test/bench/run.ts) on ${started.toISOString()}.`,
  `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}.`,
  '',
  'Figures are from one run; stages compared in a ratio were measured side by side in that run.',
  '',
];
// Tables are already Markdown; other lines keep their breaks (two trailing spaces).
const doc = [...header, ...printed.map((l) => (l.startsWith('\n|') ? l : `${l.trim()}  `))];
await writeFile(path.join(repo, 'docs', 'BENCHMARKS.md'), `${doc.join('\n')}\n`);
log(`\nWritten to docs/BENCHMARKS.md`);
