// `shoebox sort export <destination> [--copy|--move|--link|--tags] [--dry-run]` and
// `shoebox sort undo`, dispatched by the sort command (sort.ts), which takes SORT_EXPORT_OPTIONS
// among its options. The preview is printed before anything is written; the export runs as a job
// with a progress bar; Ctrl-C stops it between files, and the same command again finishes it.
import path from 'node:path';
import { formatBytes } from '../../common/format-bytes.js';
import { callApi, type ApiOutput } from '../../core/api/table.js';
import type { ExportResult } from '../../core/export/run.js';
import type { UndoResult } from '../../core/export/undo.js';
import type { Shoebox } from '../../core/shoebox.js';
import { EXIT_OK, EXIT_PARTIAL, UsageError, type OptionSpecs, type OptionValues } from '../command.js';
import { printResult } from '../format.js';
import { waitForJob } from './indexing.js';

export const SORT_EXPORT_OPTIONS = {
  copy: { type: 'boolean', help: 'sort export: copy each photo into <destination>/<category>/ (the default)' },
  move: { type: 'boolean', help: 'sort export: move the photos there; the library follows them' },
  link: { type: 'boolean', help: 'sort export: link to the photos (symbolic links, hard links where those are refused)' },
  tags: { type: 'boolean', help: 'sort export: write the categories into XMP sidecars beside the photos\n(photo.jpg.xmp); takes no destination' },
  'dry-run': { type: 'boolean', help: 'sort export: show what would go where, the bytes and the free space; write nothing' },
} as const satisfies OptionSpecs;

const MODES = ['copy', 'move', 'link', 'tags'] as const;
type Mode = (typeof MODES)[number];

const LABELS: Record<Mode, string> = { copy: 'Copying', move: 'Moving', link: 'Linking', tags: 'Tagging' };

export interface SortExportContext {
  /** The arguments after `export` (or `undo`). */
  args: string[];
  options: OptionValues<typeof SORT_EXPORT_OPTIONS>;
  json: boolean;
  open(): Promise<Shoebox>;
}

/** `sort export`: returns the exit code (3 when some files failed). */
export async function runSortExport({ args, options, json, open }: SortExportContext): Promise<number> {
  const chosen = MODES.filter((m) => options[m]);
  if (chosen.length > 1) throw new UsageError(`choose one of --copy, --move, --link and --tags, not ${chosen.map((m) => `--${m}`).join(' and ')}`);
  const mode = chosen[0] ?? 'copy';
  const [destination, ...extra] = args;
  if (extra.length > 0) throw new UsageError('sort export takes one destination folder');
  if (mode === 'tags' && destination !== undefined) {
    throw new UsageError('--tags writes the categories into sidecars beside the photos (photo.jpg.xmp): it takes no destination');
  }
  if (mode !== 'tags' && destination === undefined) throw new UsageError(`sort export needs a destination folder, e.g. shoebox sort export ~/Sorted --${mode}`);
  // A relative folder means what it means in the person's terminal; the API takes full paths only.
  const input = { mode, ...(destination !== undefined ? { destination: path.resolve(destination) } : {}) };
  const core = await open();
  if (options['dry-run']) {
    printResult(json, await callApi(core, 'sort.exportPreview', input), printPreview);
    return EXIT_OK;
  }
  const started = await callApi(core, 'sort.export', input);
  if (!json) {
    if (started.preview) printPreview(started.preview);
    else console.log(`Resuming export #${started.exportId}, which did not finish: only what is left is done.`);
  }
  const outcome = await waitForJob(core, started.jobId, json, { label: LABELS[mode], unit: 'files' });
  if (outcome.kind !== 'sort-export') throw new Error(`Job ${started.jobId} is a ${outcome.kind} job, not an export.`);
  printResult(json, outcome.value, printExport);
  return outcome.value.failed.length > 0 ? EXIT_PARTIAL : EXIT_OK;
}

