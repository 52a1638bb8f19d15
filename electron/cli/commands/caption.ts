// The caption command: a photo's caption shown or set (the words fine-tuning learns from),
// captions imported from .txt / XMP sidecars and the photos' own metadata (a job with a progress
// bar), and exported to a new CSV / JSON-lines file or as .txt sidecars.
import path from 'node:path';
import { callApi, type ApiOutput } from '../../core/api/table.js';
import type { CaptionImportSummary } from '../../core/captions/import.js';
import { EXIT_OK, EXIT_PARTIAL, UsageError, defineCommand } from '../command.js';
import { printResult } from '../format.js';
import { waitForJob } from './indexing.js';

const USAGE = 'caption <photo> [<text>] | caption import [folder] | caption export [<file>] [--sidecars]';

/** A photo as typed: an id, or a path relative to this terminal's folder. */
function photoRef(photo: string): { photoId: number } | { path: string } {
  return /^\d+$/.test(photo) ? { photoId: Number(photo) } : { path: path.resolve(photo) };
}

function printImport(s: CaptionImportSummary): void {
  const found = s.bySource.txt + s.bySource.xmp + s.bySource.exif;
  console.log(
    `${s.cancelled ? 'Cancelled' : 'Done'} in ${s.seconds.toFixed(1)} s: ${s.photos} photos read, ${found} captions found ` +
      `(${s.bySource.txt} .txt, ${s.bySource.xmp} XMP, ${s.bySource.exif} in the photo): ${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged` +
      `${s.keptUser > 0 ? `, ${s.keptUser} kept your own caption` : ''}.`,
  );
  for (const f of s.failed) console.log(`  ✗ ${f.path}: ${f.reason}`);
}

function printExport(r: ApiOutput<'captions.export'>): void {
  if (r.file) console.log(`Wrote ${r.file.captions} captions to ${r.file.path} (${r.file.format === 'csv' ? 'CSV' : 'JSON lines'}).`);
  if (r.sidecars) {
    console.log(`Wrote ${r.sidecars.written} .txt sidecars; ${r.sidecars.existing} photos had one already (left as it is).`);
    for (const f of r.sidecars.failed) console.log(`  ✗ ${f.path}: ${f.reason}`);
  }
}

export const captionCommand = defineCommand({
  name: 'caption',
  args: '<photo> [<text>] | import [folder] | export [<file>]',
  summary: 'show or set a photo\'s caption ("" clears); import captions from .txt/XMP sidecars and EXIF; export them',
  options: {
    sidecars: { type: 'boolean', help: 'caption export: also write IMG_1.txt beside each captioned photo that has no .txt (never overwrites)' },
    format: { type: 'string', placeholder: '<csv|jsonl>', help: 'caption export: the file format (default: by the file name, .csv or .jsonl)' },
  },
  async run({ args, options, json, open }) {
    const [first, ...rest] = args;
    if (first === undefined) throw new UsageError(USAGE);
    if (first !== 'export' && (options.sidecars || options.format !== undefined)) throw new UsageError('--sidecars and --format go with caption export');
    switch (first) {
      case 'import': {
        const [folder, ...extra] = rest;
        if (extra.length > 0) throw new UsageError('caption import takes at most one folder');
        const core = await open();
        const { jobId } = await callApi(core, 'captions.import', folder === undefined ? {} : { folder: path.resolve(folder) });
        const done = await waitForJob(core, jobId, json, { label: 'Reading captions', unit: 'photos' });
        if (done.kind !== 'caption-import') throw new Error(`Job ${jobId} is a ${done.kind} job, not a caption import.`);
        printResult(json, done.value, printImport);
        return done.value.failed.length > 0 ? EXIT_PARTIAL : EXIT_OK;
      }
      case 'export': {
        const [file, ...extra] = rest;
        if (extra.length > 0 || (file === undefined && !options.sidecars)) throw new UsageError('caption export takes a file to write (.csv or .jsonl), or --sidecars');
        if (options.format !== undefined && options.format !== 'csv' && options.format !== 'jsonl') throw new UsageError(`--format is csv or jsonl, got "${options.format}"`);
        if (options.format !== undefined && file === undefined) throw new UsageError('--format goes with a file to write');
        const r = await callApi(await open(), 'captions.export', {
          ...(file !== undefined ? { path: path.resolve(file) } : {}),
          ...(options.format !== undefined ? { format: options.format as 'csv' | 'jsonl' } : {}),
          sidecars: options.sidecars,
        });
        printResult(json, r, printExport);
        return r.sidecars && r.sidecars.failed.length > 0 ? EXIT_PARTIAL : EXIT_OK;
      }
      default: {
        const ref = photoRef(first);
        const core = await open();
        if (rest.length === 0) {
          const caption = await callApi(core, 'captions.get', ref);
          printResult(json, caption, (c) => console.log(c ? `${c.text}  (${c.source === 'user' ? 'yours' : `from ${c.source}`})` : `No caption. Add one: shoebox caption ${first} "a few words"`));
          return EXIT_OK;
        }
        // An unquoted text of several words is one text.
        const text = rest.join(' ');
        const r = await callApi(core, 'captions.set', { ...('photoId' in ref ? { photoIds: [ref.photoId] } : { paths: [ref.path] }), text });
        printResult(json, r, () => console.log(r.text === null ? `Cleared the caption of ${first}.` : `Captioned ${first}: ${r.text}`));
        return EXIT_OK;
      }
    }
  },
});
