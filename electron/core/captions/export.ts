// Captions exported back on request, two ways, neither overwriting anything nor touching a photo:
//   - to one file the person names: CSV (path,caption,source; RFC 4180 quoting, UTF-8, header
//     row) or JSON lines ({"path","caption","source"} per line), by the file's extension or an
//     explicit format; an existing file is refused, a half-written one removed;
//   - as .txt sidecars beside the photos (IMG_1.jpg → IMG_1.txt, the form sidecars.ts reads
//     back), only where the photo has no .txt yet (in any letter case); exclusive create, so a
//     file that appears meanwhile is kept too.
import { open, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Store } from '../store/index.js';
import type { CaptionListItem } from '../store/captions.js';
import { SidecarFinder, sidecarNames, type CaptionProblem } from './sidecars.js';

export type CaptionExportFormat = 'csv' | 'jsonl';

export interface CaptionFileExport {
  path: string;
  format: CaptionExportFormat;
  /** Captions written (photos in the library now). */
  captions: number;
}

export interface CaptionSidecarExport {
  /** .txt files written beside photos. */
  written: number;
  /** Photos that already had a .txt beside them (left as they are). */
  existing: number;
  failed: CaptionProblem[];
}

/** An export the person asked for that cannot be done as asked (a file exists, a format is unknown). */
export class CaptionExportError extends Error {
  override name = 'CaptionExportError';
  constructor(
    readonly code: 'exists' | 'format',
    message: string,
  ) {
    super(message);
  }
}

/** The format a file name asks for: .csv → CSV, .jsonl / .ndjson / .json → JSON lines; null otherwise. */
export function formatOfFile(file: string): CaptionExportFormat | null {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  return null;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The export file's text for these captions. */
export function formatCaptions(items: readonly CaptionListItem[], format: CaptionExportFormat): string {
  if (format === 'jsonl') return items.map((c) => JSON.stringify({ path: c.path, caption: c.text, source: c.source }) + '\n').join('');
  return ['path,caption,source', ...items.map((c) => [c.path, c.text, c.source].map(csvField).join(','))].join('\r\n') + '\r\n';
}

/**
 * Writes every caption of the photos in the library to `file` (an absolute path). Never
 * overwrites: an existing file is a CaptionExportError('exists').
 */
export async function exportCaptionsToFile(store: Store, file: string, format?: CaptionExportFormat): Promise<CaptionFileExport> {
  const chosen = format ?? formatOfFile(file);
  if (!chosen) throw new CaptionExportError('format', `${file}: say which format to write (csv or jsonl), or name the file .csv or .jsonl.`);
  const items = store.captions.allIndexed();
  const text = formatCaptions(items, chosen);
  let handle;
  try {
    handle = await open(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new CaptionExportError('exists', `${file} exists already: Shoebox never overwrites a file. Choose another name.`);
    throw new Error(`${file}: cannot be created (${(err as Error).message})`, { cause: err });
  }
  try {
    await handle.writeFile(text, 'utf8');
    await handle.close();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(file).catch(() => undefined);
    throw new Error(`${file}: could not be written (${(err as Error).message}); nothing was kept.`, { cause: err });
  }
  return { path: file, format: chosen, captions: items.length };
}

/** Writes each photo's caption to a .txt beside it where it has none (never overwriting, never touching the photo). */
export async function exportCaptionSidecars(store: Store, options: { signal?: AbortSignal } = {}): Promise<CaptionSidecarExport> {
  const result: CaptionSidecarExport = { written: 0, existing: 0, failed: [] };
  const finder = new SidecarFinder();
  for (const item of store.captions.allIndexed()) {
    options.signal?.throwIfAborted();
    const found = await finder.find(item.path);
    if (found.txt) {
      result.existing++;
      continue;
    }
    const file = path.join(path.dirname(item.path), sidecarNames(item.path).txt);
    try {
      await writeFile(file, item.text + '\n', { encoding: 'utf8', flag: 'wx' });
      result.written++;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') result.existing++;
      else {
        // Created by us and cut short (disk full): leave no half caption behind.
        await unlink(file).catch(() => undefined);
        result.failed.push({ path: file, reason: `cannot be written (${(err as Error).message})` });
      }
    }
  }
  return result;
}
