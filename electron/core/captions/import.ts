// Importing captions from sidecars and the photos' own metadata (sidecars.ts) into the store:
// for some photos (the index job's new ones), a folder inside the library or the whole library,
// as job kind 'caption-import'. An import adds and updates captions; it never replaces one the
// person typed ('user') and never deletes one (a sidecar deleted after an import keeps its
// caption: clear it in Shoebox). A sidecar that cannot be used is reported with the file and the
// reason, and the run goes on.
import path from 'node:path';
import type { JobRunner } from '../jobs/runner.js';
import { resolveInsideRoots } from '../library/roots.js';
import type { Store } from '../store/index.js';
import { readCaption, SidecarFinder, type CaptionProblem } from './sidecars.js';

/**
 * The job's parameters as stored with its row: one photo, a folder (a real path inside the
 * library), or the whole library (both null).
 */
export type CaptionImportParams = { folder: string | null; photoId: number | null };

export interface CaptionImportSummary {
  /** Photos looked at. */
  photos: number;
  /** Captions new to Shoebox / changed / already as found. */
  added: number;
  updated: number;
  unchanged: number;
  /** Photos with a sidecar or metadata caption that kept the caption the person typed. */
  keptUser: number;
  /** Photos where no source gave a caption. */
  none: number;
  /** Captions found, by the source that gave them. */
  bySource: { txt: number; xmp: number; exif: number };
  /** Sidecars that could not be used, with the reason. */
  failed: CaptionProblem[];
  cancelled: boolean;
  seconds: number;
}

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; currentFile: string | null }) => void;
  /** Photos read at once (file system latency, not CPU, sets the pace). Default 8. */
  concurrency?: number;
  /** Read the photos' own metadata (EXIF, IPTC, embedded XMP) too. Default true. */
  embedded?: boolean;
  /** Folder listings to share between calls (one listing per folder, not per call). */
  finder?: SidecarFinder;
}

export function emptySummary(): CaptionImportSummary {
  return { photos: 0, added: 0, updated: 0, unchanged: 0, keptUser: 0, none: 0, bySource: { txt: 0, xmp: 0, exif: 0 }, failed: [], cancelled: false, seconds: 0 };
}

/** Imports the captions of the given photos (ids with their paths). */
export async function importCaptions(store: Store, photos: readonly { id: number; path: string }[], options: ImportOptions = {}): Promise<CaptionImportSummary> {
  const started = Date.now();
  const summary = emptySummary();
  const finder = options.finder ?? new SidecarFinder();
  const total = photos.length;
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < total && options.signal?.aborted !== true) {
      const photo = photos[next++]!;
      options.onProgress?.({ done, total, currentFile: photo.path });
      const { caption, problems } = await readCaption(photo.path, finder, { embedded: options.embedded !== false });
      summary.failed.push(...problems);
      summary.photos++;
      if (caption === null) summary.none++;
      else {
        summary.bySource[caption.source]++;
        const outcome = store.captions.putImported(photo.id, caption.text, caption.source);
        if (outcome === 'added') summary.added++;
        else if (outcome === 'updated') summary.updated++;
        else if (outcome === 'unchanged') summary.unchanged++;
        else summary.keptUser++;
      }
      done++;
    }
  };
  options.onProgress?.({ done: 0, total, currentFile: null });
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, total)) }, worker));
  options.onProgress?.({ done, total, currentFile: null });
  summary.cancelled = options.signal?.aborted === true && done < total;
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

/**
 * The real path of a folder inside a library folder; throws an Error for the person otherwise
 * (relative, not there, or outside every library folder).
 */
export async function captionFolder(store: Store, folder: string): Promise<string> {
  if (!path.isAbsolute(folder)) throw new Error(`${JSON.stringify(folder)} is a relative path: give the folder's full path.`);
  const real = await resolveInsideRoots(folder, store.roots.list().map((r) => r.path));
  if (real === null) throw new Error(`${folder} is not a folder inside a library folder (see shoebox roots).`);
  return real;
}

/** The indexed photos an import of `params` reads. */
export function photosToImport(store: Store, params: CaptionImportParams): { id: number; path: string }[] {
  if (params.photoId !== null) {
    const photo = store.photos.getById(params.photoId);
    return photo && photo.status === 'indexed' ? [{ id: photo.id, path: photo.path }] : [];
  }
  return store.captions.indexedPhotos(params.folder, path.sep);
}

/**
 * Starts a caption import of one photo, a folder (a real path inside the library, from
 * captionFolder) or the whole library; returns the job's id.
 */
export function startCaptionImportJob(deps: { store: Store; jobs: JobRunner }, params: CaptionImportParams): number {
  return deps.jobs.start('caption-import', params, async (ctx) =>
    importCaptions(deps.store, photosToImport(deps.store, params), { signal: ctx.signal, onProgress: (p) => ctx.progress(p) }),
  ).id;
}

/**
 * The captions of photos as the index job commits them: each batch is read in the background
 * while the next ones are decoded and encoded (reading sidecars waits on the disk, indexing on
 * the cores), one batch after another. `finish` waits for the last and sums up; it throws what
 * a batch threw (a store error), after every batch has settled.
 */
export class CaptionsAsIndexed {
  private chain: Promise<void> = Promise.resolve();
  private error: { cause: unknown } | null = null;
  private readonly summaries: CaptionImportSummary[] = [];
  /** A folder is listed once for all its photos, however many batches they come in. */
  private readonly finder = new SidecarFinder();

  constructor(private readonly store: Store) {}

  add(photoIds: readonly number[]): void {
    this.chain = this.chain.then(async () => {
      if (this.error) return;
      try {
        const photos = photoIds.flatMap((id) => {
          const photo = this.store.photos.getById(id);
          return photo ? [{ id, path: photo.path }] : [];
        });
        this.summaries.push(await importCaptions(this.store, photos, { finder: this.finder }));
      } catch (cause) {
        this.error ??= { cause };
      }
    });
  }

  async finish(): Promise<{ added: number; updated: number; failed: CaptionProblem[] }> {
    await this.chain;
    if (this.error) throw this.error.cause;
    return {
      added: this.summaries.reduce((n, s) => n + s.added, 0),
      updated: this.summaries.reduce((n, s) => n + s.updated, 0),
      failed: this.summaries.flatMap((s) => s.failed),
    };
  }
}