/** `sort undo`: returns the exit code (3 when some files could not be undone). */
export async function runSortUndo({ args, options, json, open }: SortExportContext): Promise<number> {
  if (args.length > 0) throw new UsageError('sort undo takes no arguments: it undoes the newest export');
  const given = Object.keys(SORT_EXPORT_OPTIONS).filter((o) => options[o as keyof typeof SORT_EXPORT_OPTIONS]);
  if (given.length > 0) throw new UsageError(`${given.map((o) => `--${o}`).join(', ')} go with sort export, not sort undo`);
  const core = await open();
  const { jobId } = await callApi(core, 'sort.undo', {});
  const outcome = await waitForJob(core, jobId, json, { label: 'Undoing', unit: 'files' });
  if (outcome.kind !== 'sort-undo') throw new Error(`Job ${jobId} is a ${outcome.kind} job, not an undo.`);
  const r = outcome.value;
  printResult(json, r, printUndo);
  return r.complete && r.kept.length === 0 ? EXIT_OK : EXIT_PARTIAL;
}

type Preview = NonNullable<ApiOutput<'sort.export'>['preview']> & { unfinished?: ApiOutput<'sort.exportPreview'>['unfinished'] };

function printPreview(p: Preview): void {
  const where = p.mode === 'tags' ? 'as XMP sidecars beside the photos' : `to ${p.destination}`;
  console.log(`Export by ${p.mode} ${where}:`);
  const width = Math.max(...p.categories.map((c) => c.name.length), 8);
  for (const c of p.categories) {
    const folder = c.folder !== null && c.folder !== c.name ? `  (folder "${c.folder}")` : '';
    console.log(`  ${c.name.padEnd(width)}  ${String(c.photos).padStart(6)} photos  ${formatBytes(c.bytes).padStart(8)}${folder}`);
  }
  const free = p.freeBytes === null ? '' : `; ${formatBytes(p.freeBytes)} free there${p.fits ? '' : ' — NOT ENOUGH'}`;
  console.log(`  ${p.files} files, ${formatBytes(p.bytes)}${p.bytesNeeded !== p.bytes ? ` (${formatBytes(p.bytesNeeded)} more on that disk)` : ''}${free}.`);
  for (const e of p.examples) console.log(`    ${e.source} → ${e.target}`);
  const notes = [
    p.renamed > 0 ? `${p.renamed} names were taken: those files get " (2)" and so on, nothing is overwritten` : '',
    p.alreadyThere > 0 ? `${p.alreadyThere} are already there: skipped` : '',
    p.unsorted > 0 ? `${p.unsorted} unsorted photos are not exported` : '',
    p.addsLibraryFolder ? `${p.addsLibraryFolder} becomes a library folder, so the moved photos stay in the library` : '',
  ].filter((n) => n !== '');
  for (const n of notes) console.log(`  ${n}.`);
  for (const m of p.missing) console.log(`  ✗ ${m.reason}`);
  if (p.unfinished) console.log(`  Export #${p.unfinished.id} (${p.unfinished.mode}${p.unfinished.destination ? ` to ${p.unfinished.destination}` : ''}) did not finish: the same export resumes it.`);
}

function printExport(r: ExportResult): void {
  const skipped = r.skipped > 0 ? `, ${r.skipped} already there` : '';
  const failed = r.failed.length > 0 ? `, ${r.failed.length} failed` : '';
  console.log(`${r.resumed ? 'Finished' : 'Done'}: ${r.done} of ${r.files} files by ${r.mode}${r.destination ? ` to ${r.destination}` : ''}${skipped}${failed} (${r.seconds.toFixed(1)} s).`);
  for (const f of r.failed) console.log(`  ✗ ${f.reason}`);
  if (r.addedLibraryFolder) console.log(`${r.addedLibraryFolder} is now a library folder.`);
  console.log('Undo it with: shoebox sort undo');
}

function printUndo(r: UndoResult): void {
  console.log(`Undid export #${r.exportId} (${r.mode}${r.destination ? ` to ${r.destination}` : ''}): ${r.undone} files taken back (${r.seconds.toFixed(1)} s).`);
  for (const k of r.kept) console.log(`  kept: ${k.reason}`);
  for (const f of r.failed) console.log(`  ✗ ${f.reason}`);
  if (r.removedLibraryFolder) console.log(`${r.removedLibraryFolder} is no longer a library folder.`);
  if (r.keptLibraryFolder) console.log(r.keptLibraryFolder.reason);
  if (!r.complete) console.log('Some files could not be undone yet: fix what is named above, then run shoebox sort undo again.');
}
